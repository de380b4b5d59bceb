"""Load the real seed content of both sites. Idempotent: creates what is missing, keeps the rest.

Each installed app may provide a ``seed`` module with ``load(stats)``; they run in INSTALLED_APPS
order inside one transaction, so the wiring needs no knowledge of the apps' content.
"""

from collections import Counter
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def seed_modules():
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "seed"):
            yield import_module(f"{config.name}.seed")


class Command(BaseCommand):
    help = "Load the real seed content (MHMP and ICP sites, platforms, meetings, the Concept)."

    def handle(self, *args, **options):
        stats = Counter()
        with transaction.atomic():
            for module in seed_modules():
                module.load(stats)
        created = ", ".join(f"{name}: {count}" for name, count in sorted(stats.items()) if count)
        self.stdout.write(
            self.style.SUCCESS(f"Seed content loaded. Created {created or 'nothing'}.")
        )
