"""How long importing and exporting a large Concept takes: a SYNTHETIC Concept of N
recommendations (5 priorities × 4 areas, 2 measures and 2 actors per recommendation) is written as
CSV and XLSX, imported into two empty Concepts, re-imported (nothing changes) and exported.

Everything runs in a transaction that is rolled back, so it can be run on any database; the
synthetic titles say "[SYNTETICKÉ]" and are never seed content. `--write FILE` only writes the
synthetic file (CSV or XLSX by extension), for trying `import_concept` by hand on a scratch DB."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from wagtail.models import Locale, Page

from concept.models import ConceptPage
from concept.transfer import export_concept, import_concept, rows_as_bytes
from home.models import HomePage, Organisation

MARK = "[SYNTETICKÉ]"
ROMAN = ["I", "II", "III", "IV", "V"]


class _Rollback(Exception):
    pass


def synthetic_rows(recommendations, actors=("SYN-A", "SYN-B")):
    """Rows in the import format; recommendation numbers run on across areas, as in the real
    Concept."""
    rows = []
    per_area = max(1, -(-recommendations // 20))
    number = 0
    for priority in range(1, 6):
        rows.append(["priority", str(priority), "", f"{MARK} Priorita {priority}", "", "", "", ""])
        number = 0
        for letter in "ABCD":
            area = f"{priority}.{letter}"
            rows.append(["area", area, str(priority), f"{MARK} oblast {area}", "", "", "", ""])
            for _ in range(per_area):
                if sum(r[0] == "recommendation" for r in rows) >= recommendations:
                    break
                number += 1
                code = f"{area}.{number}"
                rows.append(
                    [
                        "recommendation",
                        code,
                        area,
                        f"{MARK} doporučení {code}",
                        actors[1],
                        "",
                        actors[0],
                        f"<p>{MARK} popis doporučení {code}</p>",
                    ]
                )
                for roman in ROMAN[:2]:
                    rows.append(
                        ["measure", f"{code}.{roman}", code, f"{MARK} opatření {code}.{roman}"]
                        + [""] * 4
                    )
    return rows


class Command(BaseCommand):
    help = "Time import (CSV, XLSX), re-import and export of a synthetic N-recommendation Concept."

    def add_arguments(self, parser):
        parser.add_argument("--recommendations", type=int, default=500)
        parser.add_argument("--write", help="only write the synthetic file here (.csv/.xlsx)")

    def handle(self, *args, recommendations, write, **options):
        rows = synthetic_rows(recommendations)
        if write:
            fmt = "xlsx" if write.lower().endswith(".xlsx") else "csv"
            Path(write).write_bytes(rows_as_bytes(rows, fmt))
            self.stdout.write(f"Wrote {len(rows)} synthetic rows to {write}.")
            return
        files = {fmt: rows_as_bytes(rows, fmt) for fmt in ("csv", "xlsx")}
        self.stdout.write(
            f"Synthetic Concept: {recommendations} recommendations, {len(rows)} rows; "
            f"CSV {len(files['csv']) // 1024} KiB, XLSX {len(files['xlsx']) // 1024} KiB; "
            f"database {connection.vendor}"
        )
        try:
            with transaction.atomic():
                self.measure(files)
                raise _Rollback
        except _Rollback:
            self.stdout.write("(rolled back)")

    def measure(self, files):
        locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
        for short in ("SYN-A", "SYN-B"):
            Organisation.objects.create(
                name=f"{MARK} aktér {short}", short_name=short, category="other", locale=locale
            )
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(title=f"{MARK} home", slug="synthetic-timings", locale=locale)
        )
        for fmt, content in files.items():
            concept = home.add_child(
                instance=ConceptPage(
                    title=f"{MARK} koncepce {fmt}",
                    slug=f"synthetic-{fmt}",
                    period_from=2000,
                    period_to=2001,
                    locale=locale,
                )
            )
            self.timed(f"import {fmt} (new)", import_concept, content, f"x.{fmt}", concept)
            self.timed(f"re-import {fmt} (unchanged)", import_concept, content, f"x.{fmt}", concept)
            self.timed(f"dry run {fmt}", import_concept, content, f"x.{fmt}", concept, dry_run=True)
        for fmt in ("csv", "xlsx"):
            self.timed(f"export {fmt}", export_concept, concept, fmt)

    def timed(self, label, fn, *args, **kwargs):
        queries = 0

        def count(execute, *args):
            nonlocal queries
            queries += 1
            return execute(*args)

        with connection.execute_wrapper(count):
            start = time.perf_counter()
            result = fn(*args, **kwargs)
            seconds = time.perf_counter() - start
        counts = f" {result.counts}" if hasattr(result, "counts") else ""
        self.stdout.write(f"{label:28} {seconds:8.2f} s {queries:7} queries{counts}")
        return result
