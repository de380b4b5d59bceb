"""The PO export/import from the admin, and the status report's coverage."""

import io
import zipfile

import polib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail_localize.models import StringTranslation

from home.translation.roles import EDITOR_GROUP

from .content import build_site, filled_uploads, locale, ukrainian


class AdminPOTests(TestCase):
    def setUp(self):
        self.c = build_site()
        self.editor = get_user_model().objects.create_user("ed", "ed@ex.org", "pw")
        self.editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
        self.client.force_login(self.editor)
        self.url = reverse("translation_po_files")

    def export_zip(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.url,
                {
                    "export-locale": locale("uk").pk,
                    "export-page": self.c["platform"].pk,
                    "export-include_subtree": "on",
                },
            )
        self.assertEqual(response["Content-Type"], "application/zip")
        return zipfile.ZipFile(io.BytesIO(response.content))

    def upload(self, files, publish=True):
        data = {"import-locale": locale("uk").pk, "import-files": files}
        if publish:
            data["import-publish"] = "on"
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, data)

    def test_export_fill_import_publish(self):
        archive = self.export_zip()
        files = filled_uploads(archive)
        response = self.upload(files)
        self.assertEqual(response.status_code, 302)
        uk_platform = self.c["platform"].get_translation(locale("uk"))
        self.assertTrue(uk_platform.live)
        self.assertEqual(uk_platform.title, "УК Regionální poradní platforma")

        report = self.client.get(reverse("translation_report"))
        self.assertEqual(report.status_code, 200)
        coverage = dict(report.context["coverage"])
        self.assertGreater(coverage["uk"]["up_to_date"], 0)
        self.assertEqual(coverage["en"]["percent"], 0)
        csv_text = self.client.get(reverse("translation_report") + "?export=csv").content.decode()
        self.assertIn("type,id,object,en,uk", csv_text)
        self.assertIn(
            f"{self.c['platform'].pk},Regionální poradní platforma,missing,up_to_date", csv_text
        )

    def second_editor(self):
        """Another editor than the one who exported (and so started the translations)."""
        other = get_user_model().objects.create_user("ed2", "ed2@ex.org", "pw")
        other.groups.add(Group.objects.get(name=EDITOR_GROUP))
        self.client.force_login(other)
        return other

    def test_translations_an_export_starts_are_in_the_exporters_name(self):
        self.export_zip()
        for page in (self.c["platform"], self.c["meetings"][0]):
            with self.subTest(page=page.title):
                draft = page.get_translation(locale("uk"))
                self.assertEqual(draft.get_latest_revision().user, self.editor)

    def test_drafts_are_saved_in_the_name_of_who_imported_them(self):
        files = filled_uploads(self.export_zip())
        importer = self.second_editor()
        self.assertEqual(self.upload(files, publish=False).status_code, 302)
        uk_platform = self.c["platform"].get_translation(locale("uk"))
        self.assertFalse(uk_platform.live)
        self.assertEqual(uk_platform.get_latest_revision().user, importer)  # page history
        # a meeting's draft is saved in bulk, the platform's (many-to-many members) on its own
        uk_meeting = self.c["meetings"][0].get_translation(locale("uk"))
        self.assertEqual(uk_meeting.get_latest_revision().user, importer)

    def test_a_publishing_import_is_logged_in_the_name_of_who_imported_it(self):
        files = filled_uploads(self.export_zip())
        importer = self.second_editor()
        self.assertEqual(self.upload(files).status_code, 302)
        uk_platform = self.c["platform"].get_translation(locale("uk"))
        published = PageLogEntry.objects.filter(page=uk_platform, action="wagtail.publish")
        self.assertEqual([entry.user for entry in published], [importer])

    def test_an_unknown_string_is_refused(self):
        """A file with a string the Czech source does not have (edited by hand, or from an older
        export) imports nothing: the editor sees which entry."""
        archive = self.export_zip()
        files = []
        for name in archive.namelist():
            po = polib.pofile(archive.read(name).decode())
            if name.startswith(f"page-{self.c['platform'].pk}-"):
                po.append(polib.POEntry(msgid="Text, který v originále není", msgstr="Текст"))
            files.append(SimpleUploadedFile(name, str(po).encode()))
        before = StringTranslation.objects.count()
        response = self.upload(files)
        self.assertContains(response, "unknown source string &#x27;Text, který v originále není")
        self.assertEqual(StringTranslation.objects.count(), before)
        self.assertFalse(self.c["platform"].get_translation(locale("uk")).live)
        self.assertFalse(response.context["form"].is_bound)  # no errors on the export form

    def test_bad_upload_shows_errors_and_changes_nothing(self):
        archive = self.export_zip()
        name = archive.namelist()[0]
        good = archive.read(name)
        before = StringTranslation.objects.count()
        response = self.upload(
            [
                SimpleUploadedFile(name, good.replace(b'msgstr ""\n\n', b'msgstr "x"\n\n')),
                SimpleUploadedFile("broken.po", b'msgid "a"\nmsgstr "b"\ngarbage\n'),
            ]
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "broken.po: not a readable PO file")
        self.assertEqual(StringTranslation.objects.count(), before)


class ReportQueryTests(TestCase):
    def test_report_queries_do_not_grow_with_content(self):
        import datetime

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from home.translation.jobs import start_translation
        from platforms.models import MeetingPage

        c = build_site()
        with self.captureOnCommitCallbacks(execute=True):
            start_translation(c["home"], [locale("uk")], include_subtree=True)
        admin = get_user_model().objects.create_superuser("admin", "a@ex.org", "pw")
        self.client.force_login(admin)

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("translation_report")).status_code, 200)
            return len(queries)

        small = count()
        for i in range(30):
            c["platform"].add_child(
                instance=MeetingPage(title=f"S {i}", slug=f"s-{i}", date=datetime.date(2021, 1, 1))
            )
        self.assertEqual(count(), small)


class TranslationEditorUploadTests(TestCase):
    """wagtail-localize's PO upload in the translation editor answers 500 for a file without its
    translation id; bad files are sent back with a message and change nothing."""

    def setUp(self):
        from home.translation.jobs import start_translation

        self.c = build_site()
        user = get_user_model().objects.create_superuser("admin", "a@ex.org", "pw")
        self.client.force_login(user)
        self.translation = next(
            t
            for t in start_translation(self.c["platform"], [locale("uk")])
            if t.source.object_id == self.c["platform"].translation_key
        )
        self.url = reverse("wagtail_localize:upload_pofile", args=[self.translation.pk])

    def post(self, content, name="x.po"):
        upload = SimpleUploadedFile(name, content)
        return self.client.post(self.url, {"file": upload, "next": "/admin/"}, follow=True)

    def translated(self):
        return StringTranslation.objects.filter(locale=locale("uk")).count()

    def test_bad_files_come_back_with_a_message(self):
        good = self.translation.export_po()
        no_header = polib.POFile()
        no_header.metadata = {"Language": "uk"}
        other_language = polib.pofile(str(good))
        other_language.metadata["Language"] = "en"
        for label, content, expected in (
            ("no id header", str(no_header).encode(), "X-WagtailLocalize-TranslationID"),
            ("other language", str(other_language).encode(), "written for locale"),
            ("not a PO file", b"\xff\xfe garbage", "not a readable PO file"),
        ):
            with self.subTest(label):
                response = self.post(content)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, expected)
                self.assertEqual(self.translated(), 0)
        response = self.client.post(self.url, {"next": "/admin/"}, follow=True)
        self.assertContains(response, "No PO file was uploaded.")

    def filled(self, **metadata):
        po = self.translation.export_po()
        for entry in po:
            entry.msgstr = ukrainian(entry.msgid)
        po.metadata.pop("Language", None)
        po.metadata.update(metadata)
        return str(po).encode()

    def test_a_translated_file_for_another_language_imports_nothing(self):
        """Issue 10: the upload refuses a file whose Language header names another language,
        by the same rule as `manage.py import_translations` (however the header is spelled)."""
        for label, metadata in (
            ("Language: en", {"Language": "en"}),
            ("lower-case header name", {"language": "en"}),
            ("another language with a region", {"Language": "en_GB"}),
        ):
            with self.subTest(label):
                response = self.post(self.filled(**metadata))
                self.assertContains(response, "written for locale")
                self.assertEqual(self.translated(), 0)
        response = self.post(self.filled(Language="uk_UA"))  # Ukrainian, with its region
        self.assertNotContains(response, "written for locale")
        self.assertGreater(self.translated(), 0)

    def test_without_a_file_the_translator_is_sent_back_with_a_message(self):
        from django.contrib.messages import get_messages

        editor = reverse("wagtailadmin_pages:edit", args=[self.c["platform"].pk])
        for data, back in (({"next": editor}, editor), ({}, reverse("wagtailadmin_home"))):
            with self.subTest(back=back):
                response = self.client.post(self.url, data)
                self.assertRedirects(response, back, fetch_redirect_response=False)
                messages = [str(m) for m in get_messages(response.wsgi_request)]
                self.assertEqual(messages[-1], "No PO file was uploaded.")

    def test_a_good_file_still_imports(self):
        po = self.translation.export_po()
        for entry in po:
            entry.msgstr = ukrainian(entry.msgid)
        content = str(po)
        # as some tools write it: no comment before the header entry
        content = content[content.index('msgid ""') :]
        response = self.post(content.encode())
        self.assertEqual(response.status_code, 200)
        self.assertGreater(self.translated(), 0)
