"""The admin dashboard's panel with the user's recent translation jobs."""

import datetime

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .models import TranslationJob


class RecentTranslationJobsPanel(Component):
    name = "translation_jobs"
    template_name = "home/translation/jobs_panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        since = timezone.now() - datetime.timedelta(days=7)
        jobs = (
            TranslationJob.objects.filter(user=self.user, created_at__gte=since)
            .select_related("locale")
            .defer("payload", "completed")[:5]
        )
        return {"jobs": list(jobs)}
