"""How long the translation workflow takes on the whole Concept (or any page tree): starting the
translation job, syncing every source, exporting PO files, importing a full PO set back, computing
the status. Runs in a transaction that is rolled back (unless --keep), so it can be run on real
data. `--json build/bench.json` adds the figures to the benchmark's results (`make bench`) as
cases of kind `translation`."""

import json
import tempfile
import time
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, TranslationSource

from home.translation.background import create_job, run_job
from home.translation.jobs import sync_sources
from home.translation.models import TranslationJob
from home.translation.po import export_translations, import_translations, write_files
from home.translation_status import translation_states


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print how long starting, syncing, exporting, importing and status take for a tree."

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, help="root page ID (default: the Czech Concept)")
        parser.add_argument("--locale", default="uk", help="target language (default uk)")
        parser.add_argument("--keep", action="store_true", help="keep the translations made")
        parser.add_argument("--json", help="add the cases to this JSON file (build/bench.json)")

    def handle(self, *args, **options):
        root = self.find_root(options["page"])
        locale = Locale.objects.filter(language_code=options["locale"]).first()
        if locale is None:
            raise CommandError(f"Unknown locale {options['locale']}")
        self.cases = []
        try:
            with transaction.atomic():
                self.measure(root, locale)
                if not options["keep"]:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("(rolled back; --keep keeps the translations)")
        if options["json"]:
            write_cases(options["json"], self.cases)
            self.stdout.write(f"Wrote {len(self.cases)} cases to {options['json']}")

    def find_root(self, page_id):
        pages = Page.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if page_id:
            root = pages.filter(pk=page_id).first()
        else:
            root = pages.filter(
                content_type__app_label="concept", content_type__model="conceptpage"
            )
            root = root.order_by("path").first()
        if root is None:
            raise CommandError("No Czech Concept page (load the seed content or pass --page)")
        return root.specific

    def timed(self, label, fn, name=None):
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(1)  # counted, not logged: Django's query log stops at 9,000
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        self.stdout.write(f"{label}: {elapsed:.2f} s, {len(queries)} queries")
        if name:
            self.cases.append(
                {
                    "kind": "translation",
                    "name": name,
                    "seconds": round(elapsed, 3),
                    "queries": len(queries),
                }
            )
        return result

    def measure(self, root, locale):
        pages = [root, *root.get_descendants().specific().order_by("path")]
        self.stdout.write(
            f"Tree '{root.title}' (ID {root.pk}): {len(pages)} pages, "
            f"target '{locale.language_code}'"
        )
        job = create_job(
            TranslationJob.Kind.START, locale=locale, params={"page": root.pk, "subtree": True}
        )
        job = self.timed(
            "start translation job (whole tree, drafts)",
            lambda: run_job(job, notify_user=False),
            name=f"start {len(pages)} pages",
        )
        if job.status != TranslationJob.Status.DONE:
            raise CommandError(f"The start job failed: {job.error}")
        sources = list(
            TranslationSource.objects.filter(
                object_id__in=[p.translation_key for p in pages], locale=root.locale
            )
        )
        segments = StringSegment.objects.filter(source__in=sources).count()
        self.stdout.write(f"  {len(sources)} sources, {segments} source segments")

        def sync_all():  # full re-extraction, as if every page had changed, in job batches
            size = settings.TRANSLATION_JOB_BATCH_SIZE
            for start in range(0, len(sources), size):
                sync_sources(sources[start : start + size], force=True)

        self.timed("sync (re-extract every source)", sync_all, name=f"sync {len(sources)} sources")

        def export():
            files = export_translations(locale, [root], include_subtree=True)
            with tempfile.TemporaryDirectory() as tmp:
                write_files(files, tmp)
            return files

        files = self.timed("export PO files", export, name="export PO files")
        self.stdout.write(f"  {len(files)} files")
        translated = [(f.name, fill_po(f.content)) for f in files]
        results = self.timed(
            "import full PO set (drafts)",
            lambda: import_translations(translated, locale),
            name=f"import {len(translated)} PO files",
        )
        self.stdout.write(f"  {sum(r.strings for r in results)} strings imported")
        renamed = [(f.name, fill_po(f.content, slugs=True)) for f in files]
        self.timed(
            "import again, every slug translated (drafts move, live pages get a revision)",
            lambda: import_translations(renamed, locale),
            name=f"import {len(renamed)} PO files, slugs translated",
        )
        refresh_statistics()
        self.timed(
            f"status of {len(pages)} pages (translation_states)",
            lambda: translation_states(Page, [p.translation_key for p in pages]),
            name=f"status {len(pages)} pages",
        )


def refresh_statistics():
    """PostgreSQL's planner statistics of the translation tables, as autovacuum refreshes them
    after a big import commits. Inside this command's transaction it never runs, and the status
    query, planned for tables a few times smaller, took 8 s instead of 0.04 s."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("stringsegment", "stringtranslation", "translation"):
            cursor.execute(f"ANALYZE wagtail_localize_{table}")


def fill_po(content, slugs=False):
    """An agency's answer: every msgstr filled in (the source text, marked); the slugs kept, or
    with `slugs` translated too (every page gets a new address)."""
    po = polib.pofile(content)
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgctxt == "slug":
            entry.msgstr = f"uk-{entry.msgid}" if slugs else entry.msgid
        else:
            entry.msgstr = f"[uk] {entry.msgid}"
    return str(po)


def write_cases(path, cases):
    """Replace the cases of the kinds in `cases` in the benchmark's JSON file, keeping the others
    (scripts/bench.py writes its HTTP cases with this too)."""
    path = Path(path)
    data = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            data = {}
    if not isinstance(data, dict):
        data = {"cases": data if isinstance(data, list) else []}
    kinds = {case["kind"] for case in cases}
    kept = [c for c in data.get("cases", []) if c.get("kind") not in kinds]
    data["cases"] = kept + cases
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
