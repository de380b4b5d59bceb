"""Actors and people existed before they had draft state, and readers saw every row: keep every
row (Czech and translations) live, with publishing times and an initial revision."""

from django.db import migrations

from home.draft_state import forget_revisions, publish_existing_rows

MODELS = ["home.Organisation", "home.Person"]


def forwards(apps, schema_editor):
    publish_existing_rows(apps, MODELS)


def backwards(apps, schema_editor):
    forget_revisions(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_snippet_draft_state"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
