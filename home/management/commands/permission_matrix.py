"""Print who may do what in the admin as Markdown tables (TRANSLATORS_CAN_PUBLISH off and on),
computed from the permission checks themselves (home.translation.matrix) on the content in the
database. Sample users, and sample translations where the database has none (a freshly seeded
site), are created inside a transaction that is rolled back."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from home.translation.matrix import markdown, matrices, roles, sample_subjects, sample_users


class Command(BaseCommand):
    help = "Print the translator/editor permission matrix as Markdown."

    def handle(self, *args, **options):
        with transaction.atomic():
            tables = matrices(sample_users(), sample_subjects())
            transaction.set_rollback(True)
        current = getattr(settings, "TRANSLATORS_CAN_PUBLISH", False)
        for can_publish, matrix in tables.items():
            note = " (current setting)" if can_publish == current else ""
            self.stdout.write(f"\nTRANSLATORS_CAN_PUBLISH = {can_publish}{note}\n\n")
            self.stdout.write(markdown(matrix, roles()) + "\n")
        self.stdout.write(
            "\n✓ allowed, ✗ refused, – no such content in the database to ask about. "
            "Own language: the translator's; for others the first target language.\n"
        )
