"""Import and export of the whole Concept (CSV and XLSX): round trip, dry run, drafts, actors,
translation sync, and every kind of bad file reported at once with nothing written."""

import datetime
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import Page, Revision
from wagtail_localize.models import StringSegment, StringTranslation

from concept import imports
from concept.imports import run_concept_import
from concept.models import (
    AreaPage,
    ConceptImport,
    ConceptPage,
    Measure,
    PriorityPage,
    RecommendationPage,
)
from concept.transfer import COLUMNS, ImportErrors, export_concept, import_concept
from home.models import Organisation
from home.translation.jobs import start_translation
from home.translation_status import OUTDATED, UP_TO_DATE, translation_states
from tests.api.factories import locale
from tests.utils import make_site, publish


def queued_imports():
    return [r for r in default_task_backend.results if r.task.name == run_concept_import.name]


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
SEED_CSV = (
    Path(__file__).resolve().parent.parent / "concept" / "seed_data" / "concept_2022_2027.csv"
)
HEADER = ",".join(COLUMNS) + "\n"


def csv_file(*lines):
    return (HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")


def snapshot():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Measure.objects.count(),
        list(Page.objects.order_by("pk").values_list("title", "live", "has_unpublished_changes")),
        list(Measure.objects.order_by("pk").values_list("code", "text")),
    )


class TransferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site()
        cls.concept = publish(
            home, ConceptPage(title="Test concept", slug="test-concept", period_from=1, period_to=2)
        )
        cls.lead = Organisation.objects.create(
            name="Test lead organisation", short_name="TLO", category="city"
        )
        cls.partner = Organisation.objects.create(name="Test partner", category="ngo")

    def run_import(self, content, name="file.csv", **options):
        return import_concept(content, name, concept=self.concept, **options)

    def test_seed_file_round_trip_csv_and_xlsx(self):
        result = self.run_import(SEED_CSV.read_bytes())
        self.assertEqual(result.counts["create"], 18)
        self.assertEqual(RecommendationPage.objects.count(), 7)
        self.assertEqual(Measure.objects.count(), 7)
        rec = RecommendationPage.objects.get(code="1.A.4")
        self.assertTrue(rec.live)
        self.assertEqual(
            [m.code for m in rec.measures.all()], ["1.A.4.I", "1.A.4.II"]
        )  # file order
        # the priority's title was not in the file: it stays for editors
        self.assertEqual(PriorityPage.objects.get().title, "Priorita 1")

        before = snapshot()
        again = self.run_import(SEED_CSV.read_bytes())
        self.assertEqual(again.counts, {"create": 0, "change": 0, "unchanged": 18})
        self.assertEqual(snapshot(), before)

        exported = export_concept(self.concept, "csv")
        for content, name in (
            (exported, "x.csv"),
            (export_concept(self.concept, "xlsx"), "x.xlsx"),
        ):
            result = self.run_import(content, name)
            self.assertEqual(result.counts["change"] + result.counts["create"], 0, name)
        self.assertEqual(snapshot(), before)
        self.assertEqual(export_concept(self.concept, "csv"), exported)
        # the export holds every row of the seed file, in its order
        seed_codes = [line.split(",")[1] for line in SEED_CSV.read_text().splitlines()[1:]]
        out_codes = [line.split(",")[1] for line in exported.decode().splitlines()[1:]]
        self.assertEqual(out_codes, seed_codes)

    def test_cells_a_spreadsheet_would_run_as_formulas_round_trip_as_text(self):
        titles = ["=1+1 oblast", "+420 linka", "-sleva", "@mention"]
        self.run_import(
            csv_file(
                "priority,1,,,,,,",
                *(f"area,1.{'ABCD'[n]},1,{title},,,," for n, title in enumerate(titles)),
            )
        )
        self.assertEqual(
            list(AreaPage.objects.order_by("code").values_list("title", flat=True)), titles
        )
        exported = export_concept(self.concept, "csv").decode()
        for title in titles:
            self.assertIn(f",'{title},", exported)  # shown as text by a spreadsheet
        before = snapshot()
        for fmt in ("csv", "xlsx"):
            result = self.run_import(export_concept(self.concept, fmt), f"x.{fmt}")
            self.assertEqual(result.counts["change"] + result.counts["create"], 0, fmt)
        self.assertEqual(snapshot(), before)

    def test_dry_run_changes_nothing_and_reports_the_plan(self):
        self.run_import(csv_file("priority,1,,,,,,", "area,1.A,1,Oblast A,,,,"))
        before = snapshot()
        result = self.run_import(
            csv_file(
                "priority,1,,,,,,",
                "area,1.A,1,Oblast A upravena,,,,",
                "recommendation,1.A.1,1.A,Doporučení,,,,",
                "measure,1.A.1.I,1.A.1,Opatření,,,,",
            ),
            dry_run=True,
        )
        self.assertEqual(result.counts, {"create": 2, "change": 1, "unchanged": 1})
        self.assertEqual(
            [o.fields for o in result.outcomes if o.action == "change"], [["title_cs"]]
        )
        self.assertFalse(result.applied)
        self.assertEqual(snapshot(), before)

    def test_changes_are_new_published_revisions_and_measures_keep_identity(self):
        self.run_import(
            csv_file(
                "priority,1,,,,,,",
                "area,1.A,1,Oblast,,,,",
                "recommendation,1.A.1,1.A,Doporučení,,,,",
                "measure,1.A.1.I,1.A.1,Opatření I,,,,",
            )
        )
        rec = RecommendationPage.objects.get(code="1.A.1")
        measure = Measure.objects.get(code="1.A.1.I")
        revisions = rec.revisions.count()
        result = self.run_import(
            csv_file(
                "recommendation,1.A.1,1.A,Doporučení nové,Test partner,,TLO,Popis doporučení",
                "measure,1.A.1.I,1.A.1,Opatření I upravené,,,,",
                "measure,1.A.1.II,1.A.1,Opatření II,,,,",
            )
        )
        self.assertEqual(result.counts, {"create": 1, "change": 2, "unchanged": 0})
        rec.refresh_from_db()
        self.assertEqual(rec.title, "Doporučení nové")
        self.assertEqual(rec.description, "<p>Popis doporučení</p>")
        self.assertEqual(rec.revisions.count(), revisions + 1)  # one revision for all
        self.assertFalse(rec.has_unpublished_changes)
        self.assertEqual(
            {(a.organisation, a.role) for a in rec.actors.all()},
            {(self.lead, "lead"), (self.partner, "partner")},
        )
        self.assertEqual(Measure.objects.get(pk=measure.pk).text, "Opatření I upravené")
        self.assertEqual(list(rec.measures.values_list("code", flat=True)), ["1.A.1.I", "1.A.1.II"])
        # exported with roles, and re-importing it changes nothing
        exported = export_concept(self.concept, "csv").decode()
        self.assertIn(
            "recommendation,1.A.1,1.A,Doporučení nové,Test partner,,Test lead organisation,"
            "<p>Popis doporučení</p>",
            exported,
        )
        result = self.run_import(exported.encode())
        self.assertEqual(result.counts["change"] + result.counts["create"], 0)

    def test_draft_import_leaves_readers_version_and_is_idempotent(self):
        self.run_import(csv_file("priority,1,,,,,,", "area,1.A,1,Oblast,,,,"))
        area = AreaPage.objects.get()
        content = csv_file("area,1.A,1,Oblast koncept,,,,")
        self.run_import(content, draft=True)
        area.refresh_from_db()
        self.assertEqual(area.title, "Oblast")  # readers still see the published one
        self.assertTrue(area.has_unpublished_changes)
        self.assertEqual(area.get_latest_revision_as_object().title, "Oblast koncept")
        revisions = Revision.objects.count()
        result = self.run_import(content, draft=True)
        self.assertEqual(result.counts["unchanged"], 1)
        self.assertEqual(Revision.objects.count(), revisions)

    def test_changed_czech_text_makes_translations_outdated(self):
        self.run_import(
            csv_file(
                "priority,1,,,,,,",
                "area,1.A,1,Oblast,,,,",
                "recommendation,1.A.1,1.A,Doporučení,,,,",
            )
        )
        rec = RecommendationPage.objects.get(code="1.A.1")
        uk = locale("uk")
        with self.captureOnCommitCallbacks(execute=True):
            translations = start_translation(self.concept, [uk], include_subtree=True)
            for translation in translations:  # a translator translates everything, publishes
                for segment in StringSegment.objects.filter(source=translation.source):
                    StringTranslation.objects.get_or_create(
                        translation_of=segment.string,
                        context=segment.context,
                        locale=uk,
                        defaults={"data": f"UK {segment.string.data}"},
                    )
                translation.save_target(publish=True)

        def status():
            states = translation_states(RecommendationPage, [rec.translation_key])
            return states[rec.translation_key]["uk"].status

        self.assertEqual(status(), UP_TO_DATE)
        with self.captureOnCommitCallbacks(execute=True):
            self.run_import(csv_file("recommendation,1.A.1,1.A,Doporučení změněno,,,,"))
        self.assertEqual(status(), OUTDATED)
        uk_rec = rec.get_translation(uk)
        self.assertTrue(uk_rec.live)  # readers keep the translated version meanwhile
        self.assertEqual(uk_rec.title, "UK Doporučení")

    def test_bad_rows_are_all_reported_with_row_and_column_and_nothing_changes(self):
        self.run_import(csv_file("priority,1,,,,,,", "area,1.A,1,Oblast,,,,"))
        before = snapshot()
        content = csv_file(
            "area,1.A,1,Oblast změněna,,,,",  # 2: fine, but must not be written
            "recommendation,1.A.x,1.A,Špatný kód,,,,",  # 3: bad code
            "recommendation,1.C.2,1.C,Neznámý rodič,,,,",  # 4: unknown parent
            "recommendation,1.A.3,1.B,Nesedí rodič,,,,",  # 5: parent not the code's
            "measure,1.A.1.I,1.A.1,,,,,",  # 6: no title, unknown parent
            "recommendation,1.A.7,1.A,Aktér,Neexistující aktér,,,",  # 7: unknown actor
            "recommendation,1.A.7,1.A,Duplicitní,,,,",  # 8: duplicate code
            "level9,1,,,,,,",  # 9: unknown level
        )
        with self.assertRaises(ImportErrors) as raised:
            self.run_import(content)
        found = {(e.row, e.column) for e in raised.exception.errors}
        self.assertEqual(
            found,
            {
                (3, "code"),
                (4, "parent_code"),
                (5, "parent_code"),
                (6, "parent_code"),
                (6, "title_cs"),
                (7, "actors_cs"),
                (8, "code"),
                (9, "level"),
            },
        )
        self.assertIn("Neexistující aktér", str(raised.exception))
        self.assertEqual(snapshot(), before)

    def test_wrong_columns(self):
        content = b"level,code,parent,title_cs,colour\npriority,1,,,\n"
        with self.assertRaises(ImportErrors) as raised:
            self.run_import(content)
        found = {(e.row, e.column) for e in raised.exception.errors}
        self.assertEqual(found, {(1, "parent_code"), (1, "parent"), (1, "colour")})
        self.assertEqual(PriorityPage.objects.count(), 0)

    def test_wrong_encoding_and_broken_xlsx(self):
        before = snapshot()
        cp1250 = csv_file("priority,1,,,,,,", "area,1.A,1,Oblast řízení,,,,").decode()
        for content, name, text in (
            (cp1250.encode("cp1250"), "x.csv", "UTF-8"),
            (b"PK\x03\x04 not really a workbook", "x.xlsx", "XLSX"),
            (b"", "x.csv", "prázdný"),
        ):
            with self.assertRaises(ImportErrors) as raised:
                self.run_import(content, name)
            self.assertIn(text, str(raised.exception))
        self.assertEqual(snapshot(), before)

    def test_semicolon_csv_from_czech_excel_and_bom(self):
        content = "\ufefflevel;code;parent_code;title_cs\npriority;1;;Priorita jedna\n"
        result = self.run_import(content.encode("utf-8"))
        self.assertEqual(result.counts["create"], 1)
        self.assertEqual(PriorityPage.objects.get().title, "Priorita jedna")

    def test_commands(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            out = io.StringIO()
            call_command("import_concept", str(SEED_CSV), "--dry-run", stdout=out)
            self.assertIn("would have created 18", out.getvalue())
            self.assertEqual(RecommendationPage.objects.count(), 0)
            call_command("import_concept", str(SEED_CSV), stdout=out)
            self.assertEqual(RecommendationPage.objects.count(), 7)
            path = Path(tmp) / "koncepce.xlsx"
            call_command("export_concept", "--output", str(path), stderr=io.StringIO())
            out = io.StringIO()
            call_command("import_concept", str(path), stdout=out)
            self.assertIn("changed 0", out.getvalue())
            bad = Path(tmp) / "bad.csv"
            bad.write_bytes(csv_file("area,1.Z.1,1,x,,,,", "area,1.B,7,y,,,,"))
            err = io.StringIO()
            with self.assertRaisesMessage(CommandError, "2 error(s)"):
                call_command("import_concept", str(bad), stdout=io.StringIO(), stderr=err)
            self.assertIn("řádek 2, sloupec code", err.getvalue())
            self.assertIn("řádek 3, sloupec parent_code", err.getvalue())


class AdminTransferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_site()
        cls.concept = publish(
            home, ConceptPage(title="Test concept", slug="test-concept", period_from=1, period_to=2)
        )
        User = get_user_model()
        cls.editor = User.objects.create_superuser("editor", "e@example.com", "x")
        cls.nobody = User.objects.create_user("nobody", "n@example.com", "x")
        cls.nobody.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )

    def upload(self, content, name="koncepce.csv", **data):
        url = reverse("concept_import", args=[self.concept.pk])
        return self.client.post(url, {"file": SimpleUploadedFile(name, content), **data})

    def apply(self, upload_id):
        url = reverse("concept_import", args=[self.concept.pk])
        return self.client.post(url, {"action": "apply", "upload": upload_id})

    def test_upload_preview_then_apply(self):
        self.client.force_login(self.editor)
        response = self.upload(SEED_CSV.read_bytes())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Vznikne 18, změní se 0, beze změny zůstane 0")
        self.assertEqual(RecommendationPage.objects.count(), 0)  # preview only
        upload = response.context["upload"]
        self.assertEqual(upload.status, ConceptImport.Status.PREVIEWED)
        response = self.apply(upload.pk)
        self.assertRedirects(response, reverse("concept_data"))
        self.assertEqual(RecommendationPage.objects.count(), 7)
        rec = RecommendationPage.objects.get(code="1.A.1")
        self.assertEqual(rec.latest_revision.user, self.editor)
        upload.refresh_from_db()
        self.assertEqual((upload.status, upload.counts["create"]), ("done", 18))
        self.assertEqual(bytes(upload.content), b"")  # the file is not kept once applied
        # the same file again: nothing to do
        response = self.upload(SEED_CSV.read_bytes())
        self.assertContains(response, "Soubor nic nemění.")
        # an applied, unknown or malformed upload id applies nothing
        for upload_id in (upload.pk, 999999, "x"):
            response = self.apply(upload_id)
            self.assertRedirects(response, reverse("concept_import", args=[self.concept.pk]))

    def test_a_preview_applied_twice_at_once_is_imported_once(self):
        """Two clicks (or tabs) holding the same preview: one import, not two."""
        self.client.force_login(self.editor)
        upload = self.upload(SEED_CSV.read_bytes()).context["upload"]
        first, second = (ConceptImport.objects.get(pk=upload.pk) for _ in range(2))
        imports.submit(first)
        revisions = Revision.objects.count()
        imports.submit(second)  # still says "previewed" in memory
        self.assertEqual(Revision.objects.count(), revisions)
        self.assertEqual(second.status, ConceptImport.Status.DONE)
        stored = ConceptImport.objects.get(pk=upload.pk)
        self.assertEqual((stored.finished_at, stored.counts["create"]), (first.finished_at, 18))

    def test_unapplied_previews_do_not_pile_up(self):
        self.client.force_login(self.editor)
        old = self.upload(SEED_CSV.read_bytes()).context["upload"]
        ConceptImport.objects.filter(pk=old.pk).update(
            user=None, created_at=timezone.now() - datetime.timedelta(days=2)
        )
        recent = self.upload(SEED_CSV.read_bytes()).context["upload"]
        self.upload(SEED_CSV.read_bytes())  # the editor's own earlier preview goes too
        self.assertFalse(ConceptImport.objects.filter(pk__in=[old.pk, recent.pk]).exists())
        self.assertEqual(ConceptImport.objects.count(), 1)

    def test_another_editors_preview_cannot_be_applied(self):
        other = get_user_model().objects.create_superuser("other", "o@example.com", "x")
        self.client.force_login(other)
        upload = self.upload(SEED_CSV.read_bytes()).context["upload"]
        self.client.force_login(self.editor)
        response = self.apply(upload.pk)
        self.assertRedirects(response, reverse("concept_import", args=[self.concept.pk]))
        self.assertEqual(RecommendationPage.objects.count(), 0)

    @override_settings(TASKS=DUMMY_TASKS, CONCEPT_IMPORT_INLINE_LIMIT=5)
    def test_a_big_import_runs_in_the_background_and_the_editor_is_told(self):
        default_task_backend.clear()
        self.client.force_login(self.editor)
        upload = self.upload(SEED_CSV.read_bytes()).context["upload"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.apply(upload.pk)
        self.assertRedirects(response, reverse("concept_data"))
        upload.refresh_from_db()
        self.assertEqual(upload.status, ConceptImport.Status.QUEUED)
        self.assertEqual(RecommendationPage.objects.count(), 0)  # not yet
        self.assertContains(self.client.get(reverse("concept_data")), "čeká ve frontě")

        (queued,) = queued_imports()
        run_concept_import.call(*queued.args)

        upload.refresh_from_db()
        self.assertEqual((upload.status, upload.counts["create"]), ("done", 18))
        self.assertEqual(RecommendationPage.objects.count(), 7)
        self.assertEqual(mail.outbox[0].to, ["e@example.com"])
        self.assertIn("nových 18", mail.outbox[0].body)
        page = self.client.get(reverse("concept_data"))
        self.assertContains(page, "nových 18, změněných 0, beze změny 0")
        run_concept_import.call(*queued.args)  # a second runner picking it up does nothing
        self.assertEqual(RecommendationPage.objects.count(), 7)

    @override_settings(TASKS=DUMMY_TASKS, CONCEPT_IMPORT_INLINE_LIMIT=0)
    def test_a_background_import_that_fails_changes_nothing_and_lists_its_errors(self):
        default_task_backend.clear()
        self.client.force_login(self.editor)
        actor = Organisation.objects.create(name="Temp actor", category="ngo")
        content = csv_file(
            "priority,1,,,,,,", "area,1.A,1,Oblast,,,,", "recommendation,1.A.1,1.A,D,Temp actor,,,"
        )
        upload = self.upload(content).context["upload"]
        with self.captureOnCommitCallbacks(execute=True):
            self.apply(upload.pk)
        actor.delete()  # meanwhile, the actor the file names is removed
        before = snapshot()
        (queued,) = queued_imports()
        run_concept_import.call(*queued.args)
        upload.refresh_from_db()
        self.assertEqual(upload.status, ConceptImport.Status.FAILED)
        self.assertEqual(snapshot(), before)
        self.assertEqual(upload.errors[0]["row"], 4)
        self.assertIn("Temp actor", upload.errors[0]["message"])
        page = self.client.get(reverse("concept_data")).content.decode()
        self.assertIn("nic nebylo změněno", page)
        self.assertIn("selhal", mail.outbox[0].subject)

    def test_errors_are_listed_with_row_and_column(self):
        self.client.force_login(self.editor)
        response = self.upload(csv_file("area,1.A,9,Oblast,,,,", "measure,1.A.1.X,1.A.1,x,,,,"))
        self.assertContains(response, "Soubor má 2 chyb")
        self.assertContains(response, "<td>2</td><td>parent_code</td>", html=False)
        self.assertContains(response, "<td>3</td><td>parent_code</td>", html=False)
        self.assertNotContains(response, "Provést import")

    def test_download_csv_and_xlsx(self):
        self.client.force_login(self.editor)
        import_concept(SEED_CSV.read_bytes(), "x.csv", concept=self.concept)
        url = reverse("concept_export", args=[self.concept.pk])
        response = self.client.get(url + "?format=csv")
        self.assertEqual(response.content, export_concept(self.concept, "csv"))
        self.assertIn("attachment", response["Content-Disposition"])
        response = self.client.get(url + "?format=xlsx")
        self.assertEqual(response.content[:2], b"PK")
        self.assertEqual(self.client.get(reverse("concept_data")).status_code, 200)

    def test_user_without_page_permissions_can_neither_import_nor_export(self):
        self.client.force_login(self.nobody)
        home = reverse("wagtailadmin_home")
        for response in (
            self.client.get(reverse("concept_import", args=[self.concept.pk])),
            self.upload(SEED_CSV.read_bytes()),
            self.client.get(reverse("concept_export", args=[self.concept.pk])),
        ):
            self.assertRedirects(response, home, fetch_redirect_response=False)
        self.assertEqual(RecommendationPage.objects.count(), 0)
