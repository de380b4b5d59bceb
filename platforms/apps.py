from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = "Poradní platformy"

    def ready(self):
        from home.cache import buckets

        from .api import next_meeting_end

        buckets.register(next_meeting_end)  # cached answers expire when a meeting ends
