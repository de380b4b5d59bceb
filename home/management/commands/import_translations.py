from django.core.management.base import BaseCommand, CommandError

from home.translation.background import ProgressBar
from home.translation.po import POImportError, get_locale, import_translations, read_directory


class Command(BaseCommand):
    help = (
        "Read PO files back: updates the translation drafts, or publishes them with --publish. "
        "All or nothing: one bad file (wrong locale, unknown translation or string, broken "
        "syntax) and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="directory with the .po files")
        parser.add_argument("--locale", required=True, help="target language, e.g. uk")
        parser.add_argument("--publish", action="store_true", help="publish the translations")
        parser.add_argument(
            "--allow-unknown",
            action="store_true",
            help="skip entries whose source string no longer exists instead of failing",
        )

    def handle(self, *args, **options):
        try:
            locale = get_locale(options["locale"])
            results = import_translations(
                read_directory(options["directory"]),
                locale,
                publish=options["publish"],
                allow_unknown=options["allow_unknown"],
                progress=ProgressBar(self.stderr, "import"),
            )
        except POImportError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {m}" for m in exc.messages)
            ) from exc
        for result in results:
            self.stdout.write(f"{result.name}: {result.strings} strings")
            for warning in result.warnings:
                self.stdout.write(f"  skipped {warning}")
            for note in result.notes:
                self.stdout.write(f"  {note}")
        verb = "published" if options["publish"] else "saved as drafts"
        self.stdout.write(self.style.SUCCESS(f"Imported {len(results)} files, {verb}."))
