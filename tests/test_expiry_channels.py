"""Expiry on every channel (issue 10): a page past its expire_at is gone for readers at once, on
every channel, before `publish_scheduled` unpublishes it — and an expired parent takes its
children with it. Reproduction: the seeded sites, one expired meeting of the Regional Advisory
Platform (translated into English), one expired platform with live meetings, one expired area of
the Concept; each channel is read in cs, en and uk."""

import datetime
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Page

from concept.models import AreaPage, RecommendationPage
from home.models import ContentPage
from home.routing import in_language
from platforms.models import PlatformIndexPage, PlatformPage, SharedPlatformPage

from .api.factories import translate
from .utils import make_meeting, publish, sitemap_xml

LANGUAGES = ["cs", "en", "uk"]
EXPIRED_MEETING = "Testovací setkání po expiraci"
EXPIRED_SUBPAGE = "Testovací podstránka po expiraci"
ORPHANED_MEETING = "Testovací setkání vypršelé platformy"
VISIBLE_MEETING = "Testovací setkání viditelné"
SOON = datetime.date.today() + datetime.timedelta(days=30)


def expire(page):
    """Set expire_at in the past on every language version, as editors do, without unpublishing
    (publish_scheduled has not run yet)."""
    past = timezone.now() - datetime.timedelta(minutes=5)
    Page.objects.filter(translation_key=page.translation_key).update(expire_at=past)


def address(page, language):
    url = urlsplit(page.get_full_url())
    return url.hostname, in_language(url.path, language)


class ExpiryChannelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.visible = make_meeting(cls.rpp, SOON, "10:00", "12:00", title=VISIBLE_MEETING)
        cls.meeting = make_meeting(cls.rpp, SOON, "13:00", "15:00", title=EXPIRED_MEETING)
        translate(cls.meeting, "en", title=f"{EXPIRED_MEETING} EN")
        cls.platform = PlatformPage.objects.get(slug="platforma-zastupcu-odboru-skolstvi")
        cls.orphans = [
            make_meeting(cls.platform, SOON, "09:00", title=ORPHANED_MEETING),
            make_meeting(cls.platform, "2020-01-10", "09:00", title=f"{ORPHANED_MEETING} 2020"),
        ]
        cls.area = AreaPage.objects.get(code="1.B", locale__language_code="cs")
        cls.recommendations = list(RecommendationPage.objects.child_of(cls.area))
        mhmp = cls.rpp.get_site().root_page
        cls.text_page = publish(mhmp, ContentPage(title="Testovací stránka", slug="test-stranka"))
        publish(cls.text_page, ContentPage(title="Testovací podstránka", slug="test-podstranka"))
        cls.subpage = publish(cls.text_page, ContentPage(title=EXPIRED_SUBPAGE, slug="test-pryc"))
        for page in (cls.meeting, cls.platform, cls.area, cls.subpage):
            expire(page)
        cls.gone = [cls.meeting, cls.platform, *cls.orphans, cls.area, *cls.recommendations]
        cls.gone.append(cls.subpage)
        # Only the English version of a live meeting has expired: the reader of English gets the
        # Czech one, marked as such, and no page offers the expired one as an alternate.
        cls.english_gone = translate(cls.visible, "en", title="Visible meeting, expired in EN")
        Page.objects.filter(pk=cls.english_gone.pk).update(expire_at=timezone.now())

    def get(self, host, path, status=200):
        response = self.client.get(path, HTTP_HOST=host)
        self.assertEqual(response.status_code, status, f"{host}{path}")
        return response.content.decode()

    def assert_nothing_expired(self, html, where):
        for title in (EXPIRED_MEETING, ORPHANED_MEETING, EXPIRED_SUBPAGE, "expired in EN"):
            self.assertNotIn(title, html, where)
        for page in self.gone:
            self.assertNotIn(f'"{page.translation_key}"', html, f"{where}: JSON-LD of {page}")
            for language in LANGUAGES:
                _host, path = address(page, language)
                self.assertNotIn(f'href="{path}"', html, f"{where}: link to {path}")

    def test_own_urls_are_404_in_every_language(self):
        for page in self.gone:
            for language in LANGUAGES:
                with self.subTest(page=page.title, language=language):
                    self.get(*address(page, language), status=404)

    def test_listings_menus_breadcrumbs_and_jsonld_leave_them_out(self):
        listings = [
            self.rpp,  # the platform's meetings, their JSON-LD
            PlatformIndexPage.objects.get(locale__language_code="cs"),  # platforms, next meetings
            self.visible,  # breadcrumbs and menus of a sibling
            self.area.get_parent(),  # a priority and its areas
            self.area.get_parent().get_parent(),  # the Concept's whole tree
            SharedPlatformPage.objects.get(),  # the ICP page showing the MHMP platform
            self.text_page,  # a text page's list of subpages
            *(page.get_site().root_page for page in (self.rpp, SharedPlatformPage.objects.get())),
        ]
        for page in listings:
            for language in LANGUAGES:
                with self.subTest(page=page.title, language=language):
                    html = self.get(*address(page, language))
                    self.assert_nothing_expired(html, f"{page.title} ({language})")
        html = self.get(*address(self.rpp, "cs"))
        self.assertIn(VISIBLE_MEETING, html)  # the check can fail: live meetings are listed

    def test_an_expired_translation_is_no_alternate_and_the_source_is_served(self):
        cs_host, cs_path = address(self.visible, "cs")
        html = self.get(cs_host, cs_path)
        self.assertNotIn('hreflang="en"', html)  # neither <link rel=alternate> nor the switcher
        english = self.get(*address(self.english_gone, "en"))
        self.assertIn(VISIBLE_MEETING, english)  # the Czech version, under /en/
        self.assertNotIn("expired in EN", english)

    def test_icp_route_to_an_expired_meeting_is_404(self):
        networking = SharedPlatformPage.objects.get()
        for language in LANGUAGES:
            host, path = address(networking, language)
            self.get(host, f"{path}setkani/{self.visible.pk}/")
            self.get(host, f"{path}setkani/{self.meeting.pk}/", status=404)

    def test_sitemaps_leave_them_out(self):
        for host in ("mhmp.localhost", "icp.localhost"):
            xml = sitemap_xml(self.client, host)
            for page in self.gone:
                for language in LANGUAGES:
                    path = address(page, language)[1]
                    self.assertFalse(f"{path}<" in xml, f"{host}: {path}")
        self.assertIn(address(self.visible, "cs")[1], sitemap_xml(self.client, "mhmp.localhost"))

    def test_api_and_calendar_leave_them_out(self):
        keys = {str(page.translation_key) for page in self.gone}
        lists = ["meetings/?", "meetings/?upcoming=true&", "platforms/?", "recommendations/?"]
        for language in LANGUAGES:
            for resource in lists:
                url = f"/api/v1/{resource}locale={language}&limit=100"
                data = self.client.get(url).json()
                served = {str(item.get("translation_key", "")) for item in data["results"]}
                served |= {str(item["id"]) for item in data["results"]}
                self.assertFalse(keys & served, url)
            ics = self.client.get(f"/api/v1/meetings/calendar.ics?locale={language}")
            self.assertEqual(ics.status_code, 200)
            text = ics.content.decode()
            self.assertNotIn("Testovací setkání po", text)
            self.assertNotIn("Testovací setkání vypršelé", text)
            self.assertIn(VISIBLE_MEETING, text)
            for page in (self.meeting, *self.orphans):
                self.assertEqual(self.client.get(f"/api/v1/meetings/{page.pk}/").status_code, 404)


class ExpiredSharedPlatformTests(TestCase):
    """The ICP shows the Regional Advisory Platform from the MHMP tree: once the platform has
    expired, its meetings are neither listed on the ICP page nor reachable through its route."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.meeting = make_meeting(cls.rpp, SOON, "13:00", "15:00", title=ORPHANED_MEETING)
        expire(cls.rpp)

    def test_icp_page_and_route_hide_the_expired_platform(self):
        networking = SharedPlatformPage.objects.get()
        for language in LANGUAGES:
            host, path = address(networking, language)
            response = self.client.get(path, HTTP_HOST=host)
            self.assertEqual(response.status_code, 200)
            html = response.content.decode()
            self.assertNotIn(ORPHANED_MEETING, html)
            self.assertNotIn(str(self.meeting.translation_key), html)
            self.assertNotIn(address(self.rpp, language)[1], html)
            route = self.client.get(f"{path}setkani/{self.meeting.pk}/", HTTP_HOST=host)
            self.assertEqual(route.status_code, 404)
        api = self.client.get("/api/v1/meetings/?site=icp.localhost").json()
        self.assertEqual(api["count"], 0)
