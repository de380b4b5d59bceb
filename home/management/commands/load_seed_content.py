"""Load the real seed content of both sites. Idempotent: creates what is missing, keeps the rest.

Each installed app may provide a ``seed`` module with ``load(stats, **options)``; they run in
INSTALLED_APPS order inside one transaction, so the wiring needs no knowledge of the apps' content.
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

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-port",
            type=int,
            default=80,
            help="port of the new Sites (make run: its port, so absolute links work locally)",
        )

    def handle(self, *args, site_port, **options):
        stats = Counter()
        with transaction.atomic():
            for module in seed_modules():
                module.load(stats, site_port=site_port)
        created = ", ".join(f"{name}: {count}" for name, count in sorted(stats.items()) if count)
        self.stdout.write(
            self.style.SUCCESS(f"Seed content loaded. Created {created or 'nothing'}.")
        )
