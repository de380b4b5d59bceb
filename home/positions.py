"""Positions of inline children (Orderable `sort_order`): every list ends in a total order, never
the database's physical row order, which a dump and restore changes (README "Backup and restore").

`ORDERABLE` is the Meta ordering of every inline child; `fill_missing_positions` is the data
migration step for rows created before positions were set.
"""

ORDERABLE = ["sort_order", "pk"]


def created_order(item):
    """Rows without a position keep the order they were created in (id)."""
    return (item.sort_order is None, item.sort_order or 0, item.pk)


def fill_missing_positions(model, key=created_order):
    """Data migration: number the children of every parent that has one without a position, in
    the order `key` gives. Parents whose children all have positions keep the editor's order."""
    missing = model.objects.filter(sort_order__isnull=True).values("page_id").distinct()
    by_page = {}
    for item in model.objects.filter(page_id__in=missing):
        by_page.setdefault(item.page_id, []).append(item)
    for items in by_page.values():
        for position, item in enumerate(sorted(items, key=key)):
            if item.sort_order != position:
                item.sort_order = position
                item.save(update_fields=["sort_order"])
