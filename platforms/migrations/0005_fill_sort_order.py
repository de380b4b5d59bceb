"""Inline children seeded without a position (sort_order NULL) were listed in the database's
physical row order, which a dump and restore changes. Fill it: programme items by start time
(the seeded programmes are chronological), contacts and documents in the order they were
created (id). Only parents with a missing position are renumbered; an editor's order stays."""

import datetime

from django.db import migrations


def created_key(item):
    return (item.sort_order is None, item.sort_order or 0, item.pk)


def agenda_key(item):
    start = item.start_time or datetime.time.max
    return (item.sort_order is None, item.sort_order or 0, start, item.pk)


def renumber(model, key):
    missing = model.objects.filter(sort_order__isnull=True).values("page_id").distinct()
    by_page = {}
    for item in model.objects.filter(page_id__in=missing):
        by_page.setdefault(item.page_id, []).append(item)
    for items in by_page.values():
        for position, item in enumerate(sorted(items, key=key)):
            if item.sort_order != position:
                item.sort_order = position
                item.save(update_fields=["sort_order"])


def fill(apps, schema_editor):
    renumber(apps.get_model("platforms", "AgendaItem"), agenda_key)
    for name in ("PlatformContact", "PlatformDocument", "SharedPlatformContact"):
        renumber(apps.get_model("platforms", name), created_key)


class Migration(migrations.Migration):
    dependencies = [("platforms", "0004_total_order_of_inline_children")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
