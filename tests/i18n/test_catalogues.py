"""The UI strings (Czech msgids) are translated for en and uk from the committed .po files."""

import os
import shutil
import tempfile
from pathlib import Path
from unittest import skipUnless

import polib
from django.conf import settings
from django.core.management import call_command
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


@skipUnless(
    shutil.which("xgettext"), "GNU gettext's xgettext is not installed (apt install gettext)"
)
class CatalogueInStepWithTheCodeTests(SimpleTestCase):
    """Every UI string in the code is in the committed catalogues, translated: the test above only
    sees entries already in the .po files, so a string added to the code without `make
    catalogues` would reach readers untranslated."""

    def test_make_catalogues_finds_nothing_to_translate(self):
        root = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory() as folder:
            tree = Path(folder)
            # makemessages reads the tree it runs in and writes to ./locale: a copy of the
            # catalogues beside links to the code, so the committed files stay untouched.
            shutil.copytree(root / "locale", tree / "locale")
            for name in ("cms", "home", "platforms", "concept", "syndication", "templates"):
                (tree / name).symlink_to(root / name)
            cwd = os.getcwd()
            os.chdir(tree)
            try:
                call_command("makemessages", locale=["en", "uk"], symlinks=True, verbosity=0)
            finally:
                os.chdir(cwd)
            for language in ("en", "uk"):
                po = polib.pofile(str(tree / "locale" / language / "LC_MESSAGES" / "django.po"))
                missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
                self.assertEqual(missing, [], f"{language}: run `make catalogues` and translate")
