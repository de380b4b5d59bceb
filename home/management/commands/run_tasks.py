"""`manage.py run_tasks`: the background runner (worker + scheduler), see home/tasks/."""

import logging
import math

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from home.tasks.runner import make_worker, run_forever


class Command(BaseCommand):
    help = (
        "Run background tasks and the schedule (settings.SCHEDULED_TASKS, e.g. Wagtail's "
        "publish_scheduled every minute). Safe to run in several processes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between rounds when there is nothing to do (default: 1).",
        )

    def handle(self, *args, interval, verbosity, **options):
        if not (math.isfinite(interval) and interval > 0):
            raise CommandError("--interval must be a number of seconds greater than 0")
        if verbosity > 1:
            logging.getLogger("home.tasks").setLevel(logging.INFO)
        worker = make_worker(get_random_string(32))
        self.stdout.write(f"Running tasks and schedules (worker {worker.worker_id}).")
        run_forever(worker, interval)
