"""On a translated platform page, a meeting not yet translated still shows, in Czech, marked with
lang="cs" and a notice in the reader's language; a translated meeting shows once, translated."""

import datetime
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Locale

from platforms.models import MeetingPage, PlatformPage, SharedPlatformPage, Venue

from .api.factories import translate
from .utils import make_meeting


class MeetingFallbackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.rpp_uk = translate(cls.rpp, "uk", title="Регіональна консультативна платформа")
        cls.networking_uk = translate(SharedPlatformPage.objects.get(), "uk", title="Мережа")
        soon = timezone.localdate() + datetime.timedelta(days=9)
        cls.czech_only = make_meeting(cls.rpp, soon, "13:00", "16:00", topic="JEN-CESKY")
        cls.both = make_meeting(
            cls.rpp, soon - datetime.timedelta(days=30), "10:00", topic="CESKE-TEMA"
        )
        translate(cls.both, "uk", topic="УКРАЇНСЬКА-ТЕМА")

    def get(self, page):
        url = urlsplit(page.get_full_url())
        return self.client.get(url.path, HTTP_HOST=url.hostname)

    def test_untranslated_meeting_is_shown_in_czech_and_marked(self):
        for page in (self.rpp_uk, self.networking_uk):
            with self.subTest(page=page.title):
                response = self.get(page)
                self.assertContains(response, '<html lang="uk"')
                self.assertEqual(response.context["next_meeting"].topic, "JEN-CESKY")
                self.assertContains(response, '<div lang="cs">')
                self.assertContains(response, "ще не перекладено")
                self.assertContains(response, "JEN-CESKY")

    def test_a_translated_meeting_shows_once_in_the_translation(self):
        response = self.get(self.rpp_uk)
        self.assertContains(response, "УКРАЇНСЬКА-ТЕМА")
        self.assertNotContains(response, "CESKE-TEMA")

    def test_the_czech_page_lists_only_czech_meetings(self):
        response = self.get(self.rpp)
        self.assertContains(response, "CESKE-TEMA")
        self.assertNotContains(response, "УКРАЇНСЬКА-ТЕМА")
        self.assertNotContains(response, "ще не перекладено")
        self.assertNotContains(response, "zatím nepřeloženo")

    def test_an_unpublished_venue_is_shown_to_no_reader(self):
        venue = Venue.objects.create(
            name="NEZVEREJNENE-MISTO", live=False, locale=Locale.objects.get(language_code="cs")
        )
        MeetingPage.objects.filter(pk=self.czech_only.pk).update(venue=venue)
        # listed before it: a cancelled meeting without a venue (a gap in the venues localized)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        make_meeting(self.rpp, tomorrow, "10:00", status=MeetingPage.Status.CANCELLED)
        for page in (self.rpp, self.rpp_uk):
            with self.subTest(page=page.title):
                response = self.get(page)
                self.assertContains(response, "JEN-CESKY")  # the meeting, without its venue
                self.assertNotContains(response, "NEZVEREJNENE-MISTO")

    def test_a_venue_past_its_expiry_is_shown_to_no_reader(self):
        """Gone at its expiry, before `publish_scheduled` unpublishes it (still live)."""
        venue = Venue.objects.create(
            name="PROSLE-MISTO", live=True, locale=Locale.objects.get(language_code="cs")
        )
        Venue.objects.filter(pk=venue.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        MeetingPage.objects.filter(pk=self.czech_only.pk).update(venue=venue)
        for page in (self.rpp, self.rpp_uk):
            with self.subTest(page=page.title):
                response = self.get(page)
                self.assertContains(response, "JEN-CESKY")
                self.assertNotContains(response, "PROSLE-MISTO")
