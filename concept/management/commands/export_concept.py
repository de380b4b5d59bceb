"""manage.py export_concept --output FILE: the Concept tree in the import format (CSV or XLSX by
the file's extension)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concept.transfer import ImportErrors, export_concept, find_concept


class Command(BaseCommand):
    help = "Export the Concept tree as CSV or XLSX (the format import_concept reads)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="a .csv or .xlsx path; - for stdout")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="default: by extension")
        parser.add_argument("--concept", type=int, help="Concept page ID (default: the only one)")

    def handle(self, *args, output, format, concept, **options):
        fmt = format or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
        try:
            content = export_concept(find_concept(concept), fmt)
        except ImportErrors as errors:
            raise CommandError(str(errors)) from None
        if output == "-":
            if fmt == "xlsx":
                raise CommandError("XLSX needs a file (--output FILE.xlsx)")
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {output} ({fmt}).")
