from django.conf import settings
from django.core.management.base import BaseCommand
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from home.translation.jobs import sync_source


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
        synced = 0
        for source in sources.select_related("specific_content_type"):
            try:
                instance = source.get_source_instance()
            except Exception:  # noqa: BLE001 - source deleted: nothing to sync
                continue
            sync_source(instance)
            synced += 1
        self.stdout.write(self.style.SUCCESS(f"Synced {synced} sources."))
