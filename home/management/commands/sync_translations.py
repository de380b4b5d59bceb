from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from home.translation.background import ProgressBar, batch_size
from home.translation.jobs import sync_sources


class Command(BaseCommand):
    help = (
        "Sync translations with their Czech sources (publishing a Czech page does this for that "
        "page; use this after bulk changes or with TRANSLATION_SYNC_ON_PUBLISH off). Unchanged "
        "segments keep their translation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, help="only this page and its subtree")

    def handle(self, *args, **options):
        sources = TranslationSource.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if options["page"]:
            root = Page.objects.get(pk=options["page"])
            keys = Page.objects.descendant_of(root, inclusive=True).values_list(
                "translation_key", flat=True
            )
            sources = sources.filter(object_id__in=keys)
        sources = list(sources.order_by("pk"))
        progress = ProgressBar(self.stderr, "sync")
        changed, size = 0, batch_size()
        for start in range(0, len(sources), size):
            with transaction.atomic():  # a batch is synced whole or not at all
                changed += sync_sources(sources[start : start + size])
            progress(min(start + size, len(sources)), len(sources))
        self.stdout.write(
            self.style.SUCCESS(
                f"Synced {len(sources)} sources ({changed} changed since the last sync)."
            )
        )
