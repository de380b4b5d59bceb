"""The UI strings (Czech msgids) are translated for en and uk from the committed .po files."""

from pathlib import Path

import polib
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation


class CatalogueTests(SimpleTestCase):
    def test_ui_strings_are_translated(self):
        for language, expected in (
            ("cs", "Příští setkání"),
            ("en", "Next meeting"),
            ("uk", "Наступне засідання"),
        ):
            with translation.override(language):
                self.assertEqual(translation.gettext("Příští setkání"), expected)
                self.assertNotEqual(
                    translation.gettext("Jazyk"), "" if language == "cs" else "Jazyk"
                )

    def test_catalogues_are_complete_and_committed_as_po(self):
        for language in ("en", "uk"):
            path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(path))
            self.assertEqual(po.untranslated_entries(), [], language)
            self.assertEqual(po.fuzzy_entries(), [], language)
