"""The actors of a recommendation as the Concept and area pages show them: published
organisations with their role, in the tree's order; an unpublished one is not named."""

from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase, override_settings

from concept.models import AreaPage, Measure, RecommendationActor, RecommendationPage
from home.models import Organisation

from .utils import publish


@override_settings(RESPONSE_CACHE_TIMEOUT=0)
class RecommendationActorsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.area = AreaPage.objects.get(code="1.C")
        lead = Organisation.objects.create(name="Vedoucí organizace", category="ngo")
        hidden = Organisation.objects.create(name="Skrytá organizace", category="ngo", live=False)
        partner = Organisation.objects.create(name="Partnerská organizace", category="ngo")
        page = RecommendationPage(title="R 1.C.99", slug="r-1-c-99", code="1.C.99")
        page.measures.add(Measure(code="1.C.99.I", text="Opatření jedna"))
        for organisation, role in ((lead, "lead"), (hidden, "partner"), (partner, "partner")):
            page.actors.add(RecommendationActor(organisation=organisation, role=role))
        publish(cls.area, page)

    def html(self, page):
        url = urlsplit(page.get_full_url())
        return self.client.get(url.path, HTTP_HOST=url.hostname).content.decode()

    def test_published_actors_with_their_roles_only(self):
        for page in (self.area, self.area.get_parent().get_parent()):
            with self.subTest(page=page.title):
                html = self.html(page)
                self.assertIn(
                    '<span class="actor">Vedoucí organizace <span class="actor__role">(gestor)'
                    '</span></span>; <span class="actor">Partnerská organizace',
                    html,
                )
                self.assertNotIn("Skrytá organizace", html)
                self.assertIn('<span class="code">1.C.99.I</span> Opatření jedna', html)
