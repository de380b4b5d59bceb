"""The timing command runs on a small Concept tree and leaves no trace."""

import io

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page

from concept.models import AreaPage, ConceptPage, Measure, PriorityPage, RecommendationPage

from .content import build_site


class TimingCommandTests(TestCase):
    def test_prints_figures_and_rolls_back(self):
        home = build_site()["home"]
        concept = home.add_child(
            instance=ConceptPage(
                title="Koncepce", slug="koncepce", period_from=2022, period_to=2027
            )
        )
        priority = concept.add_child(instance=PriorityPage(title="Priorita 1", slug="p1", number=1))
        area = priority.add_child(instance=AreaPage(title="Oblast", slug="a", code="1.A"))
        recommendation = RecommendationPage(
            title="Doporučení", slug="d", code="1.A.1", description="<p>Popis</p>"
        )
        recommendation.measures = [Measure(code="1.A.1.I", text="Opatření")]
        area.add_child(instance=recommendation)
        pages_before = Page.objects.count()
        out = io.StringIO()
        call_command("translation_timings", stdout=out)
        text = out.getvalue()
        self.assertIn("Tree 'Koncepce'", text)
        self.assertIn("4 pages", text)
        self.assertIn("sync (re-extract every source)", text)
        self.assertIn("export PO files", text)
        self.assertEqual(Page.objects.count(), pages_before)
