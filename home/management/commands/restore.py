"""Restore a backup made by `manage.py backup` (see home/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from home.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT with a backup made by `manage.py backup`. The "
        "database is replaced as a whole, in one transaction (PostgreSQL) or one write "
        "(SQLite); the previous media directory is kept as MEDIA_ROOT.before-restore-<time>."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a tar file written by `manage.py backup`")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args, archive, database, no_media, **options):
        try:
            info = restore(archive, database, media=not no_media)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (a {info['engine']} backup of {info['created']})."
            )
        )
        self.stdout.write("Run `manage.py migrate` if the code is newer than the backup.")
