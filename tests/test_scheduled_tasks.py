"""Schedules run (issue 10): `manage.py run_tasks` ticks the schedule and runs the queued tasks;
Wagtail's publish_scheduled runs every minute, once per minute however many runners are up."""

import datetime
import threading

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import OperationalError
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Revision

from home.tasks.runner import make_worker
from home.tasks.scheduled import prune_task_results
from home.tasks.scheduler import tick
from platforms.models import MeetingPage
from tests.utils import CommittedTestCase, make_meeting, make_platform, make_site

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PUBLISH = "home.tasks.scheduled.publish_scheduled"
MINUTE = datetime.datetime(2030, 1, 1, 12, 0, 5, tzinfo=datetime.UTC)


def schedule_in_the_past(page):
    """A page an editor scheduled to go live later, whose time has now come."""
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = page.save_revision()
    revision.publish()
    revision = Revision.objects.get(pk=revision.pk)  # time passes: the moment is now behind us
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()


@override_settings(TASKS=DATABASE_TASKS, SCHEDULED_TASKS={PUBLISH: 60})
class SchedulerTickTests(CommittedTestCase):
    def setUp(self):
        platform = make_platform(make_site())
        self.expired = make_meeting(platform, "2030-01-10", title="Expired meeting")
        Page.objects.filter(pk=self.expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        self.scheduled = MeetingPage(title="Scheduled meeting", slug="scheduled", date="2030-02-01")
        platform.add_child(instance=self.scheduled)
        schedule_in_the_past(self.scheduled)

    def test_tick_queues_publish_scheduled_and_the_worker_runs_it(self):
        self.assertFalse(Page.objects.get(pk=self.scheduled.pk).live)  # waiting for its time

        self.assertEqual(tick(), [PUBLISH])
        self.assertTrue(Page.objects.get(pk=self.expired.pk).live)  # queued, not run yet
        make_worker("test").run()

        scheduled = Page.objects.get(pk=self.scheduled.pk)
        self.assertTrue(scheduled.live)
        expired = Page.objects.get(pk=self.expired.pk)
        self.assertEqual((expired.live, expired.expired), (False, True))
        result = DBTaskResult.objects.get(task_path=PUBLISH)
        self.assertEqual(result.status, "SUCCESSFUL")

    def test_a_task_is_queued_once_per_period(self):
        self.assertEqual(tick(MINUTE), [PUBLISH])
        self.assertEqual(tick(MINUTE + datetime.timedelta(seconds=50)), [])  # same minute
        self.assertEqual(tick(MINUTE + datetime.timedelta(seconds=60)), [PUBLISH])  # next one
        self.assertEqual(DBTaskResult.objects.filter(task_path=PUBLISH).count(), 2)


@override_settings(TASKS=DATABASE_TASKS, SCHEDULED_TASKS={PUBLISH: 60})
class ConcurrentTickTests(CommittedTestCase):
    """Two runners (two threads, each with its own database connection) tick in the same minute:
    the task is queued and run once."""

    RUNNERS = 2
    MINUTES = 5

    def tick_in_thread(self, now, barrier, results):
        try:
            barrier.wait()
            while True:
                try:
                    results.extend(tick(now))
                    return
                except OperationalError as exc:  # SQLite's shared-cache test DB: a table lock
                    if "locked" not in str(exc):
                        raise
        finally:
            connection.close()

    def test_concurrent_ticks_in_one_minute_queue_the_task_once(self):
        for minute in range(self.MINUTES):
            now = MINUTE + datetime.timedelta(minutes=minute)
            barrier = threading.Barrier(self.RUNNERS)
            results = []
            threads = [
                threading.Thread(target=self.tick_in_thread, args=(now, barrier, results))
                for _ in range(self.RUNNERS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.assertEqual(results, [PUBLISH], f"minute {minute}")
        self.assertEqual(DBTaskResult.objects.filter(task_path=PUBLISH).count(), self.MINUTES)

        make_worker("test").run()
        statuses = DBTaskResult.objects.values_list("status", flat=True)
        self.assertEqual(list(statuses), ["SUCCESSFUL"] * self.MINUTES)


@override_settings(TASKS=DATABASE_TASKS)
class PruneTests(TestCase):
    def test_finished_results_older_than_two_weeks_are_pruned(self):
        for days in (15, 1):
            result = prune_task_results.enqueue()
            DBTaskResult.objects.filter(id=result.id).update(
                status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(days=days)
            )
        prune_task_results.call()
        ages = [timezone.now() - r.finished_at for r in DBTaskResult.objects.all()]
        self.assertEqual([age.days for age in ages], [1])


class RunTasksCommandTests(TestCase):
    def test_a_bad_interval_is_a_clear_error(self):
        for interval in ("0", "-1", "nan"):
            with self.assertRaisesMessage(CommandError, "--interval must be"):
                call_command("run_tasks", "--interval", interval)
