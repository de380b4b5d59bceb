"""Every list has a total order that does not depend on the database's row order (issue 10:
measures had sort_order NULL and a dump + restore swapped 1.A.4.I and 1.A.4.II)."""

import uuid
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Orderable

from concept.models import Measure, RecommendationPage

fill_concept = import_module("concept.migrations.0004_fill_sort_order")
fill_platforms = import_module("platforms.migrations.0005_fill_sort_order")


def project_orderables():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Orderable)
        and model._meta.app_label in ("home", "platforms", "concept")
    ]


class SeedOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def test_seed_gives_every_inline_child_a_position(self):
        orderables = project_orderables()
        self.assertGreater(len(orderables), 5)
        for model in orderables:
            with self.subTest(model._meta.label):
                self.assertFalse(model.objects.filter(sort_order__isnull=True).exists())

    def test_every_inline_child_model_is_ordered_by_position_then_id(self):
        for model in project_orderables():
            with self.subTest(model._meta.label):
                self.assertEqual(model._meta.ordering, ["sort_order", "pk"])

    def test_migration_orders_measures_by_their_roman_numerals(self):
        recommendation = RecommendationPage.objects.get(code="1.A.4")
        for numeral in ("X", "IX", "IV", "V", "III"):  # created in a wrong order on purpose
            Measure.objects.create(
                page=recommendation, code=f"1.A.4.{numeral}", text="x", locale=recommendation.locale
            )
        Measure.objects.filter(page=recommendation).update(sort_order=None)
        fill_concept.fill(apps, None)
        codes = list(recommendation.measures.values_list("code", flat=True))
        numerals = [code.rsplit(".", 1)[1] for code in codes]
        self.assertEqual(numerals, ["I", "II", "III", "IV", "V", "IX", "X"])
        self.assertEqual(
            list(recommendation.measures.values_list("sort_order", flat=True)), list(range(7))
        )

    def test_migration_keeps_an_editors_order(self):
        recommendation = RecommendationPage.objects.get(code="1.A.4")
        first, second = recommendation.measures.all()
        Measure.objects.filter(pk=first.pk).update(sort_order=5)  # the editor moved I last
        fill_concept.fill(apps, None)
        self.assertEqual(
            list(recommendation.measures.values_list("code", flat=True)), ["1.A.4.II", "1.A.4.I"]
        )

    def test_migration_orders_programme_items_by_start_time(self):
        from platforms.models import AgendaItem

        meeting = AgendaItem.objects.first().page
        expected = list(meeting.programme.values_list("title", flat=True))
        items = list(meeting.programme.all())
        meeting.programme.all().delete()
        for item in reversed(items):  # re-created last first: ids no longer in time order
            item.pk, item.sort_order, item.translation_key = None, None, uuid.uuid4()
            item.save()
        fill_platforms.fill(apps, None)
        self.assertEqual(list(meeting.programme.values_list("title", flat=True)), expected)


class RomanNumeralTests(TestCase):
    def test_values(self):
        cases = {"I": 1, "II": 2, "IV": 4, "IX": 9, "XIV": 14, "XL": 40, "XC": 90}
        for numeral, value in cases.items():
            self.assertEqual(fill_concept.roman_value(numeral), value)
        self.assertIsNone(fill_concept.roman_value("A"))
