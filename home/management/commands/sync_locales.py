from django.core.management.base import BaseCommand

from home.translation.roles import sync_locales


class Command(BaseCommand):
    help = (
        "Create the Locale of every language in CONTENT_LANGUAGES, a translator group per target "
        "language, the editors' group, and their permissions. Safe to run again (migrate runs it)."
    )

    def handle(self, *args, **options):
        sync_locales(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Locales and translator groups are in sync."))
