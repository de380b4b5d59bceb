#!/usr/bin/env python
"""`make bench`: load a scaled dataset into PostgreSQL (database praha_bench), serve it with
gunicorn on 127.0.0.1, and print requests/s and p50/p95 latency of the main /api/v1/ endpoints
next to Wagtail's stock API v2 listing the same meetings with all fields, and a minimal Django
view returning the same bytes as our meetings list. Loopback only; every loop is bounded.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/praha_bench),
BENCH_REQUESTS per endpoint (default 100), BENCH_CONCURRENCY (default 4), BENCH_WORKERS (2),
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
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PLATFORMS, MEETINGS, RECOMMENDATIONS = 50, 5000, 500

os.environ.update(
    DATABASE_URL=DATABASE_URL,
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
    """50 platforms, 5,000 meetings, a Concept with 500 recommendations (synthetic text)."""
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
    from platforms.models import AgendaItem, MeetingPage, PlatformIndexPage, PlatformPage, Venue

    call_command("migrate", verbosity=0)
    # Synthetic rows need no form-level validation; skipping it makes loading several times faster.
    Page.full_clean = lambda self, *args, **kwargs: None
    Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="uk")
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
    print()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a live database would have
    return str(concept.translation_key)


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


def hammer(port, path, headers=None):
    """REQUESTS requests over CONCURRENCY keep-alive connections: (req/s, p50 ms, p95 ms)."""
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = REQUESTS // CONCURRENCY

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(per_thread):
            began = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if response.status not in (200, 304):
                    errors.append(response.status)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()

    fetch(port, path, headers)  # warm up
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / wall, statistics.median(latencies) * 1000, p95 * 1000, len(errors)


def existing_concept():
    import django

    django.setup()
    from concept.models import ConceptPage

    return str(ConceptPage.objects.get().translation_key)


def main():
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(1))  # still stop gunicorn (finally)
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


def serve_and_measure(concept_id):
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "cms.wsgi:application",
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
        etag = http_etag(port, meetings)
        cases = [
            ("v1 meetings (100/page)", meetings, {}),
            ("v1 meetings (100/page) uk fallback", meetings + "&locale=uk", {}),
            ("v1 meetings upcoming (20)", "/api/v1/meetings/?upcoming=true", {}),
            ("v1 meetings 304 If-None-Match", meetings, {"If-None-Match": etag}),
            ("v1 platforms (50)", "/api/v1/platforms/?limit=50", {}),
            ("v1 concept tree (500 recs)", f"/api/v1/concepts/{concept_id}/", {}),
            ("v1 recommendations (100/page)", "/api/v1/recommendations/?limit=100", {}),
            ("v1 calendar.ics (1 year)", "/api/v1/meetings/calendar.ics?year=2021", {}),
            (
                "v2 stock pages fields=* (100)",
                "/api/v2/pages/?type=platforms.MeetingPage&fields=*&limit=100",
                {},
            ),
            ("minimal Django view, same bytes", "/bench/raw/", {}),
        ]
        print(
            f"\n{REQUESTS} requests per endpoint, {CONCURRENCY} client threads, "
            f"gunicorn {WORKERS} sync workers, PostgreSQL, loopback\n"
        )
        print(
            f"{'endpoint':38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9} {'errors':>6}"
        )
        for name, path, headers in cases:
            size = len(fetch(port, path, headers)[1])
            rate, p50, p95, errors = hammer(port, path, headers)
            print(f"{name:38} {rate:8.1f} {p50:8.1f} {p95:8.1f} {size:9d} {errors:6d}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def http_etag(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("ETag")


if __name__ == "__main__":
    main()
