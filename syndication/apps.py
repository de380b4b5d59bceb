from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    """What consumers of the content get besides the read API: signed webhooks, headless
    preview and the OParl view of the advisory bodies."""

    name = "syndication"
    verbose_name = "Pro odběratele"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .webhooks import events

        events.connect()
