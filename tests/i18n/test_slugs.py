"""Translated slugs: whatever an agency writes in a slug entry becomes a valid ASCII slug, unique
among its siblings, and the page answers at that address."""

import shutil
import tempfile
from pathlib import Path
from unittest import mock

import polib
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase
from wagtail.models import Page

from platforms.models import MeetingPage

from .content import build_site, fill_po_dir, locale
from .test_end_to_end import _Null


class TranslatedSlugTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk_locale = locale("uk")

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp, True)
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "export_translations", "--locale", "uk", "--page", str(self.c["home"].pk),
                "--output", str(self.tmp), stdout=_Null(),
            )  # fmt: skip
        fill_po_dir(self.tmp)

    def set_slug(self, page, text):
        path = next(self.tmp.glob(f"page-{page.pk}-*.po"))
        po = polib.pofile(str(path))
        po.find("slug", by="msgctxt").msgstr = text
        po.save(str(path))

    def import_and_publish(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "import_translations", str(self.tmp), "--locale", "uk", "--publish",
                stdout=_Null(), stderr=_Null(),
            )  # fmt: skip

    def uk(self, page):
        return page.get_translation(self.uk_locale)

    def assert_answers(self, page):
        response = self.client.get(page.url, HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 200, page.url)

    def test_cyrillic_and_czech_slugs_are_transliterated(self):
        platform, meeting = self.c["platform"], self.c["meetings"][0]
        self.set_slug(platform, "Регіональна платформа")
        self.set_slug(meeting, "Síťování – červen")
        self.import_and_publish()
        self.assertEqual(self.uk(platform).slug, "regionalna-platforma")
        self.assertEqual(self.uk(meeting).slug, "sitovani-cerven")
        url = self.uk(meeting).url
        self.assertTrue(url.endswith("/regionalna-platforma/sitovani-cerven/"), url)
        self.assertTrue(url.isascii() and url.startswith("/uk/"), url)
        self.assert_answers(self.uk(meeting))

    def test_slug_without_letters_or_left_untranslated_keeps_the_source_slug(self):
        platform, meeting = self.c["platform"], self.c["meetings"][0]
        self.set_slug(platform, "???")
        self.set_slug(meeting, "")
        self.import_and_publish()
        self.assertEqual(self.uk(platform).slug, platform.slug)
        self.assertEqual(self.uk(meeting).slug, meeting.slug)
        self.assertTrue(self.uk(meeting).title.startswith("УК "))  # titles did not make slugs
        self.assert_answers(self.uk(meeting))

    def test_sibling_slug_clash_gets_a_suffix(self):
        first, second = self.c["meetings"]
        self.set_slug(first, "Зустріч")
        self.set_slug(second, "Зустріч")
        self.import_and_publish()
        self.assertEqual({self.uk(first).slug, self.uk(second).slug}, {"zustrich", "zustrich-1"})
        self.assert_answers(self.uk(first))
        self.assert_answers(self.uk(second))

    def test_the_sibling_first_in_the_menu_keeps_the_plain_slug(self):
        """Suffixes go in tree order (as the editor sorted the pages), not in the order of the
        files' names (page ids)."""
        first, second = self.c["meetings"]
        second.move(first, pos="left")  # the later page now comes first
        self.set_slug(first, "Зустріч")
        self.set_slug(second, "Зустріч")
        self.import_and_publish()
        self.assertEqual((self.uk(second).slug, self.uk(first).slug), ("zustrich", "zustrich-1"))

    def test_a_title_too_long_is_an_error_naming_the_file_and_nothing_changes(self):
        meeting = self.c["meetings"][1]
        path = next(self.tmp.glob(f"page-{meeting.pk}-*.po"))
        po = polib.pofile(str(path))
        po.find("title", by="msgctxt").msgstr = "x" * 300  # longer than a title may be
        po.save(str(path))
        with self.assertRaisesMessage(CommandError, path.name):
            self.import_and_publish()
        self.assertFalse(Page.objects.filter(locale=self.uk_locale, live=True).exists())

    def test_a_page_that_cannot_be_published_fails_the_whole_import(self):
        # Pages are published inside the import's transaction (wagtail-localize would publish
        # after the commit): the last page failing leaves nothing published.
        last = self.c["meetings"][1]
        original_clean = MeetingPage.clean

        def clean(page):
            if page.translation_key == last.translation_key and page.locale_id == self.uk_locale.pk:
                raise ValidationError({"topic": "refused"})
            original_clean(page)

        refusing = mock.patch.object(MeetingPage, "clean", clean)
        with refusing, self.assertRaisesMessage(CommandError, f"page-{last.pk}-"):
            self.import_and_publish()
        self.assertFalse(Page.objects.filter(locale=self.uk_locale, live=True).exists())
