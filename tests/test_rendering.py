"""Rendered pages of both sites: every page answers with its Czech content; drafts and private
pages are never shown or linked; a meeting published once shows on both sites."""

import datetime
import json
import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Page

from concept.models import ConceptPage, RecommendationActor, RecommendationPage
from home.models import Organisation
from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage, SharedPlatformPage

from .utils import make_meeting, publish

# A phrase each seeded page must show (content, not template chrome).
EXPECTED = {
    "poradni-platformy": "Regionální poradní platforma",
    "komise-rady-pro-oblast-integrace-cizincu": "poradním a iniciačním orgánem Rady",
    "platforma-zastupcu-mestskych-casti": "Adresář",
    "regionalni-poradni-platforma": "Kdokoliv, kdo má zájem",
    "platforma-zastupcu-odboru-skolstvi": "3 setkání",
    "koncepce": "1.A.4.II",
    "priorita-1": "Integrace cizinců jako průřezová agenda",
    "1-a": "1.A.3",
    "1-a-4": "Realizovat pravidelná jednání Komise IC",
    "sitovani": "Jak probíhá spolupráce s městskými částmi?",
    "2024-11-21": "Arcidiecézní charita Praha",
    "2020-06-23": "SWOT analýza integrace cizinců v Praze",
}


def path_and_host(page):
    url = urlsplit(page.get_full_url())
    return url.path, url.hostname


class RenderedPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def get(self, page, **kwargs):
        path, host = path_and_host(page)
        return self.client.get(path, HTTP_HOST=host, **kwargs)

    def test_every_live_page_of_both_sites_answers_in_czech(self):
        pages = Page.objects.live().filter(depth__gt=1).specific()
        self.assertGreater(len(pages), 30)
        for page in pages:
            with self.subTest(page=page.url_path):
                response = self.get(page)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<html lang="cs"')
                self.assertContains(response, 'href="#main"')
                self.assertContains(response, 'id="main"')
                self.assertContains(response, page.title)
                if page.slug in EXPECTED:
                    self.assertContains(response, EXPECTED[page.slug])

    def test_sites_are_told_apart_by_hostname(self):
        self.assertContains(self.client.get("/cs/", HTTP_HOST="icp.localhost"), "Síťování")
        self.assertContains(self.client.get("/cs/", HTTP_HOST="mhmp.localhost"), "Koncepce")
        # The MHMP site is also the default for any other host.
        self.assertContains(self.client.get("/cs/", HTTP_HOST="127.0.0.1"), "Poradní platformy")

    def test_root_redirects_to_the_language_prefix(self):
        response = self.client.get("/", HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("/cs/"))

    def test_platform_page_shows_the_usual_venue_and_past_meetings(self):
        rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        response = self.get(rpp)
        self.assertContains(response, "Jungmannova 35/29, Praha 1")
        self.assertContains(response, "a.covrigova@icpraha.com")
        for meeting in rpp.meetings():
            self.assertContains(response, f'href="{path_and_host(meeting)[0]}"')

    def test_meeting_pages_carry_schema_org_event_markup(self):
        meeting = MeetingPage.objects.get(number=63)
        networking = SharedPlatformPage.objects.get()
        icp_path = path_and_host(networking)[0] + networking.reverse_subpage(
            "meeting", args=[meeting.pk]
        )
        for path, host in (path_and_host(meeting), (icp_path, "icp.localhost")):
            html = self.client.get(path, HTTP_HOST=host).content.decode()
            data = json.loads(
                re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
            )
            self.assertEqual(data["@type"], "Event")
            self.assertEqual(data["startDate"], "2024-11-21T13:00:00+01:00")
            self.assertEqual(data["location"]["name"], "Sál architektů, Staroměstská radnice")

    def test_icp_page_shows_the_rpp_from_the_mhmp_tree(self):
        networking = SharedPlatformPage.objects.get()
        response = self.get(networking)
        self.assertContains(response, "Kateřina Jará")
        self.assertContains(response, "sitovani@icpraha.com")
        self.assertContains(response, "Kdokoliv, kdo má zájem")  # RPP's own field
        self.assertContains(response, "Jungmannova 35/29")
        meeting = MeetingPage.objects.get(number=63)
        meeting_url = path_and_host(networking)[0] + networking.reverse_subpage(
            "meeting", args=[meeting.pk]
        )
        self.assertContains(response, f'href="{meeting_url}"')
        detail = self.client.get(meeting_url, HTTP_HOST="icp.localhost")
        self.assertContains(detail, "Panelová diskuse")


class ConceptActorsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def test_actors_with_their_role_show_on_the_recommendation_and_the_concept(self):
        recommendation = RecommendationPage.objects.get(code="1.A.1")
        nmc = Organisation.objects.get(short_name="odd. NMC")
        recommendation.actors.add(RecommendationActor(organisation=nmc, role="lead"))
        recommendation.save_revision().publish()
        for page in (recommendation, ConceptPage.objects.get()):
            path, host = path_and_host(page)
            response = self.client.get(path, HTTP_HOST=host)
            self.assertContains(response, "oddělení národnostních menšin a cizinců MHMP")
            self.assertContains(response, "gestor")


class OneSourceOfTruthTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.networking = SharedPlatformPage.objects.get()

    def test_a_new_meeting_shows_on_both_sites_as_the_next_meeting(self):
        date = timezone.localdate() + datetime.timedelta(days=10)
        make_meeting(self.rpp, date, "13:00", "16:00", topic="Téma z jediného zdroje")
        for page in (self.rpp, self.networking):
            path, host = path_and_host(page)
            response = self.client.get(path, HTTP_HOST=host)
            self.assertContains(response, "Téma z jediného zdroje")
            self.assertEqual(response.context["next_meeting"].topic, "Téma z jediného zdroje")

    def test_editing_the_platform_once_changes_both_sites(self):
        self.rpp.participation = "<p>Nově: přihlášky předem.</p>"
        self.rpp.save_revision().publish()
        for page in (self.rpp, self.networking):
            path, host = path_and_host(page)
            self.assertContains(self.client.get(path, HTTP_HOST=host), "Nově: přihlášky předem.")


class HiddenContentTests(TestCase):
    """Drafts, unpublished changes and view-restricted pages are never shown or linked."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.index = PlatformIndexPage.objects.get()
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.networking = SharedPlatformPage.objects.get()
        future = timezone.localdate() + datetime.timedelta(days=5)

        cls.draft_platform = publish(
            cls.index, PlatformPage(title="KONCEPT-PLATFORMA", slug="koncept", kind="commission")
        )
        cls.draft_platform.unpublish()
        cls.private_platform = publish(
            cls.index, PlatformPage(title="SOUKROMA-PLATFORMA", slug="soukroma", kind="commission")
        )
        cls.private_platform.view_restrictions.create(restriction_type="password", password="x")

        cls.draft_meeting = make_meeting(cls.rpp, future, topic="KONCEPT-SETKANI")
        cls.draft_meeting.unpublish()
        cls.private_meeting = make_meeting(
            cls.rpp, future, "10:00", topic="SOUKROME-SETKANI", slug="soukrome"
        )
        cls.private_meeting.view_restrictions.create(restriction_type="password", password="x")

        # A live meeting with an unpublished edit: readers see the published text only.
        cls.edited = make_meeting(cls.rpp, future, "12:00", topic="ZVEREJNENE", slug="upraveno")
        cls.edited.topic = "NEZVEREJNENA-ZMENA"
        cls.edited.save_revision()

    def pages_to_check(self):
        return [
            (self.index, "mhmp.localhost"),
            (self.rpp, "mhmp.localhost"),
            (self.networking, "icp.localhost"),
            (Page.objects.get(depth=2, slug="mhmp"), "mhmp.localhost"),
        ]

    def test_hidden_pages_are_not_listed_or_linked(self):
        texts = ["KONCEPT-PLATFORMA", "SOUKROMA-PLATFORMA", "KONCEPT-SETKANI", "SOUKROME-SETKANI"]
        texts.append("NEZVEREJNENA-ZMENA")
        hidden = [self.draft_platform, self.private_platform]
        hidden += [self.draft_meeting, self.private_meeting]
        links = [f'href="{path_and_host(page)[0]}"' for page in hidden]
        links += [f"/setkani/{page.pk}/" for page in (self.draft_meeting, self.private_meeting)]
        for page, host in self.pages_to_check():
            response = self.client.get(path_and_host(page)[0], HTTP_HOST=host)
            self.assertEqual(response.status_code, 200)
            for text in texts + links:
                with self.subTest(page=page.title, text=text):
                    self.assertNotContains(response, text)

    def test_draft_is_404_and_private_asks_for_the_password(self):
        draft = self.client.get("/cs/poradni-platformy/koncept/", HTTP_HOST="mhmp.localhost")
        self.assertEqual(draft.status_code, 404)
        private = self.client.get("/cs/poradni-platformy/soukroma/", HTTP_HOST="mhmp.localhost")
        self.assertEqual(private.status_code, 200)
        self.assertNotContains(private, "SOUKROMA-PLATFORMA")
        self.assertContains(private, 'type="password"')

    def test_the_live_text_of_an_edited_meeting_is_shown(self):
        response = self.client.get(path_and_host(self.edited)[0], HTTP_HOST="mhmp.localhost")
        self.assertContains(response, "ZVEREJNENE")
        self.assertNotContains(response, "NEZVEREJNENA-ZMENA")

    def test_icp_route_refuses_hidden_and_foreign_meetings(self):
        def meeting_url(meeting):
            return path_and_host(self.networking)[0] + self.networking.reverse_subpage(
                "meeting", args=[meeting.pk]
            )

        for meeting in (self.draft_meeting, self.private_meeting):
            response = self.client.get(meeting_url(meeting), HTTP_HOST="icp.localhost")
            self.assertEqual(response.status_code, 404)
        commission_meeting = MeetingPage.objects.get(date=datetime.date(2019, 3, 6))
        response = self.client.get(meeting_url(commission_meeting), HTTP_HOST="icp.localhost")
        self.assertEqual(response.status_code, 404)

    def test_unknown_path_is_a_friendly_404(self):
        response = self.client.get("/cs/neexistuje/", HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, 'lang="cs"', status_code=404)
