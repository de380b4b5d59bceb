"""Every rendered page names its canonical address: its own, except what another site only shows
(a meeting routed through the ICP's Síťování page, an alias), which points to where it is kept."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase

from home.seed import home_page
from platforms.models import PlatformPage, SharedPlatformPage

from .api.factories import translate

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


class CanonicalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.networking = SharedPlatformPage.objects.get()
        cls.meeting = cls.rpp.past_meetings().first()
        cls.czech_only_meeting = cls.rpp.past_meetings().last()
        cls.rpp_uk = translate(cls.rpp, "uk", title="Платформа", slug="platforma")
        cls.meeting_uk = translate(cls.meeting, "uk", title="Засідання", slug="zasidannia")
        cls.networking_uk = translate(cls.networking, "uk", title="Мережа", slug="merezha")

    def canonical(self, path, host):
        response = self.client.get(path, HTTP_HOST=host)
        self.assertEqual(response.status_code, 200, path)
        found = CANONICAL.findall(response.content.decode())
        self.assertEqual(len(found), 1, "exactly one canonical link")
        return found[0]

    def canonical_of(self, page, route=""):
        url = urlsplit(page.get_full_url())
        return self.canonical(url.path + route, url.hostname)

    def meeting_route(self, meeting):
        return self.networking.reverse_subpage("meeting", args=[meeting.pk])

    def test_a_page_is_its_own_canonical_in_every_language(self):
        for page in (self.rpp, self.rpp_uk, self.meeting, self.meeting_uk, home_page("icp")):
            with self.subTest(page=page.title):
                self.assertEqual(self.canonical_of(page), page.get_full_url())
        self.assertTrue(self.rpp_uk.get_full_url().startswith("http://mhmp.localhost/uk/"))

    def test_the_icp_networking_page_is_its_own_canonical(self):
        # It has its own text and contacts: not a copy of the MHMP platform page.
        for page in (self.networking, self.networking_uk):
            with self.subTest(language=page.locale.language_code):
                self.assertEqual(self.canonical_of(page), page.get_full_url())
                self.assertTrue(page.get_full_url().startswith("http://icp.localhost/"))

    def test_a_meeting_shown_on_the_icp_site_points_to_its_mhmp_address(self):
        for frame, meeting in (
            (self.networking, self.meeting),
            (self.networking_uk, self.meeting_uk),
            # Not translated yet: the uk frame shows the Czech meeting, kept at its Czech address.
            (self.networking_uk, self.czech_only_meeting),
        ):
            with self.subTest(language=frame.locale.language_code, meeting=meeting.title):
                canonical = self.canonical_of(frame, self.meeting_route(meeting))
                self.assertEqual(canonical, meeting.get_full_url())
                language = meeting.locale.language_code
                self.assertTrue(canonical.startswith(f"http://mhmp.localhost/{language}/"))

    def test_an_alias_points_to_its_original(self):
        alias = self.rpp.create_alias(parent=home_page("icp"), update_slug="rpp-alias")
        self.assertEqual(self.canonical_of(alias), self.rpp.get_full_url())
