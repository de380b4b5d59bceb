from django.apps import AppConfig


class ConceptConfig(AppConfig):
    name = "concept"
    verbose_name = "Koncepce"

    def ready(self):
        from wagtail.signals import page_published

        from .models import ActionPlanPage, record_status_history

        page_published.connect(
            record_status_history, sender=ActionPlanPage, dispatch_uid="concept.status_history"
        )
