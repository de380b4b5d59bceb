"""Wagtail's migrations create the groups "Editors" and "Moderators" with add/change/publish/lock
on the whole page tree, and wagtail-localize gives them submit_translation: anyone put there by
mistake would manage every language tree. The project's groups are "Editoři" and
"Překladatelé – xx" (home.translation.roles); the default moderation workflow ("Moderators
approval") is handed to "Editoři" so that moderation keeps working. Not reversible: the old groups'
permissions are not recreated."""

from django.db import migrations

from home.translation.roles import replace_wagtail_default_groups


def forwards(apps, schema_editor):
    replace_wagtail_default_groups(
        apps.get_model("auth", "Group"), apps.get_model("wagtailcore", "GroupApprovalTask")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_accessibility_statement_page"),
        # Every migration that fills those groups, so that none runs after this one.
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
