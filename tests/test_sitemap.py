"""sitemap.xml lists one site's live, public pages in every language with hreflang alternates."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Locale

from platforms.models import PlatformIndexPage, PlatformPage, SharedPlatformPage

from .api.factories import translate
from .test_canonical import CANONICAL
from .utils import publish

LOC = re.compile(r"<loc>([^<]+)</loc>")


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


class CanonicalSitemapTests(TestCase):
    """Each site's sitemap lists only canonical addresses: every <loc> answers 200 and names
    itself as canonical; the ICP's routes to MHMP meetings, aliases and pages under a language
    home that is not live are left out."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.networking = SharedPlatformPage.objects.get()
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.meeting = cls.rpp.past_meetings().first()
        cls.meeting_en = translate(cls.meeting, "en", slug="meeting-en")
        cls.networking_en = translate(cls.networking, "en", slug="networking-en")
        cls.icp_home = cls.networking.get_parent()
        cls.alias = cls.rpp.create_alias(parent=cls.icp_home, update_slug="rpp-alias")

    def locations(self, host):
        response = self.client.get("/sitemap.xml", HTTP_HOST=host)
        self.assertEqual(response.status_code, 200)
        return LOC.findall(response.content.decode())

    def test_every_listed_address_is_canonical(self):
        for host in ("mhmp.localhost", "icp.localhost"):
            locations = self.locations(host)
            self.assertGreater(len(locations), 1)
            for location in locations:
                with self.subTest(location=location):
                    url = urlsplit(location)
                    self.assertEqual(url.hostname, host)
                    response = self.client.get(url.path, HTTP_HOST=url.hostname)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(CANONICAL.findall(response.content.decode()), [location])

    def test_meetings_are_listed_on_the_mhmp_site_only(self):
        mhmp, icp = self.locations("mhmp.localhost"), self.locations("icp.localhost")
        self.assertIn(self.meeting.get_full_url(), mhmp)
        self.assertIn(self.meeting_en.get_full_url(), mhmp)
        self.assertFalse([loc for loc in icp if "/setkani/" in loc or "rpp-alias" in loc])
        self.assertIn(self.networking_en.get_full_url(), icp)

    def test_nothing_under_a_language_home_that_is_not_live(self):
        self.networking_en.get_parent().specific.unpublish()
        self.networking_en.refresh_from_db()
        self.assertTrue(self.networking_en.live)
        icp = self.locations("icp.localhost")
        self.assertNotIn(self.networking_en.get_full_url(), icp)
        self.assertFalse([loc for loc in icp if "/en/" in loc])
