#!/usr/bin/env python
"""Figures for issue 11 on the bench dataset (scripts/bench.py: 50 platforms, 5,000 meetings,
500 recommendations) in PostgreSQL: search latency (/api/v1/search/) and the time from a
publish's commit to the webhook's arrival at a real local HTTP receiver, delivered by the real
`manage.py run_tasks` worker.

Environment: MEASURE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/praha_h11;
never the shared praha_bench), MEASURE_REUSE=1 to skip reloading the dataset.
`--webhooks-only`: only the webhook figure, on the database DATABASE_URL names (dev settings;
e.g. a scratch SQLite file), migrated and given a home page first."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["BENCH_DATABASE_URL"] = os.environ.get(
    "MEASURE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/praha_h11"
)
os.environ["WEBHOOK_ALLOW_PRIVATE_URLS"] = "true"  # the receiver listens on 127.0.0.1
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests" / "syndication")]

WEBHOOKS_ONLY = "--webhooks-only" in sys.argv
if not WEBHOOKS_ONLY:
    import bench  # noqa: E402  (sets the environment for Django)

    assert "praha_bench" not in bench.DATABASE_URL


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def measure_search(client):
    print("Search latency, /api/v1/search/ (ms, 20 requests each, in-process):")
    for q in ("Bench topic 7", "recommendation 3.B", "libus", "bench"):
        times = []
        for _ in range(20):
            began = time.perf_counter()
            response = client.get("/api/v1/search/", {"q": q, "limit": 20}, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.content[:300]
        count = response.json()["count"]
        print(
            f"  q={q!r:22} hits={count:4}  p50={statistics.median(times):6.1f}  "
            f"p95={percentile(times, 0.95):6.1f}"
        )


def measure_webhooks(rounds=10):
    from django.core.management import call_command
    from django.db import transaction
    from receiver import Receiver

    from home.models import ContentPage, HomePage
    from syndication.models import WebhookSubscriber

    WebhookSubscriber.objects.all().delete()
    home = HomePage.objects.first()
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_tasks"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
        stdout=subprocess.DEVNULL,
    )
    latencies = []
    try:
        with Receiver() as receiver:
            call_command("webhooks", "add", "--url", receiver.url, verbosity=0)
            time.sleep(3)  # the worker's start-up
            for i in range(rounds):
                receiver.received.clear()
                page = ContentPage(
                    title=f"Measure {i} {time.time()}", slug=f"measure-{time.time_ns()}"
                )
                with transaction.atomic():
                    home.add_child(instance=page)
                    page.save_revision().publish()
                committed = time.monotonic()
                if not receiver.received.wait(30):
                    print("  no delivery within 30 s")
                    continue
                latencies.append((receiver.requests[-1][2] - committed) * 1000)
    finally:
        worker.terminate()
        worker.wait(10)
    print(f"Publish (commit) → webhook received, run_tasks (interval 1 s), {rounds} rounds (ms):")
    print(
        f"  p50={statistics.median(latencies):.0f}  p95={percentile(latencies, 0.95):.0f}  "
        f"max={max(latencies):.0f}  min={min(latencies):.0f}"
    )


def webhooks_only():
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Page

    from home.models import HomePage

    call_command("migrate", verbosity=0)
    if not HomePage.objects.exists():
        Page.get_first_root_node().add_child(instance=HomePage(title="Measure", slug="measure"))
    measure_webhooks()


def main():
    if WEBHOOKS_ONLY:
        return webhooks_only()
    if os.environ.get("MEASURE_REUSE") != "1":
        began = time.perf_counter()
        bench.recreate_database()
        bench.load_dataset()
        print(f"Dataset loaded in {time.perf_counter() - began:.0f} s")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    if os.environ.get("MEASURE_REUSE") != "1":
        began = time.perf_counter()
        call_command("update_index", verbosity=0)
        print(f"Search index built in {time.perf_counter() - began:.0f} s")
    measure_search(Client())
    measure_webhooks()


if __name__ == "__main__":
    main()
