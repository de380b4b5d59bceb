"""How long the translation workflow takes on the whole Concept (or any page tree): starting the
translation job, syncing every source, exporting PO files, computing the status. Runs in a
transaction that is rolled back (unless --keep), so it can be run on real data."""

import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, TranslationSource

from home.translation.jobs import start_translation
from home.translation.po import export_translations, write_files
from home.translation_status import translation_states


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print how long starting, syncing, exporting and status take for the Concept's tree."

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, help="root page ID (default: the Czech Concept)")
        parser.add_argument("--locale", default="uk", help="target language (default uk)")
        parser.add_argument("--keep", action="store_true", help="keep the translations made")

    def handle(self, *args, **options):
        root = self.find_root(options["page"])
        locale = Locale.objects.filter(language_code=options["locale"]).first()
        if locale is None:
            raise CommandError(f"Unknown locale {options['locale']}")
        try:
            with transaction.atomic():
                self.measure(root, locale)
                if not options["keep"]:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("(rolled back; --keep keeps the translations)")

    def find_root(self, page_id):
        pages = Page.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if page_id:
            root = pages.filter(pk=page_id).first()
        else:
            root = pages.filter(
                content_type__app_label="concept", content_type__model="conceptpage"
            )
            root = root.order_by("path").first()
        if root is None:
            raise CommandError("No Czech Concept page (load the seed content or pass --page)")
        return root.specific

    def timed(self, label, fn):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        self.stdout.write(f"{label}: {elapsed:.2f} s, {len(queries)} queries")
        return result

    def measure(self, root, locale):
        pages = [root, *root.get_descendants().specific().order_by("path")]
        self.stdout.write(
            f"Tree '{root.title}' (ID {root.pk}): {len(pages)} pages, "
            f"target '{locale.language_code}'"
        )
        self.timed(
            "start translation job (whole tree, drafts)",
            lambda: start_translation(root, [locale], include_subtree=True),
        )
        sources = list(
            TranslationSource.objects.filter(
                object_id__in=[p.translation_key for p in pages], locale=root.locale
            )
        )
        segments = StringSegment.objects.filter(source__in=sources).count()
        self.stdout.write(f"  {len(sources)} sources, {segments} source segments")

        def sync_all():
            for source in sources:
                source.update_from_db()  # full re-extraction, as if every page had changed

        self.timed("sync (re-extract every source)", sync_all)

        def export():
            files = export_translations(locale, [root], include_subtree=True)
            with tempfile.TemporaryDirectory() as tmp:
                write_files(files, tmp)
            return files

        files = self.timed("export PO files", export)
        self.stdout.write(f"  {len(files)} files")
        self.timed(
            f"status of {len(pages)} pages (translation_states)",
            lambda: translation_states(Page, [p.translation_key for p in pages]),
        )
