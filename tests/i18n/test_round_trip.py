"""An agency's round trip on the real seed: export everything for en and uk, translate every
segment (titles and slugs, with diacritics and Cyrillic), import with --publish, then crawl both
sites in cs, en and uk: every live page answers 200 and every internal link resolves."""

import re
import tempfile
from io import StringIO
from pathlib import Path

import polib
from django.core.management import call_command
from django.test import Client, TestCase
from wagtail.models import Page

from home.models import AccessibilityStatementPage
from tests.crawl import crawl

# What agencies write in a slug entry: words, not slugs.
SLUG_WORDS = {"en": "Síťování anglicky", "uk": "Регіональна платформа"}
TAG = {"en": "EN", "uk": "УК"}


def agency_translation(directory, language):
    """Fill EVERY msgstr of every PO file (already translated ones too), as an agency does."""
    for path in Path(directory).glob("*.po"):
        po = polib.pofile(str(path))
        for number, entry in enumerate(e for e in po if not e.obsolete):
            if entry.msgctxt == "slug":
                entry.msgstr = f"{SLUG_WORDS[language]} {number} {entry.msgid}"
            else:
                tag = TAG[language]
                entry.msgstr = re.sub(r"(^|>)([^<]+)", rf"\g<1>{tag} \g<2>", entry.msgid)
        po.save(str(path))


def round_trip(test_case, language):
    with tempfile.TemporaryDirectory() as tmp:
        with test_case.captureOnCommitCallbacks(execute=True):
            call_command(
                "export_translations", "--locale", language, "--all", "--output", tmp,
                stdout=StringIO(),
            )  # fmt: skip
        agency_translation(tmp, language)
        with test_case.captureOnCommitCallbacks(execute=True):
            call_command(
                "import_translations", tmp, "--locale", language, "--publish", stdout=StringIO()
            )


class AgencyRoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.czech_pages = Page.objects.live().filter(depth__gt=1, locale__language_code="cs")
        for language in ("en", "uk"):
            round_trip(cls, language)
        cls.report = crawl(Client(raise_request_exception=False))

    def test_every_page_in_every_language_answers_and_every_link_resolves(self):
        report = self.report
        print(f"\nround-trip crawl: {report.summary()}")  # the figures quoted in the issue
        self.assertEqual(report.errors, [], report.details())
        self.assertEqual(report.dead_links, [], report.details())
        czech = self.czech_pages.count()
        for language in ("cs", "en", "uk"):
            pages = sum(n for (_host, lang), n in report.pages.items() if lang == language)
            self.assertEqual(pages, czech, f"live pages in {language}")
        self.assertGreater(report.links_checked, 10 * 3 * czech)

    def test_translated_slugs_are_ascii_transliterations(self):
        slugs = {
            language: list(
                Page.objects.filter(locale__language_code=language, depth__gt=1).values_list(
                    "slug", flat=True
                )
            )
            for language in ("en", "uk")
        }
        for values in slugs.values():
            self.assertTrue(all(s.isascii() and s == s.lower() for s in values), values)
            # made from the translated slug entry, never from the translated title ("en-…")
            self.assertFalse([s for s in values if s.startswith(("en-", "uk-"))], values)
        self.assertTrue(all(s.startswith("sitovani-anglicky-") for s in slugs["en"]))
        self.assertTrue(all(s.startswith("regionalna-platforma-") for s in slugs["uk"]))

    def test_url_paths_follow_the_translated_slugs(self):
        for page in Page.objects.filter(depth__gt=2, locale__language_code__in=["en", "uk"]):
            parent = page.get_parent()
            self.assertEqual(page.url_path, f"{parent.url_path}{page.slug}/", page)

    def test_translations_of_czech_drafts_stay_drafts(self):
        # The seeded accessibility statements are empty Czech drafts: `--publish` must not make
        # their (exported and filled) translations public.
        statements = AccessibilityStatementPage.objects.exclude(locale__language_code="cs")
        self.assertTrue(statements.exists())
        self.assertFalse(statements.filter(live=True).exists())
