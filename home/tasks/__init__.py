"""Background work: the tasks, their schedule (settings.SCHEDULED_TASKS) and the runner
(`manage.py run_tasks`). One runner for the whole project: Wagtail's own tasks (reference index,
renditions, front-cache purges) go through the same django-tasks queue."""
