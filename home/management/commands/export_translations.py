from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from home.translation.background import ProgressBar
from home.translation.po import (
    POImportError,
    all_source_objects,
    export_translations,
    get_locale,
    write_files,
)


class Command(BaseCommand):
    help = (
        "Write PO files for agencies: one per page/snippet, with translations made so far. "
        "Exporting something not yet translated starts its translation (draft)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--locale", required=True, help="target language, e.g. uk")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--page", type=int, help="ID of a Czech page; its subtree comes along")
        which.add_argument("--all", action="store_true", help="every page and snippet")
        parser.add_argument("--no-subtree", action="store_true", help="only the page itself")
        parser.add_argument("--output", required=True, help="directory to write into")

    def handle(self, *args, **options):
        try:
            locale = get_locale(options["locale"])
        except POImportError as exc:
            raise CommandError(str(exc)) from exc
        if options["all"]:
            roots, snippets = all_source_objects()
        else:
            page = Page.objects.filter(pk=options["page"]).specific().first()
            if page is None:
                raise CommandError(f"No page with ID {options['page']}")
            if page.locale_id == locale.pk or page.locale.language_code != _source():
                raise CommandError(f"Page {page.pk} is not a Czech source page")
            roots, snippets = [page], []
        files = export_translations(
            locale,
            roots,
            include_subtree=not options["no_subtree"],
            snippets=snippets,
            progress=ProgressBar(self.stderr, "export"),
        )
        write_files(files, options["output"])
        started = sum(1 for f in files if f.started)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(files)} PO files to {options['output']} "
                f"({started} translations started by this export)."
            )
        )


def _source():
    from django.conf import settings

    return settings.LANGUAGE_CODE
