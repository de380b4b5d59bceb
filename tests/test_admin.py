"""Editors work in the Wagtail admin: create and publish a meeting with minutes; bad input is a
form error that saves nothing."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from wagtail.documents.models import Document
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from concept.models import AreaPage, Measure, RecommendationPage
from platforms.models import MeetingPage, PlatformPage

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def make_editor():
    group = Group.objects.create(name="Test editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    user = get_user_model().objects.create_user("editor", password="pw")
    user.groups.add(group)
    return user


def meeting_form(**overrides):
    data = {
        "title": "Setkání v prosinci",
        "slug": "setkani-v-prosinci",
        "number": "",
        "status": "planned",
        "date": "2099-12-03",
        "start_time": "13:00",
        "end_time": "16:00",
        "venue": "",
        "topic": "Téma setkání",
        "description": rich_text(""),
        "programme": inline_formset(
            [{"start_time": "13:00", "end_time": "14:00", "title": "Úvod", "presenter": ""}]
        ),
        "registration_deadline": "",
        "registration_url": "",
        "minutes": "",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


class EditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.editor = make_editor()
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")

    def setUp(self):
        self.client.force_login(self.editor)

    def add_url(self, model, parent):
        return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"

    def test_editor_creates_and_publishes_a_meeting_with_minutes(self):
        minutes = Document.objects.create(
            title="Zápis", file=ContentFile(b"%PDF-1.4 minutes", name="zapis.pdf")
        )
        response = self.client.post(
            self.add_url(MeetingPage, self.rpp), meeting_form(minutes=minutes.pk)
        )
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        meeting = MeetingPage.objects.get(slug="2099-12-03")  # the slug from the title: the date
        self.assertTrue(meeting.live)
        self.assertEqual(meeting.minutes, minutes)
        self.assertEqual(meeting.programme.get().title, "Úvod")
        self.assertEqual(self.rpp.next_meeting(), meeting)

    def test_end_before_start_is_a_form_error_and_saves_nothing(self):
        before = MeetingPage.objects.count()
        response = self.client.post(
            self.add_url(MeetingPage, self.rpp), meeting_form(end_time="12:00")
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("end_time", response.context["form"].errors)
        self.assertEqual(MeetingPage.objects.count(), before)

    def test_editor_cannot_put_a_meeting_outside_a_platform(self):
        index = self.rpp.get_parent()
        response = self.client.get(self.add_url(MeetingPage, index), follow=True)
        self.assertNotContains(response, 'name="start_time"')
        self.assertEqual([m.level_tag for m in response.context["messages"]], ["error"])


class ConceptCodeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.editor = make_editor()
        cls.area = AreaPage.objects.get(code="1.A")

    def setUp(self):
        self.client.force_login(self.editor)

    def post_recommendation(self, code, measures=(), url=None, title="Nové doporučení", slug=None):
        """`measures`: codes, or dicts of a measure form's fields (id, DELETE)."""
        url = url or f"/admin/pages/add/concept/recommendationpage/{self.area.pk}/"
        rows = [m if isinstance(m, dict) else {"code": m} for m in measures]
        data = nested_form_data(
            {
                "code": code,
                "title": title,
                "slug": slug or f"nove-{code.replace('.', '-').lower()}",
                "description": rich_text(""),
                "actors": inline_formset([]),
                "measures": inline_formset(
                    [{"text": "Znění", **row} for row in rows],
                    initial=sum(1 for row in rows if "id" in row),
                ),
                "action-publish": "action-publish",
            }
        )
        return self.client.post(url, data)

    def test_a_new_recommendation_with_a_free_code_is_published(self):
        response = self.post_recommendation("1.A.8", measures=["1.A.8.I", "1.A.8.II"])
        self.assertEqual(response.status_code, 302)
        page = RecommendationPage.objects.get(code="1.A.8")
        self.assertEqual([m.code for m in page.measures.all()], ["1.A.8.I", "1.A.8.II"])

    def test_duplicate_recommendation_code_is_a_form_error(self):
        before = RecommendationPage.objects.count()
        response = self.post_recommendation("1.A.1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["code"], ["Kód 1.A.1 už v této koncepci existuje."]
        )
        self.assertEqual(RecommendationPage.objects.count(), before)

    def test_an_area_code_used_in_the_concept_is_a_form_error(self):
        before = AreaPage.objects.count()
        response = self.client.post(
            f"/admin/pages/add/concept/areapage/{self.area.get_parent().pk}/",
            {"code": "1.A", "title": "Nová oblast", "slug": "nova-oblast", "action-publish": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["code"], ["Kód 1.A už v této koncepci existuje."]
        )
        self.assertEqual(AreaPage.objects.count(), before)

    def test_code_numbers_run_on_across_areas(self):
        # 1.B.5 exists under area 1.B; the same number under 1.A is still a different code,
        # but it must start with this area's code.
        response = self.post_recommendation("1.B.9")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["code"],
            ["Kód musí začínat kódem nadřazené položky (1.A)."],
        )

    def test_malformed_code_is_a_form_error(self):
        response = self.post_recommendation("1-A-9")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Kód neodpovídá schématu (např. 1.A.1).", response.context["form"].errors["code"]
        )

    def test_a_missing_code_is_reported_once(self):
        # "Required" says it all: no second "does not match the scheme" for the empty code.
        response = self.post_recommendation("")
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors["code"]
        self.assertEqual(len(errors), 1, errors)
        self.assertNotIn("neodpovídá schématu", str(errors))

    def test_editing_a_recommendation_keeps_its_own_codes(self):
        # Its own code and its measures' codes are not "already used" by itself.
        page = RecommendationPage.objects.get(code="1.A.1")
        measures = [{"id": m.pk, "code": m.code, "text": m.text} for m in page.measures.all()]
        self.assertTrue(measures)
        response = self.post_recommendation(
            "1.A.1",
            measures,
            url=f"/admin/pages/{page.pk}/edit/",
            title="Upravené doporučení",
            slug=page.slug,
        )
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.assertEqual(RecommendationPage.objects.get(pk=page.pk).title, "Upravené doporučení")

    def test_a_deleted_measure_row_is_not_checked(self):
        # Deleted rows first: had they been checked, the kept row's code would be "taken".
        rows = [{"code": "1.A.9.I", "DELETE": "1"}, {"code": "9-9", "DELETE": "1"}, "1.A.9.I"]
        response = self.post_recommendation("1.A.9", measures=rows)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        page = RecommendationPage.objects.get(code="1.A.9")
        self.assertEqual([m.code for m in page.measures.all()], ["1.A.9.I"])

    def test_the_rows_after_a_deleted_one_are_checked(self):
        rows = [{"code": "1.A.9.I", "DELETE": "1"}, "1.A.9.I", "1.A.9.I"]
        errors = self.measure_errors(self.post_recommendation("1.A.9", measures=rows))
        self.assertEqual(errors, [[], [], ["Kód 1.A.9.I už v této koncepci existuje."]])

    def test_malformed_measure_code_is_a_form_error(self):
        response = self.post_recommendation("1.A.9", measures=["1.A.9.1"])
        self.assertEqual(response.status_code, 200)
        form = response.context["form"].formsets["measures"].forms[0]
        self.assertEqual(form.errors["code"], ["Kód opatření má tvar např. 1.A.1.I."])

    def test_a_measure_code_used_on_another_page_is_a_form_error(self):
        # Duplicating recommendation 1.A.1 duplicates its measure's code as well.
        taken = Measure.objects.filter(page__code="1.A.1").first().code
        errors = self.measure_errors(self.post_recommendation("1.A.1", measures=[taken]))
        self.assertEqual(errors, [[f"Kód {taken} už v této koncepci existuje."]])

    def measure_errors(self, response):
        self.assertEqual(response.status_code, 200)
        formset = response.context["form"].formsets["measures"]
        return [list(form.errors.get("code", [])) for form in formset.forms]

    def test_duplicate_measure_code_is_a_form_error(self):
        # Both codes start with the recommendation's code: only the duplicate rule applies.
        before = RecommendationPage.objects.count()
        response = self.post_recommendation("1.A.9", measures=["1.A.9.I", "1.A.9.I"])
        errors = self.measure_errors(response)
        self.assertEqual(errors, [[], ["Kód 1.A.9.I už v této koncepci existuje."]])
        self.assertEqual(RecommendationPage.objects.count(), before)

    def test_measure_code_must_start_with_the_recommendation_code(self):
        # 1.A.8.I is used nowhere: only the prefix rule applies.
        before = RecommendationPage.objects.count()
        response = self.post_recommendation("1.A.9", measures=["1.A.9.I", "1.A.8.I"])
        errors = self.measure_errors(response)
        self.assertEqual(errors, [[], ["Kód opatření musí začínat kódem doporučení (1.A.9)."]])
        self.assertEqual(RecommendationPage.objects.count(), before)
        self.assertFalse(Measure.objects.filter(code="1.A.8.I").exists())
