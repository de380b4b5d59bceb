from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Weby a aktéři"

    def ready(self):
        from . import signals

        signals.connect()
