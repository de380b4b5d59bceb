#!/usr/bin/env python
"""`make bench`: load a scaled dataset into PostgreSQL (database praha_bench), serve it with
gunicorn on 127.0.0.1 (production settings, Redis as the cache), and print requests/s and p50/p95
latency of the main /api/v1/ endpoints and rendered pages next to Wagtail's stock API v2 listing
the same meetings with all fields, and a minimal Django view returning the same bytes as our
meetings list. Each case runs cold (the cache cleared before every request, one client), warm,
and, for API and page cases, as a revalidation (If-None-Match with the ETag it got: a 304). The
table is printed and written to build/bench.json (cases of kind api, page, stock, floor; other
kinds in the file are kept). Loopback only; every loop is bounded.

The dataset: 50 platforms of 100 meetings, a Concept with 500 recommendations, an ICP site showing
the first platform; half of it (25 platforms with their meetings, the Concept's upper levels and
every other recommendation, the organisation, the venue) also in English and Ukrainian.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/praha_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/3; flushed by the cold runs),
BENCH_REQUESTS per endpoint (default 100; warm and revalidate cases run for BENCH_MIN_SECONDS,
default 1, at least), BENCH_COLD_REQUESTS (default 40; of 20, the p95 was the slowest one),
BENCH_CONCURRENCY (default 4), BENCH_WORKERS (2),
BENCH_REUSE=1 to measure again without reloading the dataset, BENCH_TRANSLATION=0 to skip the
translation steps (start, sync, export, import of the whole Concept into uk; `manage.py
translation_timings`, written into build/bench.json as cases of kind `translation`).
"""

import datetime
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/praha_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
COLD_REQUESTS = int(os.environ.get("BENCH_COLD_REQUESTS", "40"))
MIN_SECONDS = float(os.environ.get("BENCH_MIN_SECONDS", "1"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PLATFORMS, MEETINGS, RECOMMENDATIONS = 50, 5000, 500

os.environ.update(
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=REDIS_URL,
    DJANGO_SETTINGS_MODULE="bench_settings",
    SECRET_KEY="bench-only-not-secret",
    ALLOWED_HOSTS="127.0.0.1,localhost,mhmp.localhost,icp.localhost",
    SECURE_SSL_REDIRECT="false",
    CONN_MAX_AGE="60",
    API_CACHE_MAX_AGE="0",
    REQUEST_LOG_LEVEL="WARNING",  # thousands of request log lines would bury the results
)
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


def recreate_database():
    import psycopg

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin_url = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def load_dataset():
    """50 platforms, 5,000 meetings, a Concept with 500 recommendations (synthetic text), an ICP
    site showing the first platform; half of it in en and uk too."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Locale, Page, Site

    from concept.models import (
        AreaPage,
        ConceptPage,
        Measure,
        PriorityPage,
        RecommendationActor,
        RecommendationPage,
    )
    from home.models import HomePage, Organisation
    from platforms.models import (
        AgendaItem,
        MeetingPage,
        PlatformIndexPage,
        PlatformPage,
        SharedPlatformPage,
        Venue,
    )

    call_command("migrate", verbosity=0)
    # Synthetic rows need no form-level validation; skipping it makes loading several times faster.
    Page.full_clean = lambda self, *args, **kwargs: None
    languages = [Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "uk")]
    now = timezone.now()
    stamps = {"first_published_at": now, "last_published_at": now}
    Site.objects.all().delete()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bench home", slug="bench-home", **stamps))
    Site.objects.create(hostname="127.0.0.1", root_page=home, is_default_site=True)
    venue = Venue.objects.create(name="Bench venue", address="Bench street 1")
    org = Organisation.objects.create(name="Bench organisation", category="ngo")
    index = home.add_child(instance=PlatformIndexPage(title="Platforms", slug="p", **stamps))
    start = datetime.date(2020, 1, 6)
    per_platform = MEETINGS // PLATFORMS
    platforms = []
    for p in range(PLATFORMS):
        platform = index.add_child(
            instance=PlatformPage(
                title=f"Bench platform {p}",
                slug=f"platform-{p}",
                kind="advisory_platform",
                coordinator=org,
                usual_venue=venue,
                **stamps,
            )
        )
        platforms.append(platform)
        for m in range(per_platform):
            meeting = MeetingPage(
                title=f"Bench meeting {p}.{m}",
                slug=f"m-{m}",
                date=start + datetime.timedelta(days=(m * 37 + p) % 3650),  # 2020–2029
                start_time=datetime.time(13, 0),
                end_time=datetime.time(16, 0),
                venue=venue,
                topic=f"Bench topic {m}",
                **stamps,
            )
            platform.add_child(instance=meeting)
            AgendaItem.objects.create(page=meeting, title="Bench item", locale=meeting.locale)
        print(f"  platform {p + 1}/{PLATFORMS}", end="\r", flush=True)
    concept = home.add_child(
        instance=ConceptPage(
            title="Bench concept", slug="c", period_from=2022, period_to=2027, **stamps
        )
    )
    number = 0
    for p in range(1, 6):
        priority = concept.add_child(
            instance=PriorityPage(title=f"Priority {p}", slug=f"p{p}", number=p, **stamps)
        )
        for a in "ABCD":
            area = priority.add_child(
                instance=AreaPage(title=f"Area {p}.{a}", slug=a.lower(), code=f"{p}.{a}", **stamps)
            )
            for _ in range(RECOMMENDATIONS // 20):
                number += 1
                code = f"{p}.{a}.{number}"
                rec = area.add_child(
                    instance=RecommendationPage(
                        title=f"Recommendation {code}", slug=f"r{number}", code=code, **stamps
                    )
                )
                RecommendationActor.objects.create(page=rec, organisation=org, role="lead")
                for roman in ("I", "II"):
                    Measure.objects.create(
                        page=rec, code=f"{code}.{roman}", text="Bench measure", locale=rec.locale
                    )
    icp = root.add_child(instance=HomePage(title="Bench ICP", slug="bench-icp", **stamps))
    Site.objects.create(hostname="icp.localhost", root_page=icp)
    icp.add_child(
        instance=SharedPlatformPage(
            title="Bench networking", slug="sitovani", platform=platforms[0], **stamps
        )
    )
    print()
    for language in languages:
        translate_half(language, home, stamps)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a live database would have
    return str(concept.translation_key)


def translate_half(language, home, stamps):
    """Published translations into `language` (same translation keys, as wagtail-localize makes
    them) of half the content: every other platform with its meetings, the Concept's upper levels
    and every other recommendation with its measures, the organisation and the venue."""
    from wagtail.models import Page

    from concept.models import Measure, RecommendationActor, RecommendationPage
    from home.models import Organisation
    from platforms.models import AgendaItem, MeetingPage, PlatformPage, Venue

    code = language.language_code
    snippets = {}
    for model in (Venue, Organisation):
        source = model.objects.get(locale__language_code="cs")
        copy = model.objects.get(pk=source.pk)
        copy.pk = copy.id = copy.latest_revision = copy.live_revision = None
        copy._state.adding = True
        copy.locale = language
        copy.name = f"{source.name} [{code}]"
        copy.save()
        snippets[model] = copy

    def translated(source, parent):
        """A copy of `source` (specific) in `language` under `parent`, published."""
        copy = type(source).objects.get(pk=source.pk)
        copy.id = copy.pk = copy.page_ptr_id = copy.url_path = None
        copy.numchild = 0
        copy._state.adding = True
        copy.locale = language
        copy.title = f"{source.title} [{code}]"
        copy.draft_title = copy.title
        copy.latest_revision = copy.live_revision = None
        for name, snippet in (("coordinator", Organisation), ("usual_venue", Venue)):
            if hasattr(copy, f"{name}_id"):
                setattr(copy, name, snippets[snippet])
        if isinstance(copy, MeetingPage):
            copy.venue = snippets[Venue]
        copy.first_published_at = copy.last_published_at = stamps["first_published_at"]
        return parent.add_child(instance=copy)

    new_home = translated(home, Page.get_first_root_node())
    new_home.slug = f"bench-home-{code}"
    new_home.save()
    copies = {home.pk: new_home}
    for page in home.get_descendants().specific().order_by("path"):
        parent = copies.get(page.get_parent().pk)
        if parent is None:
            continue  # below a page left untranslated
        if isinstance(page, PlatformPage) and int(page.slug.split("-")[1]) % 2:
            continue
        if isinstance(page, RecommendationPage) and int(page.slug[1:]) % 2:
            continue
        copy = translated(page, parent)
        copies[page.pk] = copy
        if isinstance(page, MeetingPage):
            for item in page.programme.all():
                AgendaItem.objects.create(
                    page=copy,
                    title=f"{item.title} [{code}]",
                    locale=language,
                    translation_key=item.translation_key,
                )
        if isinstance(page, RecommendationPage):
            for actor in page.actors.all():
                RecommendationActor.objects.create(
                    page=copy, organisation=snippets[Organisation], role=actor.role
                )
            for measure in page.measures.all():
                Measure.objects.create(
                    page=copy,
                    code=measure.code,
                    text=f"{measure.text} [{code}]",
                    locale=language,
                    translation_key=measure.translation_key,
                )
        if len(copies) % 500 == 0:
            print(f"  {code}: {len(copies)} pages", end="\r", flush=True)
    print(f"  {code}: {len(copies)} pages")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port, deadline=60):
    for _ in range(deadline * 10):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def hammer(port, path, headers=None, expected=200):
    """At least REQUESTS requests over CONCURRENCY keep-alive connections, and for at least
    MIN_SECONDS (a fast case would otherwise be over in a tenth of a second, and measure thread
    start-up and the scheduler more than the server), at most 50× REQUESTS: (req/s, p50 ms,
    p95 ms, answers other than `expected`)."""
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = REQUESTS // CONCURRENCY

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for done in range(per_thread * 50):
            if done >= per_thread and time.perf_counter() - run_began >= MIN_SECONDS:
                break
            began = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if response.status != expected:
                    errors.append(response.status)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()

    fetch(port, path, headers)  # warm up
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    run_began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - run_began
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / wall, statistics.median(latencies) * 1000, p95 * 1000, len(errors)


def existing_concept():
    import django

    django.setup()
    from concept.models import ConceptPage

    # the dataset holds the Czech Concept and its en/uk translations (one translation_key)
    return str(ConceptPage.objects.get(locale__language_code="cs").translation_key)


def collect_static():
    """Production settings serve pages only with the static manifest (BRIEF §8)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "scripts")]))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main():
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(1))  # still stop gunicorn (finally)
    collect_static()
    if os.environ.get("BENCH_REUSE") == "1":  # rerun against the dataset already loaded
        serve_and_measure(existing_concept())
    else:
        print(
            f"Loading {PLATFORMS} platforms, {MEETINGS} meetings, "
            f"{RECOMMENDATIONS} recommendations…"
        )
        began = time.perf_counter()
        recreate_database()
        concept_id = load_dataset()
        print(f"  loaded in {time.perf_counter() - began:.0f} s")
        serve_and_measure(concept_id)
    if os.environ.get("BENCH_TRANSLATION", "1") != "0":
        measure_translation()


def measure_translation():
    """The translation workflow on the whole bench Concept, one language (rolled back)."""
    print("\nTranslation of the whole Concept into uk (PostgreSQL):")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "scripts")]))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "translation_timings",
            "--locale",
            "uk",
            "--json",
            str(ROOT / "build" / "bench.json"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def page_cases():
    """(name, path, Host) of the rendered-page cases, read from the dataset."""
    from wagtail.models import Page

    from concept.models import ConceptPage, PriorityPage
    from home.models import HomePage
    from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage, SharedPlatformPage

    def path(model, **filters):
        page = model.objects.filter(locale__language_code="cs", **filters).order_by("path")[0]
        return page.get_url_parts()[2]

    platform = PlatformPage.objects.get(locale__language_code="cs", slug="platform-0")
    meeting = Page.objects.child_of(platform).type(MeetingPage).order_by("path").first()
    return [
        ("home", path(HomePage, slug="bench-home"), None),
        ("platform index", path(PlatformIndexPage), None),
        ("platform (100 meetings)", platform.get_url_parts()[2], None),
        ("meeting", meeting.specific.get_url_parts()[2], None),
        ("Concept", path(ConceptPage), None),
        ("priority", path(PriorityPage), None),
        ("ICP route (shared platform)", path(SharedPlatformPage), "icp.localhost"),
        ("sitemap.xml (index)", "/sitemap.xml", None),
        ("sitemap section (1,000 URLs)", "/sitemap-pages.xml?p=2", None),
    ]


def clear_cache():
    """Cold: the server's cache (the default cache, Redis at BENCH_REDIS_URL) emptied."""
    from django.core.cache import cache

    cache.clear()


def cold(port, path, headers):
    """COLD_REQUESTS requests one after the other, the cache cleared before each (not timed):
    (req/s of one client, p50 ms, p95 ms, errors)."""
    latencies, errors = [], 0
    for _ in range(COLD_REQUESTS):
        clear_cache()
        began = time.perf_counter()
        status, _body = fetch(port, path, headers)
        latencies.append(time.perf_counter() - began)
        errors += status != 200
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / sum(latencies), statistics.median(latencies) * 1000, p95 * 1000, errors


def serve_and_measure(concept_id):
    pages = page_cases()
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "cms.wsgi:application",
            "--config",  # production's: garbage collected between requests, workers recycled
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--pythonpath",
            f"{ROOT},{ROOT / 'scripts'}",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    try:
        wait_until_up(port)
        meetings = "/api/v1/meetings/?limit=100"
        status, body = fetch(port, meetings)
        assert status == 200, body[:500]
        with tempfile.NamedTemporaryFile(delete=False, suffix=".json") as handle:
            handle.write(body)
        os.environ["BENCH_BYTES_FILE"] = handle.name
        server.terminate()
        server.wait(timeout=30)
        server = subprocess.Popen(server.args, cwd=ROOT, env=os.environ)
        wait_until_up(port)
        cases = [
            ("v1 meetings (100/page)", meetings, "api", None),
            ("v1 meetings (100/page) uk", meetings + "&locale=uk", "api", None),
            ("v1 meetings upcoming (20)", "/api/v1/meetings/?upcoming=true", "api", None),
            ("v1 platforms (50)", "/api/v1/platforms/?limit=50", "api", None),
            ("v1 concept tree (500 recs)", f"/api/v1/concepts/{concept_id}/", "api", None),
            ("v1 recommendations (100/page)", "/api/v1/recommendations/?limit=100", "api", None),
            ("v1 calendar.ics (1 year)", "/api/v1/meetings/calendar.ics?year=2021", "api", None),
            *((f"page {name}", path, "page", host) for name, path, host in pages),
            (
                "v2 stock pages fields=* (100)",
                "/api/v2/pages/?type=platforms.MeetingPage&fields=*&limit=100",
                "stock",
                None,
            ),
            ("minimal Django view, same bytes", "/bench/raw/", "floor", None),
        ]
        print(
            f"\nAt least {REQUESTS} requests and {MIN_SECONDS:g} s per warm/revalidate case and "
            f"{COLD_REQUESTS} requests per cold one "
            f"(one client, cache cleared before each), {CONCURRENCY} client threads, gunicorn "
            f"{WORKERS} sync workers, PostgreSQL, Redis cache, loopback; "
            f"load average {os.getloadavg()[0]:.1f}\n"
        )
        print(
            f"{'case':38} {'cache':10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9} "
            f"{'errors':>6}"
        )
        rows = []
        for name, path, kind, host in cases:
            headers = {"Host": host} if host else {}
            runs = [("cold", headers, 200), ("warm", headers, 200)]
            if kind in ("api", "page"):
                etag = http_etag(port, path, headers)
                if etag:
                    runs.append(("revalidate", {**headers, "If-None-Match": etag}, 304))
                else:
                    print(f"{name:38} {'revalidate':10} no ETag: not measured")
            for cache, sent, expected in runs:
                status, body = fetch(port, path, sent)
                if cache == "cold":
                    rate, p50, p95, errors = cold(port, path, sent)
                else:
                    rate, p50, p95, errors = hammer(port, path, sent, expected)
                errors += status != expected
                print(
                    f"{name:38} {cache:10} {rate:8.1f} {p50:8.1f} {p95:8.1f} {len(body):9d} "
                    f"{errors:6d}"
                )
                rows.append(
                    {
                        "name": name,
                        "path": path if not host else f"//{host}{path}",
                        "kind": kind,
                        "cache": cache,
                        "rps": round(rate, 1),
                        "p50_ms": round(p50, 1),
                        "p95_ms": round(p95, 1),
                        "bytes": len(body),
                        "errors": errors,
                    }
                )
        write_results(rows)
    finally:
        server.terminate()
        server.wait(timeout=30)


def write_results(rows):
    from home.management.commands.translation_timings import write_cases

    path = ROOT / "build" / "bench.json"
    write_cases(path, rows)
    print(f"\nWrote {len(rows)} cases to {path.relative_to(ROOT)}")


def http_etag(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("ETag")


if __name__ == "__main__":
    main()
