"""Tasks that run on a schedule (settings.SCHEDULED_TASKS names them with their period)."""

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled():
    """Wagtail's `publish_scheduled`: publishes what is due (go_live_at) and unpublishes what
    has expired (expire_at). Readers never see an expired page even before it runs
    (home.localization.readable); this makes the admin and the page tree agree with them."""
    call_command("publish_scheduled", verbosity=0)


@task()
def prune_task_results():
    """Forget finished task results after 14 days (django-tasks-db's own command): the minutely
    schedule alone leaves 1,440 of them a day."""
    call_command("prune_db_task_results", verbosity=0)
