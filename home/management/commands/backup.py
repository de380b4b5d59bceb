"""Back up the database and the media directory into one tar file (see home/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from home.backup import BackupError, backup, default_archive_name


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump -Fc for PostgreSQL, SQLite's online backup) and MEDIA_ROOT "
        "to one tar file; restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="the archive to write (default backups/praha-<UTC time>.tar)"
        )
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args, output, database, no_media, **options):
        try:
            archive = backup(output or default_archive_name(), database, media=not no_media)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
