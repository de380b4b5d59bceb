"""Snippet translations (venues, people) are drafts until someone publishes them: exporting,
starting or syncing a translation never puts them in front of an English reader."""

import re
import shutil
import tempfile

from django.core.management import call_command
from django.test import TestCase
from wagtail_localize.models import Translation
from wagtail_localize.operations import translate_object

from home.models import ContentChange
from home.translation.jobs import start_translation
from home.translation.po import export_translations, write_files
from home.translation_status import IN_PROGRESS, UP_TO_DATE, translation_states
from platforms.models import MeetingPage, PlatformPage, Venue

from .content import build_site, fill_po_dir, locale, publish
from .test_end_to_end import _Null


def english(text):
    return re.sub(r"(^|>)([^<]+)", lambda m: f"{m.group(1)}EN {m.group(2)}", text)


class SnippetDraftTests(TestCase):
    """The platform is exported to English and every string translated ("EN …"); the import
    saves drafts; then the English meeting page (not its venue) is published."""

    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.en = locale("en")
        cls.venue, cls.person = cls.c["venue"], cls.c["person"]
        directory = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, directory, True)
        with cls.captureOnCommitCallbacks(execute=True):
            call_command(
                "export_translations",
                *("--locale", "en", "--page", str(cls.c["platform"].pk)),
                *("--output", directory),
                stdout=_Null(),
            )
        with cls.captureOnCommitCallbacks(execute=True):  # a contact's person is exported alone
            write_files(export_translations(cls.en, [], snippets=[cls.person]), directory)
        fill_po_dir(directory, translate=english)
        with cls.captureOnCommitCallbacks(execute=True):
            call_command("import_translations", directory, "--locale", "en", stdout=_Null())
        cls.meeting = cls.c["meetings"][0]
        cls.en_meeting = cls.meeting.get_translation(cls.en)
        with cls.captureOnCommitCallbacks(execute=True):
            cls.en_meeting.get_latest_revision().publish()
            for page in cls.en_meeting.get_ancestors().filter(depth__gt=1).specific():
                if page.locale_id == cls.en.pk:
                    page.get_latest_revision().publish()

    def en_venue(self):
        return Venue.objects.get(translation_key=self.venue.translation_key, locale=self.en)

    def publish_en_venue(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.en_venue().get_latest_revision().publish()

    def api(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response

    # --- what readers see ---------------------------------------------------------------------
    def test_translations_start_as_drafts_with_the_agency_text(self):
        venue = self.en_venue()
        self.assertFalse(venue.live)
        self.assertEqual(venue.name, "EN Sál architektů")  # the import saved the draft
        self.assertFalse(self.person.get_translation(self.en).live)

    def test_api_serves_czech_as_fallback_until_published(self):
        key = self.venue.translation_key
        detail = self.api(f"/api/v1/venues/{key}/?locale=en").json()
        self.assertEqual(
            (detail["name"], detail["locale"], detail["fallback"]), ("Sál architektů", "cs", True)
        )
        en_state = next(t for t in detail["translations"] if t["language"] == "en")
        self.assertEqual((en_state["status"], en_state["url"]), (IN_PROGRESS, None))
        listed = self.api("/api/v1/venues/?locale=en").json()["results"]
        self.assertEqual([(v["name"], v["fallback"]) for v in listed], [("Sál architektů", True)])
        person = self.api(f"/api/v1/people/{self.person.translation_key}/?locale=en").json()
        self.assertEqual((person["role"], person["fallback"]), ("koordinátorka", True))

        self.publish_en_venue()
        detail = self.api(f"/api/v1/venues/{key}/?locale=en").json()
        self.assertEqual(
            (detail["name"], detail["locale"], detail["fallback"]),
            ("EN Sál architektů", "en", False),
        )
        en_state = next(t for t in detail["translations"] if t["language"] == "en")
        self.assertEqual(
            (en_state["status"], en_state["available"], en_state["url"]),
            (UP_TO_DATE, True, f"http://testserver/api/v1/venues/{key}/?locale=en"),
        )

    def test_embedded_venues_and_people_fall_back(self):
        meeting = self.api(f"/api/v1/meetings/{self.meeting.translation_key}/?locale=en").json()
        self.assertEqual(meeting["locale"], "en")
        self.assertEqual(
            (meeting["venue"]["name"], meeting["venue"]["fallback"]), ("Sál architektů", True)
        )
        platform = self.api(
            f"/api/v1/platforms/{self.c['platform'].translation_key}/?locale=en"
        ).json()
        self.assertEqual(platform["usual_venue"]["locale"], "cs")
        self.assertEqual(platform["contacts"][0]["person"]["locale"], "cs")

        self.publish_en_venue()
        meeting = self.api(f"/api/v1/meetings/{self.meeting.translation_key}/?locale=en").json()
        self.assertEqual(
            (meeting["venue"]["name"], meeting["venue"]["fallback"]), ("EN Sál architektů", False)
        )

    def test_calendar_uses_the_published_venue_only(self):
        feed = self.api("/api/v1/meetings/calendar.ics?locale=en").content.decode()
        self.assertIn("LOCATION:Sál architektů", feed)
        self.assertNotIn("EN Sál", feed)
        self.publish_en_venue()
        feed = self.api("/api/v1/meetings/calendar.ics?locale=en").content.decode()
        self.assertIn("LOCATION:EN Sál architektů", feed)

    def test_english_page_and_its_json_ld_show_the_venue_once_published(self):
        url = self.en_meeting.get_url()
        self.assertTrue(url.startswith("/en/"), url)
        html = self.client.get(url, HTTP_HOST="mhmp.localhost").content.decode()
        self.assertIn("EN Úvodní slovo", html)  # the page itself is the English one
        self.assertIn("Sál architektů", html)
        self.assertNotIn("EN Sál", html)  # neither in the text nor in the JSON-LD
        self.publish_en_venue()
        html = self.client.get(url, HTTP_HOST="mhmp.localhost").content.decode()
        self.assertIn('"name": "EN Sál architektů, EN 2. patro"', html)  # JSON-LD location
        self.assertIn('<span class="venue__name">EN Sál architektů</span>', html)

    def test_status_in_progress_until_published(self):
        def status():
            key = self.venue.translation_key
            return translation_states(Venue, [key])[key]["en"].status

        self.assertEqual(status(), IN_PROGRESS)
        self.publish_en_venue()
        self.assertEqual(status(), UP_TO_DATE)

    # --- workflow steps never publish, and never unpublish --------------------------------------
    def test_starting_again_keeps_a_published_translation_live(self):
        self.publish_en_venue()
        with self.captureOnCommitCallbacks(execute=True):
            start_translation(self.c["meetings"][1], [self.en])  # uses the same venue
            translate_object(self.c["platform"], [self.en])  # wagtail-localize's admin action
        venue = self.en_venue()
        self.assertTrue(venue.live)
        self.assertEqual(venue.name, "EN Sál architektů")

    def test_czech_publish_syncs_live_translations_only(self):
        def publish_czech_email(email):
            self.person.email = email
            with self.captureOnCommitCallbacks(execute=True):
                self.person.save_revision().publish()
            return self.person.get_translation(self.en)

        person_en = publish_czech_email("nova@ex.org")
        self.assertFalse(person_en.live)  # a draft translation stays a draft
        with self.captureOnCommitCallbacks(execute=True):
            person_en.get_latest_revision().publish()
        person_en = publish_czech_email("dalsi@ex.org")
        self.assertTrue(person_en.live)  # a published one follows the synchronised field
        self.assertEqual(person_en.email, "dalsi@ex.org")

    def test_czech_draft_changes_nothing(self):
        self.venue.name = "Nový sál"
        with self.captureOnCommitCallbacks(execute=True):
            self.venue.save_revision()  # saved as a draft in the admin
        self.venue.refresh_from_db()
        self.assertEqual(self.venue.name, "Sál architektů")
        self.assertFalse(
            Translation.objects.get(
                source__object_id=self.venue.translation_key, target_locale=self.en
            ).source.content_json.count("Nový sál")
        )

    def test_export_again_and_sync_command_keep_drafts(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory, True)
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "export_translations",
                *("--locale", "en", "--all", "--output", directory),
                stdout=_Null(),
            )
            call_command("sync_translations", stdout=_Null())
        self.assertFalse(self.en_venue().live)
        self.assertFalse(self.person.get_translation(self.en).live)

    def test_a_draft_import_leaves_a_published_venue_translation_live(self):
        """A published snippet translation is never saved as a draft by an import (it would go
        offline): the agency's new strings wait in the translation editor, readers keep the
        published name."""
        self.publish_en_venue()
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory, True)
        with self.captureOnCommitCallbacks(execute=True):
            write_files(export_translations(self.en, [], snippets=[self.venue]), directory)
        fill_po_dir(directory, translate=lambda text: f"NEW {text}", only={"Sál architektů"})
        with self.captureOnCommitCallbacks(execute=True):
            call_command("import_translations", directory, "--locale", "en", stdout=_Null())
        venue = self.en_venue()
        self.assertEqual((venue.live, venue.name), (True, "EN Sál architektů"))
        detail = self.api(f"/api/v1/venues/{self.venue.translation_key}/?locale=en").json()
        self.assertEqual((detail["name"], detail["fallback"]), ("EN Sál architektů", False))


class UnpublishedCzechSnippetTests(TestCase):
    """A Czech venue saved as a draft (never published) is shown nowhere."""

    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.venue = Venue.objects.create(name="Tajný sál", live=False)
        cls.meeting = cls.c["meetings"][0]
        cls.meeting.venue = cls.venue
        publish(cls.meeting)
        PlatformPage.objects.filter(pk=cls.c["platform"].pk).update(usual_venue=cls.venue)

    def test_not_in_the_api(self):
        key = self.venue.translation_key
        self.assertEqual(self.client.get(f"/api/v1/venues/{key}/").status_code, 404)
        names = [v["name"] for v in self.client.get("/api/v1/venues/").json()["results"]]
        self.assertNotIn("Tajný sál", names)
        meeting = self.client.get(f"/api/v1/meetings/{self.meeting.translation_key}/").json()
        self.assertIsNone(meeting["venue"])
        platform = self.client.get(f"/api/v1/platforms/{self.c['platform'].translation_key}/")
        self.assertIsNone(platform.json()["usual_venue"])
        self.assertNotIn("Tajný", self.client.get("/api/v1/meetings/calendar.ics").content.decode())

    def test_not_on_pages(self):
        meeting = MeetingPage.objects.get(pk=self.meeting.pk)
        for url in (meeting.url, self.c["platform"].url):
            response = self.client.get(url, HTTP_HOST="mhmp.localhost")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("Tajný", response.content.decode())

    def test_published_it_shows(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.venue.save_revision().publish()
        response = self.client.get(self.meeting.url, HTTP_HOST="mhmp.localhost")
        self.assertIn("Tajný sál", response.content.decode())


class ContentChangeTests(TestCase):
    """The API's `modified` follows what readers see: publishing, not drafts."""

    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.venue = cls.c["venue"]

    def modified(self):
        return ContentChange.objects.get(
            model="platforms.venue", translation_key=self.venue.translation_key, language="cs"
        ).modified

    def test_draft_does_not_move_modified_publishing_does(self):
        before = self.modified()
        self.venue.name = "Nový sál"
        self.venue.save_revision()
        self.assertEqual(self.modified(), before)
        detail = self.client.get(f"/api/v1/venues/{self.venue.translation_key}/").json()
        self.assertEqual(detail["name"], "Sál architektů")
        self.venue.get_latest_revision().publish()
        self.assertGreater(self.modified(), before)

    def test_new_translation_draft_records_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            start_translation(self.venue, [locale("en")])
        self.assertFalse(
            ContentChange.objects.filter(model="platforms.venue", language="en").exists()
        )
