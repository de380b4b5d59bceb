"""Measures (and the Concept's other inline children) seeded before the seed set positions have
sort_order NULL: their order was the database's physical row order, which pg_dump + restore
changed (1.A.4.II before 1.A.4.I). Fill it: measures by their numbering (Roman numerals, read as
numbers: II < IV < IX < X), the others in the order they were created (id). Only parents with a
missing position are renumbered; an editor's order stays."""

from django.db import migrations

from home.positions import created_order, fill_missing_positions

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral):
    """1.A.4.IV → 4; None when the last part is no Roman numeral."""
    values = [ROMAN.get(char) for char in numeral]
    if not values or None in values:
        return None
    total = 0
    for value, following in zip(values, values[1:] + [0], strict=True):
        total += -value if value < following else value
    return total


def measure_key(measure):
    number = roman_value(measure.code.rsplit(".", 1)[-1].strip().upper())
    return (number is None, number or 0, measure.pk)


def fill(apps, schema_editor):
    fill_missing_positions(apps.get_model("concept", "Measure"), measure_key)
    for name in ("ActionPlanItem", "ConceptApproval", "RecommendationActor"):
        fill_missing_positions(apps.get_model("concept", name), created_order)


class Migration(migrations.Migration):
    dependencies = [("concept", "0003_total_order_of_inline_children")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
