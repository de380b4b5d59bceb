"""A platform with its meetings and a snippet, translated into Ukrainian as one job, via PO."""

import tempfile

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page
from wagtail_localize.models import Translation

from home.translation.jobs import start_translation
from home.translation_status import IN_PROGRESS, MISSING, UP_TO_DATE, translation_states
from platforms.models import MeetingPage, PlatformPage, Venue

from .content import build_site, fill_po_dir, locale


class PlatformTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk = locale("uk")

    def translate_all_via_po(self, publish=True):
        with tempfile.TemporaryDirectory() as tmp:
            with self.captureOnCommitCallbacks(execute=True):
                call_command(
                    "export_translations",
                    "--locale",
                    "uk",
                    "--page",
                    str(self.c["home"].pk),
                    "--output",
                    tmp,
                    stdout=_Null(),
                )
            fill_po_dir(tmp)
            args = ["import_translations", tmp, "--locale", "uk"] + (
                ["--publish"] if publish else []
            )
            with self.captureOnCommitCallbacks(execute=True):
                call_command(*args, stdout=_Null())

    def test_platform_with_meetings_is_one_job_and_no_alias_parents(self):
        platform = self.c["platform"]
        with self.captureOnCommitCallbacks(execute=True):
            translations = start_translation(platform, [self.uk], include_subtree=True)
        # platform + 2 meetings (+ the snippets they use: venue, person)
        translated_pages = {
            t.source.object_id
            for t in translations
            if t.source.specific_content_type.model.endswith("page")
        }
        self.assertEqual(len(translated_pages), 3)
        uk_pages = Page.objects.filter(locale=self.uk)
        # parents were created as draft translations, never aliases serving Czech under /uk/
        self.assertEqual(uk_pages.count(), 5)
        self.assertFalse(uk_pages.filter(alias_of__isnull=False).exists())
        self.assertFalse(uk_pages.filter(live=True).exists())
        self.assertTrue(Venue.objects.filter(locale=self.uk).exists())
        states = translation_states(PlatformPage, [platform.translation_key])
        self.assertEqual(states[platform.translation_key]["uk"].status, IN_PROGRESS)
        self.assertEqual(states[platform.translation_key]["en"].status, MISSING)
        self.assertEqual(states[platform.translation_key]["cs"].status, UP_TO_DATE)

    def test_admin_translate_with_subtree_is_one_action(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.urls import reverse

        from home.translation.roles import EDITOR_GROUP

        editor = get_user_model().objects.create_user("ed", "ed@ex.org", "pw")
        editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
        self.client.force_login(editor)
        url = reverse("wagtail_localize:submit_page_translation", args=[self.c["platform"].pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"locales": [self.uk.pk], "include_subtree": "on"})
        self.assertEqual(response.status_code, 302)
        uk_pages = Page.objects.filter(locale=self.uk)
        self.assertEqual(uk_pages.count(), 5)  # home, index (parents), platform, two meetings
        self.assertEqual(MeetingPage.objects.filter(locale=self.uk).count(), 2)
        # wagtail-localize made the parents aliases of the Czech pages; they were converted
        self.assertFalse(uk_pages.filter(alias_of__isnull=False).exists())
        self.assertFalse(uk_pages.filter(live=True).exists())

    def test_po_round_trip_publishes_and_renders_ukrainian(self):
        self.translate_all_via_po(publish=True)
        uk_platform = self.c["platform"].get_translation(self.uk)
        self.assertTrue(uk_platform.live)
        self.assertTrue(uk_platform.title.startswith("УК "))
        uk_venue = self.c["venue"].get_translation(self.uk)
        self.assertEqual(uk_venue.name, "УК Sál architektů")

        response = self.client.get(uk_platform.url, HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "УК Platforma sdružuje aktéry integrace.")
        self.assertContains(response, "УК SWOT analýza integrace cizinců v Praze")
        self.assertContains(response, "УК kontakt pro veřejnost")
        self.assertNotContains(response, "<p>Platforma sdružuje")
        self.assertContains(response, 'hreflang="uk"')
        self.assertContains(response, 'hreflang="x-default"')
        self.assertContains(response, 'lang="cs"')  # the switcher offers Czech, in Czech
        self.assertNotContains(response, 'hreflang="en"')  # no English version exists
        states = translation_states(PlatformPage, [self.c["platform"].translation_key])
        self.assertEqual(states[self.c["platform"].translation_key]["uk"].status, UP_TO_DATE)
        venue_states = translation_states(Venue, [self.c["venue"].translation_key])
        self.assertEqual(venue_states[self.c["venue"].translation_key]["uk"].status, UP_TO_DATE)

    def test_unpublished_translations_are_not_shown(self):
        self.translate_all_via_po(publish=True)
        meeting = self.c["meetings"][1]
        uk_meeting = meeting.get_translation(self.uk)
        url = uk_meeting.url
        uk_meeting.unpublish()
        # Its Ukrainian address now serves the live Czech meeting, marked as not translated,
        # never the unpublished Ukrainian text.
        response = self.client.get(url, HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, meeting.pk)
        self.assertContains(response, "Ця сторінка ще не перекладена")
        self.assertNotContains(response, "УК Plán na rok 2021")
        platform_page = self.client.get(
            self.c["platform"].get_translation(self.uk).url, HTTP_HOST="mhmp.localhost"
        )
        self.assertNotContains(platform_page, "УК Plán na rok 2021")
        czech = self.client.get(meeting.url, HTTP_HOST="mhmp.localhost")
        self.assertNotContains(czech, 'hreflang="uk"')

    def test_untranslated_page_under_uk_is_marked_as_czech(self):
        # No Ukrainian tree: the reader gets the Czech page in Ukrainian chrome; the Czech part
        # carries lang="cs" together with the notice in Ukrainian.
        response = self.client.get("/uk/poradni-platformy/", HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="uk"')
        self.assertContains(response, '<header class="page-header" lang="cs">')
        self.assertContains(response, '<p class="language-fallback" role="note" lang="uk">')
        self.assertContains(response, "Ця сторінка ще не перекладена")
        self.assertNotContains(response, '<link rel="alternate" hreflang="uk"')

    def test_import_without_publish_keeps_drafts(self):
        self.translate_all_via_po(publish=False)
        uk_platform = self.c["platform"].get_translation(self.uk)
        self.assertFalse(uk_platform.live)
        draft = uk_platform.get_latest_revision_as_object()
        self.assertTrue(draft.title.startswith("УК "))
        self.assertEqual(
            Translation.objects.filter(target_locale=self.uk, enabled=True).count(),
            Translation.objects.filter(target_locale=self.uk).count(),
        )
        czech = self.client.get(self.c["meetings"][0].url, HTTP_HOST="mhmp.localhost")
        self.assertEqual(czech.status_code, 200)
        self.assertNotContains(czech, 'hreflang="uk"')
        self.assertFalse(MeetingPage.objects.filter(locale=self.uk, live=True).exists())


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
