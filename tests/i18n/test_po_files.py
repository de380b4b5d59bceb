"""PO export/import: same result as the editor; every kind of bad file refused, nothing changed."""

import io
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import polib
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, Page, PageLogEntry
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

import home
from home.translation.background import create_job, run_job
from home.translation.jobs import start_translation
from home.translation.models import TranslationJob
from home.translation.po import (
    TRANSLATION_ID_HEADER,
    ExportedFile,
    check_po_files,
    export_translations,
    import_translations,
    other_language,
    read_directory,
    write_files,
)
from platforms.models import MeetingPage, PlatformPage, Venue

from ..api.factories import translate
from ..utils import make_meeting
from .content import build_site, fill_po_dir, locale, ukrainian
from .test_end_to_end import _Null


class POFileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk = locale("uk")

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(lambda: __import__("shutil").rmtree(self.tmp, ignore_errors=True))

    def export(self, *extra, language="uk"):
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "export_translations",
                "--locale",
                language,
                *extra,
                "--output",
                str(self.tmp),
                stdout=_Null(),
            )

    def import_(self, *extra, language="uk", directory=None):
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "import_translations",
                str(directory or self.tmp),
                "--locale",
                language,
                *extra,
                stdout=_Null(),
                stderr=_Null(),
            )

    def platform_po(self):
        return next(self.tmp.glob(f"page-{self.c['platform'].pk}-*.po"))

    def test_export_starts_translation_and_writes_headers(self):
        self.assertFalse(Translation.objects.exists())
        self.export("--page", str(self.c["platform"].pk))
        po = polib.pofile(str(self.platform_po()))
        translation = Translation.objects.get(
            source__object_id=self.c["platform"].translation_key, target_locale=self.uk
        )
        self.assertEqual(po.metadata["X-WagtailLocalize-TranslationID"], str(translation.uuid))
        self.assertEqual(po.metadata["Language"], "uk")
        self.assertIn("Regionální poradní platforma", [e.msgid for e in po])
        # the meetings come along (subtree) and the parents to make the URL, and the venue
        names = sorted(p.name.split("-")[0] for p in self.tmp.glob("*.po"))
        self.assertEqual(names.count("page"), 5)
        self.assertTrue(any(p.name.startswith("platforms.venue") for p in self.tmp.glob("*.po")))

    def test_po_import_equals_translating_in_the_editor(self):
        platform = self.c["platform"]
        self.export("--page", str(platform.pk), "--no-subtree")
        po = polib.pofile(str(self.platform_po()))
        # The editor's way, through wagtail-localize's string API, into English
        en = locale("en")
        with self.captureOnCommitCallbacks(execute=True):
            (en_translation,) = [
                t
                for t in start_translation(platform, [en])
                if t.source.object_id == platform.translation_key
            ]
        admin = get_user_model().objects.create_superuser("admin", "a@ex.org", "pw")
        self.client.force_login(admin)
        for segment in StringSegment.objects.filter(source=en_translation.source).select_related(
            "string"
        ):
            response = self.client.put(
                reverse(
                    "wagtail_localize:edit_string_translation", args=[en_translation.pk, segment.pk]
                ),
                data=f"value={ukrainian(segment.string.data)}".encode(),
                content_type="application/x-www-form-urlencoded",
            )
            self.assertIn(response.status_code, (200, 201))
        with self.captureOnCommitCallbacks(execute=True):
            Translation.objects.get(pk=en_translation.pk).save_target(publish=True)
        # The agency's way, by PO file, into Ukrainian
        for path in self.tmp.glob("*.po"):
            if path != self.platform_po():
                path.unlink()
        fill_po_dir(self.tmp)
        self.import_("--publish")
        by_editor = PlatformPage.objects.get(translation_key=platform.translation_key, locale=en)
        by_po = PlatformPage.objects.get(translation_key=platform.translation_key, locale=self.uk)
        for field in ("title", "summary", "description"):
            self.assertEqual(getattr(by_editor, field), getattr(by_po, field), field)
        self.assertEqual(by_po.title, "УК Regionální poradní platforma")
        self.assertEqual(
            len(po), StringSegment.objects.filter(source=en_translation.source).count()
        )

    # --- bad files: a clear message, non-zero exit (CommandError), nothing changed ---------------
    def assert_rejected(self, message, *extra, language="uk"):
        before = (StringTranslation.objects.count(), PlatformPage.objects.filter(live=True).count())
        with (
            self.assertRaises(CommandError) as raised,
            self.captureOnCommitCallbacks(execute=True),
        ):
            call_command(
                "import_translations",
                str(self.tmp),
                "--locale",
                language,
                *extra,
                stdout=_Null(),
            )
        self.assertIn("Nothing was imported", str(raised.exception))
        self.assertIn(message, str(raised.exception))
        after = (StringTranslation.objects.count(), PlatformPage.objects.filter(live=True).count())
        self.assertEqual(before, after)

    def prepared(self):
        self.export("--page", str(self.c["platform"].pk))
        fill_po_dir(self.tmp)

    def test_wrong_locale_is_rejected(self):
        self.prepared()
        self.assert_rejected("written for locale 'uk', not 'en'", "--publish", language="en")

    def test_translation_of_another_locale_is_rejected(self):
        self.prepared()
        path = self.platform_po()
        po = polib.pofile(str(path))
        del po.metadata["Language"]
        po.save(str(path))
        locale("en")
        self.assert_rejected("is into 'uk', not 'en'", language="en")

    def test_unknown_translation_id_is_rejected(self):
        self.prepared()
        path = self.platform_po()
        po = polib.pofile(str(path))
        po.metadata["X-WagtailLocalize-TranslationID"] = "00000000-0000-0000-0000-000000000000"
        po.save(str(path))
        self.assert_rejected(
            "unknown translation 00000000-0000-0000-0000-000000000000", "--publish"
        )

    def test_disabled_translation_is_rejected(self):
        self.prepared()
        translation_id = polib.pofile(str(self.platform_po())).metadata[
            "X-WagtailLocalize-TranslationID"
        ]
        Translation.objects.filter(uuid=translation_id).update(enabled=False)
        self.assert_rejected(f"translation {translation_id} is disabled", "--publish")
        self.assertFalse(
            PlatformPage.objects.filter(
                translation_key=self.c["platform"].translation_key, locale=self.uk, live=True
            ).exists()
        )

    def test_missing_translation_id_is_rejected(self):
        self.prepared()
        path = self.platform_po()
        po = polib.pofile(str(path))
        del po.metadata["X-WagtailLocalize-TranslationID"]
        po.save(str(path))
        self.assert_rejected("no X-WagtailLocalize-TranslationID header", "--publish")

    def test_unknown_source_string_is_rejected(self):
        self.prepared()
        path = self.platform_po()
        po = polib.pofile(str(path))
        po.append(
            polib.POEntry(msgid="Text, který v originále není", msgstr="Текст", msgctxt="summary")
        )
        po.save(str(path))
        self.assert_rejected("unknown source string 'Text, který v originále není'", "--publish")

    def test_broken_syntax_is_rejected(self):
        self.prepared()
        (self.tmp / "broken.uk.po").write_text('msgid "a"\nmsgstr "b"\ngarbage\n', encoding="utf-8")
        self.assert_rejected("broken.uk.po: not a readable PO file", "--publish")

    def test_source_language_and_unknown_locale_are_rejected(self):
        self.prepared()
        with self.assertRaisesMessage(CommandError, "source language"):
            call_command("import_translations", str(self.tmp), "--locale", "cs")
        with self.assertRaisesMessage(CommandError, "Unknown locale 'xx'"):
            call_command(
                "export_translations", "--locale", "xx", "--all", "--output", str(self.tmp)
            )

    def test_a_missing_or_empty_directory_is_an_error(self):
        with self.assertRaisesMessage(CommandError, f"{self.tmp / 'nothing'}: not a directory"):
            self.import_(directory=self.tmp / "nothing")
        with self.assertRaisesMessage(CommandError, f"{self.tmp}: no .po files"):
            self.import_()

    def test_export_creates_the_output_directory(self):
        self.tmp = self.tmp / "agency" / "2026"
        self.export("--all")
        self.assertEqual(len(list(self.tmp.glob("page-*.po"))), 5)

    def test_files_are_written_in_utf8_on_a_server_without_a_utf8_locale(self):
        """LANG=C, as in many containers: Ukrainian still reaches the agency's files intact."""
        text = 'msgstr "Платформа"'
        script = (
            "import django, sys; django.setup(); "
            "from home.translation.po import ExportedFile, write_files; "
            # the command line itself in ASCII: the C locale cannot decode anything else
            f"write_files([ExportedFile('x.uk.po', {ascii(text)}, None)], sys.argv[1])"
        )
        environment = {
            **os.environ,
            "LC_ALL": "C",
            "LANG": "C",
            "PYTHONUTF8": "0",
            "PYTHONCOERCECLOCALE": "0",
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        }
        subprocess.run(
            [sys.executable, "-c", script, str(self.tmp / "c")],
            env=environment,
            cwd=Path(home.__file__).resolve().parent.parent,  # the code under test (mutmut's)
            check=True,
            capture_output=True,
        )
        # the same bytes as this (UTF-8) process writes: UTF-8 whatever the server's locale
        write_files([ExportedFile("x.uk.po", text, None)], self.tmp / "here")
        written = (self.tmp / "c" / "x.uk.po").read_bytes()
        self.assertEqual(written, (self.tmp / "here" / "x.uk.po").read_bytes())
        self.assertEqual(written.decode("utf-8"), text)

    def test_file_names_say_what_is_inside(self):
        """`page-<id>-<title, at most 40 characters>.<language>.po`; a name that has nothing
        to slugify still gets one."""
        meeting = self.c["meetings"][0]
        meeting.title = "Setkání pracovní skupiny pro vzdělávání cizinců v Praze"
        meeting.save_revision().publish()
        venue = self.c["venue"]
        Venue.objects.filter(pk=venue.pk).update(name="…", room="", address="—")
        venue.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            files = export_translations(self.uk, [meeting], False, snippets=[venue])
        self.assertEqual(
            {f.name for f in files},
            {
                f"page-{self.c['home'].pk}-praha.uk.po",
                f"page-{meeting.pk}-setkani-pracovni-skupiny-pro-vzdelavani-.uk.po",
                f"page-{self.c['platform'].pk}-regionalni-poradni-platforma.uk.po",
                f"page-{self.c['index'].pk}-poradni-platformy.uk.po",
                f"platforms.venue-{venue.pk}-x.uk.po",
            },
        )

    def test_a_page_under_published_translations_is_exported_alone(self):
        """Parents without a live translation come along (the page's address runs through
        them); once they are published in the language, only the page is exported."""
        meeting = self.c["meetings"][0]
        self.export("--page", str(meeting.pk), "--no-subtree")
        self.assertEqual(len(list(self.tmp.glob("page-*.po"))), 4)  # home, index, platform
        fill_po_dir(self.tmp)
        self.import_("--publish")
        for path in self.tmp.glob("*.po"):
            path.unlink()
        self.export("--page", str(meeting.pk), "--no-subtree")
        self.assertEqual([p.name for p in self.tmp.glob("*.po")], [self.po_name(meeting)])

    def po_name(self, page):
        return next(self.tmp.glob(f"page-{page.pk}-*.po")).name

    def test_an_alias_site_root_is_not_exported(self):
        """A Czech alias at the top of the tree (a second site showing the same home page) has
        no text of its own: `--all` leaves it out."""
        self.export("--all")
        expected = sorted(p.name for p in self.tmp.glob("*.po"))
        for path in self.tmp.glob("*.po"):
            path.unlink()
        self.c["home"].create_alias(parent=Page.get_first_root_node(), update_slug="kopie")
        self.export("--all")
        self.assertEqual(sorted(p.name for p in self.tmp.glob("*.po")), expected)

    @override_settings(TRANSLATION_JOB_BATCH_SIZE=2)
    def test_a_batched_import_reports_every_file_and_its_progress(self):
        self.export("--all")
        fill_po_dir(self.tmp)
        steps = []
        with self.captureOnCommitCallbacks(execute=True):
            results = import_translations(
                read_directory(self.tmp), self.uk, progress=lambda *step: steps.append(step)
            )
        self.assertEqual(len(list(self.tmp.glob("*.po"))), 7)  # five pages, venue, person
        self.assertEqual(len(results), 7)
        self.assertEqual(steps, [(2, 7), (4, 7), (6, 7), (7, 7)])

    def test_allow_unknown_skips_strings_the_source_no_longer_has(self):
        self.prepared()
        path = self.platform_po()
        po = polib.pofile(str(path))
        po.append(polib.POEntry(msgid="Text, který v originále není", msgstr="Текст"))
        po.save(str(path))
        out = self.output("import_translations", str(self.tmp), "--locale", "uk", "--allow-unknown")
        self.assertIn("skipped entry", out)
        self.assertIn("unknown source string 'Text, který v originále není'", out)
        uk_platform = PlatformPage.objects.get(
            translation_key=self.c["platform"].translation_key, locale=self.uk
        )
        self.assertEqual(
            uk_platform.get_latest_revision_as_object().title, "УК Regionální poradní platforma"
        )

    def output(self, command, *arguments):
        """What a command prints (its progress bar aside)."""
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command(command, *arguments, stdout=out, stderr=_Null())
        return out.getvalue()

    def export_output(self, *extra):
        return self.output(
            "export_translations", "--locale", "uk", *extra, "--output", str(self.tmp)
        )

    def test_export_says_how_many_translations_it_started(self):
        page = str(self.c["platform"].pk)
        # five pages (the parents with them) and the venue they use, started now
        first = self.export_output("--page", page)
        self.assertIn("Wrote 6 PO files", first)
        self.assertIn("(6 translations started by this export)", first)
        again = self.export_output("--page", page)  # the pages only: the venue was not asked for
        self.assertIn("Wrote 5 PO files", again)
        self.assertIn("(0 translations started by this export)", again)

    def test_an_export_that_may_not_start_translations_starts_none(self):
        """A translator's export (start_missing off) gives what editors started in that language
        and starts nothing, even when the page is translated into another language."""
        with self.captureOnCommitCallbacks(execute=True):
            export_translations(locale("en"), [self.c["platform"]], False)
            files = export_translations(self.uk, [self.c["platform"]], False, start_missing=False)
        self.assertEqual(files, [])
        self.assertFalse(Translation.objects.filter(target_locale=self.uk).exists())

    def test_an_export_enables_a_disabled_translation_again(self):
        self.export("--page", str(self.c["platform"].pk), "--no-subtree")
        Translation.objects.update(enabled=False)
        for path in self.tmp.glob("*.po"):
            path.unlink()
        self.export("--page", str(self.c["platform"].pk), "--no-subtree")
        translation_id = polib.pofile(str(self.platform_po())).metadata[TRANSLATION_ID_HEADER]
        self.assertTrue(Translation.objects.get(uuid=translation_id).enabled)
        fill_po_dir(self.tmp)
        self.import_()  # not refused as disabled

    def test_the_czech_source_is_exported_when_english_was_translated_from_too(self):
        """A Ukrainian translation made from the English page (wagtail-localize allows it) does
        not replace the Czech source in the agency's file."""
        en_platform = translate(self.c["platform"], "en", title="Regional advisory platform")
        source, _created = TranslationSource.get_or_create_from_instance(en_platform)
        Translation.objects.create(source=source, target_locale=self.uk)
        self.export("--page", str(self.c["platform"].pk), "--no-subtree")
        msgids = [entry.msgid for entry in polib.pofile(str(self.platform_po()))]
        self.assertIn("Regionální poradní platforma", msgids)
        self.assertNotIn("Regional advisory platform", msgids)

    def test_export_and_import_queries_do_not_grow_with_pages(self):
        def round_trip_queries():
            for path in self.tmp.glob("*.po"):
                path.unlink()
            self.export("--page", str(self.c["platform"].pk))  # starts what is new
            for path in self.tmp.glob("*.po"):
                path.unlink()
            with CaptureQueriesContext(connection) as exported:
                files = export_translations(self.uk, [self.c["platform"]])
            write_files(files, self.tmp)
            with CaptureQueriesContext(connection) as checked:
                check_po_files(read_directory(self.tmp), self.uk)
            return len(exported), len(checked)

        at_two = round_trip_queries()
        for day in range(1, 11):
            make_meeting(self.c["platform"], date(2021, 1, day), "10:00")
        self.assertEqual(round_trip_queries(), at_two)

    def test_every_bad_file_is_named(self):
        self.prepared()
        for name in ("broken-1.uk.po", "broken-2.uk.po"):
            (self.tmp / name).write_text('msgid "a"\nmsgstr "b"\ngarbage\n', encoding="utf-8")
        with self.assertRaises(CommandError) as raised:
            self.import_()
        self.assertIn("broken-1.uk.po: not a readable PO file", str(raised.exception))
        self.assertIn("broken-2.uk.po: not a readable PO file", str(raised.exception))

    def test_a_deleted_source_is_named(self):
        """The Czech meeting is deleted while the agency translates it: nothing is imported, and
        the editor learns which file (its translation went with it)."""
        meeting = self.c["meetings"][0]
        self.export("--page", str(self.c["platform"].pk))
        fill_po_dir(self.tmp)
        name = self.po_name(meeting)
        meeting.delete()
        with self.assertRaises(CommandError) as raised:
            self.import_()
        self.assertIn(f"{name}: unknown translation", str(raised.exception))
        self.assertIn("(deleted or another site?)", str(raised.exception))

    def test_a_region_of_the_language_is_the_same_language_both_ways(self):
        """For a content language configured with a region (pt-br, zh-hans…) as for uk: a file
        marked with the bare language, or with the region, is for that language."""
        for written, target, other in (
            ("pt", "pt-br", None),
            ("pt_BR", "pt-br", None),
            ("uk_UA", "uk", None),
            ("es", "pt-br", "es"),
            ("", "uk", None),
        ):
            with self.subTest(written=written, target=target):
                po = polib.POFile()
                po.metadata = {"Language": written}
                self.assertEqual(other_language(po, Locale(language_code=target)), other)

    def test_a_background_import_publishes_in_the_name_of_who_queued_it(self):
        """A big upload runs in the task runner, outside any request: the publication is still
        logged with the editor who uploaded it (page history, audit)."""
        self.export("--page", str(self.c["platform"].pk), "--no-subtree")
        fill_po_dir(self.tmp)
        editor = get_user_model().objects.create_superuser("editor", "e@ex.org", "pw")
        payload = {name: content.decode() for name, content in read_directory(self.tmp)}
        job = create_job(
            TranslationJob.Kind.IMPORT,
            user=editor,
            locale=self.uk,
            params={"publish": True},
            payload=payload,
        )
        with self.captureOnCommitCallbacks(execute=True):
            run_job(job, notify_user=False)
        uk_platform = self.c["platform"].get_translation(self.uk)
        published = PageLogEntry.objects.filter(page=uk_platform, action="wagtail.publish")
        self.assertEqual([entry.user for entry in published], [editor])

    def test_a_snippet_translation_too_long_for_its_field_is_named(self):
        """A venue's name longer than the database column: PostgreSQL refuses to store it (SQLite
        stores it and validation refuses it); either way nothing is imported and the file is
        named."""
        self.export("--page", str(self.c["platform"].pk), "--no-subtree")
        fill_po_dir(self.tmp)
        path = next(self.tmp.glob("platforms.venue-*.po"))
        po = polib.pofile(str(path))
        po.find("Sál architektů").msgstr = "x" * 300
        po.save(str(path))
        with self.assertRaises(CommandError) as raised:
            self.import_()
        message = str(raised.exception)
        self.assertRegex(
            message, rf"{path.name}: (cannot be stored|the translation does not validate)"
        )
        self.assertFalse(StringTranslation.objects.filter(locale=self.uk).exists())

    def test_export_all(self):
        self.export("--all")
        self.assertEqual(len(list(self.tmp.glob("page-*.po"))), 5)
        self.assertEqual(len(list(self.tmp.glob("home.person-*.po"))), 1)

    def test_export_all_again_after_a_round(self):
        """Once the Ukrainian site is published, `--all` still covers every Czech page (the
        home pages too) and nothing of the Ukrainian tree."""
        self.export("--all")
        first = sorted(p.name for p in self.tmp.glob("*.po"))
        fill_po_dir(self.tmp)
        self.import_("--publish")
        for path in self.tmp.glob("*.po"):
            path.unlink()
        self.export("--all")
        self.assertEqual(sorted(p.name for p in self.tmp.glob("*.po")), first)

    def test_translation_of_a_czech_draft_stays_a_draft(self):
        """`--publish` never makes public what the Czech source is not: a page saved as a draft
        only gets a draft translation, and the output says so."""
        draft = self.c["platform"].add_child(
            instance=MeetingPage(
                title="Setkání v přípravě", slug="v-priprave", date=date(2021, 1, 1), live=False
            )
        )
        self.export("--page", str(draft.pk), "--no-subtree")
        fill_po_dir(self.tmp)
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "import_translations", str(self.tmp), "--locale", "uk", "--publish", stdout=out
            )
        translated = MeetingPage.objects.get(translation_key=draft.translation_key, locale=self.uk)
        self.assertFalse(translated.live)
        self.assertEqual(translated.get_latest_revision_as_object().title, "УК Setkání v přípravě")
        self.assertIn("\n  source not published: saved as a draft\n", out.getvalue())
        self.assertTrue(self.c["platform"].get_translation(self.uk).live)  # its parent is
