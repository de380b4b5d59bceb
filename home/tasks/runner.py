"""The runner behind `manage.py run_tasks`: the scheduler's tick and django-tasks-db's own worker
in one loop, so one process per server does all background work."""

import logging
import time

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from .scheduler import tick

logger = logging.getLogger(__name__)


def make_worker(worker_id, queues=(DEFAULT_TASK_QUEUE_NAME,)):
    """django-tasks-db's worker in batch mode: each `run()` runs what is queued, then returns."""
    return Worker(
        queue_names=list(queues),
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_once(worker):
    """One round: tick the schedule, then run every queued task."""
    close_old_connections()
    try:
        for path in tick():
            logger.info("Scheduled %s", path)
    except OperationalError as exc:  # SQLite busy with another writer: tick again next round
        if not is_locked_database_exception(exc):
            raise
    worker.run()


def run_forever(worker, interval):
    """Rounds every `interval` seconds until SIGINT/SIGTERM (the worker's own handlers: a
    running task finishes first)."""
    worker.configure_signals()
    while worker.running:
        run_once(worker)
        if worker.running:
            time.sleep(interval)
