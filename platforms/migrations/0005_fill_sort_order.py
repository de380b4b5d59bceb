"""Inline children seeded without a position (sort_order NULL) were listed in the database's
physical row order, which a dump and restore changes. Fill it: programme items by start time
(the seeded programmes are chronological), contacts and documents in the order they were
created (id). Only parents with a missing position are renumbered; an editor's order stays."""

import datetime

from django.db import migrations

from home.positions import created_order, fill_missing_positions


def agenda_key(item):
    start = item.start_time or datetime.time.max
    return (item.sort_order is None, item.sort_order or 0, start, item.pk)


def fill(apps, schema_editor):
    fill_missing_positions(apps.get_model("platforms", "AgendaItem"), agenda_key)
    for name in ("PlatformContact", "PlatformDocument", "SharedPlatformContact"):
        fill_missing_positions(apps.get_model("platforms", name), created_order)


class Migration(migrations.Migration):
    dependencies = [("platforms", "0004_total_order_of_inline_children")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
