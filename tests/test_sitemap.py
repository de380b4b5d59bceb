"""sitemap.xml lists one site's live, public pages in every language with hreflang alternates."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Locale

from platforms.models import PlatformIndexPage, PlatformPage

from .utils import publish


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        index = PlatformIndexPage.objects.get()
        english = Locale.objects.get(language_code="en")
        for page in (index.get_parent(), index):
            page.specific.copy_for_translation(english).save_revision().publish()
        draft = publish(index, PlatformPage(title="D", slug="draft-x", kind="commission"))
        draft.unpublish()
        private = publish(index, PlatformPage(title="P", slug="private-x", kind="commission"))
        private.view_restrictions.create(restriction_type="password", password="x")

    def sitemap(self, host):
        response = self.client.get("/sitemap.xml", HTTP_HOST=host)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_lists_each_language_with_reciprocal_alternates(self):
        xml = self.sitemap("mhmp.localhost")
        cs = "http://mhmp.localhost/cs/poradni-platformy/"
        en = "http://mhmp.localhost/en/poradni-platformy/"
        self.assertIn(f"<loc>{cs}</loc>", xml)
        self.assertIn(f"<loc>{en}</loc>", xml)
        self.assertEqual(xml.count(f'hreflang="en" href="{en}"'), 2)
        self.assertEqual(xml.count(f'hreflang="cs" href="{cs}"'), 2)
        self.assertEqual(xml.count(f'hreflang="x-default" href="{cs}"'), 2)

    def test_only_live_public_pages_of_the_requested_site(self):
        xml = self.sitemap("mhmp.localhost")
        self.assertIn("/cs/koncepce/priorita-1/1-a/1-a-4/", xml)
        self.assertNotIn("draft-x", xml)
        self.assertNotIn("private-x", xml)
        self.assertNotIn("sitovani", xml)
        self.assertIn("http://icp.localhost/cs/sitovani/", self.sitemap("icp.localhost"))
        self.assertNotIn("koncepce", self.sitemap("icp.localhost"))
