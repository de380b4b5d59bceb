"""The sitemap lists one site's live, public pages in every language with hreflang alternates:
/sitemap.xml is an index of sections (/sitemap-pages.xml?p=N) of at most `limit` pages each."""

import re
from io import StringIO
from unittest import mock
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Locale

from home.sitemap import MultilingualSitemap
from platforms.models import PlatformIndexPage, PlatformPage, SharedPlatformPage

from .api.factories import translate
from .test_canonical import CANONICAL
from .utils import SITEMAP_SECTION, publish, sitemap_xml

LOC = re.compile(r"<loc>([^<]+)</loc>")
URL = re.compile(r"<url>.*?</url>")
SMALL = 3  # pages per section where a test needs several sections


def seed_with_english_platforms():
    """The seed, the platform overview (and the home above it) also in English, a draft and a
    password-protected platform."""
    call_command("load_seed_content", stdout=StringIO())
    index = PlatformIndexPage.objects.get()
    english = Locale.objects.get(language_code="en")
    for page in (index.get_parent(), index):
        page.specific.copy_for_translation(english).save_revision().publish()
    draft = publish(index, PlatformPage(title="D", slug="draft-x", kind="commission"))
    draft.unpublish()
    private = publish(index, PlatformPage(title="P", slug="private-x", kind="commission"))
    private.view_restrictions.create(restriction_type="password", password="x")


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_with_english_platforms()

    def sitemap(self, host):
        return sitemap_xml(self.client, host)

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


def small_sections(limit=SMALL):
    return mock.patch.object(MultilingualSitemap, "limit", limit)


def local(location):
    """A section's address in the index -> what the test client asks for."""
    url = urlsplit(location)
    return f"{url.path}?{url.query}"


# The same addresses answer differently at two section sizes: none from the response cache
# (but in the test of that cache).
@override_settings(RESPONSE_CACHE_TIMEOUT=0)
class SitemapSectionTests(TestCase):
    """The index and its sections: every page once, in the same order and with the same
    alternates whatever the size of a section; a bad page number is a 404."""

    @classmethod
    def setUpTestData(cls):
        seed_with_english_platforms()

    def index(self, host="mhmp.localhost"):
        response = self.client.get("/sitemap.xml", HTTP_HOST=host)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<sitemapindex")
        self.assertNotContains(response, "<lastmod>")  # no cheap date that would be right
        return SITEMAP_SECTION.findall(response.content.decode())

    def section(self, path, status=200):
        response = self.client.get(path, HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, status, path)
        return response

    def test_the_index_lists_every_section(self):
        pages = len(URL.findall(sitemap_xml(self.client, "mhmp.localhost")))
        self.assertEqual(self.index(), ["http://mhmp.localhost/sitemap-pages.xml"])
        with small_sections():
            sections = self.index()
            self.assertEqual(len(sections), -(-pages // SMALL))
            self.assertEqual(sections[0], "http://mhmp.localhost/sitemap-pages.xml")
            for number, location in enumerate(sections[1:], start=2):
                self.assertEqual(location, f"http://mhmp.localhost/sitemap-pages.xml?p={number}")
            for location in sections:
                response = self.section(local(location))
                self.assertContains(response, "<urlset")
                self.assertLessEqual(len(URL.findall(response.content.decode())), SMALL)

    def test_sections_together_are_the_one_big_section(self):
        for host in ("mhmp.localhost", "icp.localhost"):
            whole = URL.findall(sitemap_xml(self.client, host))
            for limit in (1, SMALL):  # 1: a border after every page
                with small_sections(limit):
                    self.assertEqual(len(self.index(host)), -(-len(whole) // limit), host)
                    split = URL.findall(sitemap_xml(self.client, host))
                self.assertEqual(split, whole, f"{host}, {limit} a section")

    def test_alternates_in_another_section_are_kept(self):
        czech = "http://mhmp.localhost/cs/poradni-platformy/"
        english = "http://mhmp.localhost/en/poradni-platformy/"
        with small_sections():
            sections = [self.section(local(location)).content.decode() for location in self.index()]
        [czech_section] = [xml for xml in sections if f"<loc>{czech}</loc>" in xml]
        [english_section] = [xml for xml in sections if f"<loc>{english}</loc>" in xml]
        self.assertNotEqual(czech_section, english_section)
        for xml in (czech_section, english_section):
            self.assertIn(f'hreflang="cs" href="{czech}"', xml)
            self.assertIn(f'hreflang="en" href="{english}"', xml)
            self.assertIn(f'hreflang="x-default" href="{czech}"', xml)

    def test_a_page_number_past_the_end_or_not_a_number_is_404(self):
        for query in ("p=999", "p=x", "p=0", "p=-1", "p=1.5", "p="):
            self.section(f"/sitemap-pages.xml?{query}", status=404)
        self.section("/sitemap-other.xml", status=404)
        with small_sections():
            last = len(self.index())
            self.section(f"/sitemap-pages.xml?p={last}")
            self.section(f"/sitemap-pages.xml?p={last + 1}", status=404)

    @override_settings(RESPONSE_CACHE_TIMEOUT=3600)
    def test_a_section_comes_from_the_response_cache(self):
        with small_sections():
            first = self.section("/sitemap-pages.xml?p=2")
            second = self.section("/sitemap-pages.xml?p=2")
        self.assertEqual(first["X-Cache"], "MISS")
        self.assertEqual(second["X-Cache"], "HIT")
        self.assertEqual(second.content, first.content)


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
        return LOC.findall(sitemap_xml(self.client, host))

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
