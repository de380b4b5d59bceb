"""Create a local admin account for development and print how to log in (DEBUG only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local development admin user (admin / admin) if missing."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="admin")
        parser.add_argument("--port", default="8000", help="the port `make run` serves on")

    def handle(self, *args, username, password, port, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a development admin with DEBUG off.")
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, f"{username}@example.invalid", password)
            self.stdout.write(f"Created the local admin user '{username}'.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://mhmp.localhost:{port}/admin/  user: {username}"
                f"  password: {password} (an existing user's password is left as it is)"
            )
        )
