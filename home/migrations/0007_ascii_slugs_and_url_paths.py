"""Repair pages saved before this release: transliterate slugs with diacritics or Cyrillic to ASCII
(unique among siblings; revisions follow) and recompute every url_path from the tree, so pages
whose parent's slug was translated after them get an address again.

Reversible as a no-op: the old slugs were the problem, and url_paths derived from the tree are
what Wagtail would compute anyway."""

from django.db import migrations


def repair(apps, schema_editor):
    from home.translation.repair import repair_pages

    page_model = apps.get_model("wagtailcore", "Page")
    revision_model = apps.get_model("wagtailcore", "Revision")
    repair_pages(page_model, revision_model)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_publish_existing_snippets"),
        ("platforms", "0003_publish_existing_venues"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
