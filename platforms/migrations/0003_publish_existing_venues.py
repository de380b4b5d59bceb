"""Venues existed before they had draft state, and readers saw every row: keep every row (Czech
and translations) live, with publishing times and an initial revision."""

from django.db import migrations

from home.draft_state import forget_revisions, publish_existing_rows

MODELS = ["platforms.Venue"]


def forwards(apps, schema_editor):
    publish_existing_rows(apps, MODELS)


def backwards(apps, schema_editor):
    forget_revisions(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("platforms", "0002_venue_draft_state"),
        ("home", "0006_publish_existing_snippets"),  # ContentChange's publishing times
    ]

    operations = [migrations.RunPython(forwards, backwards)]
