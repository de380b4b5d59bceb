"""The scheduler's tick: enqueue each task of settings.SCHEDULED_TASKS once per period.

Several runners (two `run_tasks` processes, two servers) may tick at the same moment; the database
decides which one enqueues (ScheduledTaskSlot), so a task never runs twice for one period. A period
in which no runner was up is not caught up: the next tick enqueues the task once, for its own
period.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.utils import exclusive_transaction

from .models import ScheduledTaskSlot


def tick(now=None):
    """Enqueue the scheduled tasks whose current period nobody has enqueued yet; returns their
    paths (empty when another runner was first)."""
    now = now or timezone.now()
    enqueued = []
    for path, seconds in settings.SCHEDULED_TASKS.items():
        slot = int(now.timestamp() // seconds)
        # The claim and the queued task stand or fall together (on SQLite the transaction takes
        # the write lock at once, so two runners queue up instead of failing to upgrade a lock).
        with exclusive_transaction():
            if _claim(path, slot, now):
                import_string(path).enqueue()
                enqueued.append(path)
    return enqueued


def _claim(path, slot, now):
    """Move the task's slot forward to `slot`; True for the one caller whose UPDATE did it."""
    ScheduledTaskSlot.objects.get_or_create(task_path=path, defaults={"slot": slot - 1})
    moved = ScheduledTaskSlot.objects.filter(task_path=path, slot__lt=slot).update(
        slot=slot, enqueued_at=now
    )
    return moved == 1
