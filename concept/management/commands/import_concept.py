"""manage.py import_concept FILE [--dry-run] [--draft]: load a whole Concept tree from CSV or XLSX
(columns in concept/transfer.py and the README)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from concept.transfer import CHANGE, CREATE, ImportErrors, find_concept, import_concept


class Command(BaseCommand):
    help = "Import a Concept tree (priorities, areas, recommendations, measures) from CSV/XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument(
            "--draft", action="store_true", help="save changes as drafts instead of publishing"
        )
        parser.add_argument("--concept", type=int, help="Concept page ID (default: the only one)")
        parser.add_argument("--user", help="username the revisions are recorded under")

    def handle(self, *args, file, dry_run, draft, concept, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if user:
            user = get_user_model().objects.filter(username=user).first()
            if user is None:
                raise CommandError(f"No such user: {options['user']}")
        try:
            result = import_concept(
                path.read_bytes(),
                name=path.name,
                concept=find_concept(concept),
                user=user or None,
                draft=draft,
                dry_run=dry_run,
            )
        except ImportErrors as errors:
            for error in errors.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors.errors)} error(s); nothing was changed.") from None
        for outcome in result.outcomes:
            if outcome.action in (CREATE, CHANGE) and options["verbosity"] > 1:
                fields = f" ({', '.join(outcome.fields)})" if outcome.fields else ""
                self.stdout.write(
                    f"row {outcome.row}: {outcome.action} {outcome.level} {outcome.code}{fields}"
                )
        counts = result.counts
        summary = (
            f"created {counts['create']}, changed {counts['change']}, "
            f"unchanged {counts['unchanged']}"
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: would have {summary}.")
        else:
            mode = "as drafts" if draft else "published"
            self.stdout.write(self.style.SUCCESS(f"Imported ({mode}): {summary}."))
