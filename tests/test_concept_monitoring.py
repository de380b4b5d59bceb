"""Action-plan monitoring: status history, rollups in a fixed number of queries, the public
progress overview (accessible bars), the actor page, the monitoring report, actor reporting
(own items only) and the API's progress objects."""

import csv
import datetime
import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from concept.models import (
    ActionPlanItem,
    ActionPlanItemStatusChange,
    ActionPlanPage,
    ActorReporter,
    Measure,
)
from concept.monitoring import rollups
from home.models import Organisation
from tests.api.factories import World, add, translate_snippet

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


class MonitoringWorld(World):
    """The API tests' World plus a second organisation and a plan with mixed statuses."""

    def add_monitoring(self, recommendations=2):
        self.add_concept(recommendations=recommendations)
        self.other = Organisation.objects.create(name="Test organisation 2", category="city")
        measures = list(Measure.objects.filter(page__in=self.recommendations).order_by("pk"))
        statuses = ["done", "in_progress", "planned", "postponed"]
        self.plan2 = add(
            self.concept,
            ActionPlanPage,
            year=2027,
            children={
                "items": [
                    ActionPlanItem(
                        measure=m,
                        responsible=self.org if i % 2 == 0 else self.other,
                        status=statuses[i % 4],
                        deadline=YESTERDAY,
                    )
                    for i, m in enumerate(measures)
                ]
            },
        )
        return self.plan2


def publish_plan(plan, user=None, **item_changes):
    plan = ActionPlanPage.objects.get(pk=plan.pk)
    items = list(plan.items.all())
    for item in items:
        for name, value in item_changes.items():
            setattr(item, name, value)
    plan.items = items
    plan.save_revision(user=user).publish(user=user)
    return plan


class HistoryAndRollupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = MonitoringWorld()
        cls.w.add_monitoring(recommendations=2)
        cls.editor = get_user_model().objects.create_superuser("editor", "e@example.com", "x")

    def test_status_history_records_who_and_from_what(self):
        plan = self.w.plan2
        item = plan.items.order_by("sort_order", "pk").first()
        created = ActionPlanItemStatusChange.objects.filter(item=item).get()
        self.assertEqual((created.old_status, created.new_status), ("", "done"))

        publish_plan(plan, user=self.editor, status="cancelled")
        latest = ActionPlanItemStatusChange.objects.filter(item=item).first()
        self.assertEqual((latest.old_status, latest.new_status), ("done", "cancelled"))
        self.assertEqual(latest.changed_by, self.editor)
        # publishing again without a change adds nothing
        count = ActionPlanItemStatusChange.objects.count()
        publish_plan(plan, user=self.editor)
        self.assertEqual(ActionPlanItemStatusChange.objects.count(), count)
        # a draft is not history (readers saw nothing)
        plan = ActionPlanPage.objects.get(pk=plan.pk)
        items = list(plan.items.all())
        items[0].status = "planned"
        plan.items = items
        plan.save_revision(user=self.editor)
        self.assertEqual(ActionPlanItemStatusChange.objects.count(), count)

    def test_history_shown_in_the_admin_edit_view(self):
        publish_plan(self.w.plan2, user=self.editor, status="cancelled")
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.w.plan2.pk]))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        history = html[html.lower().index("historie stavů plnění") :]
        self.assertIn("zrušeno", history)
        self.assertIn("editor", history)

    def test_rollups(self):
        data = rollups(self.w.concept)
        # plan 2026 has measure 1 done; plan 2027 has both measures (done, in_progress):
        # the Concept counts each measure once, at its latest plan.
        self.assertEqual(data.concept.counts["done"], 1)
        self.assertEqual(data.concept.counts["in_progress"], 1)
        self.assertEqual(data.concept.total, 2)
        self.assertEqual(data.concept.share_done, 0.5)
        self.assertEqual(data.get(self.w.plan).total, 1)
        self.assertEqual(data.get(self.w.plan2).total, 2)
        self.assertEqual(data.get(self.w.priority).total, 2)
        self.assertEqual(data.get(self.w.area).percent_done, 50)
        self.assertEqual(data.get(self.w.recommendations[1]).counts["in_progress"], 1)
        self.assertEqual(data.actors[self.w.other.translation_key].counts["in_progress"], 1)
        self.assertEqual(data.actors[self.w.org.translation_key].total, 2)  # 2026 + 2027

    def test_unpublished_plan_not_counted_publicly(self):
        self.w.plan2.unpublish()
        self.assertEqual(rollups(self.w.concept).concept.total, 1)
        self.assertEqual(rollups(self.w.concept, public=False).concept.total, 2)


class RollupQueryCountTests(TestCase):
    def count(self, recommendations):
        world = MonitoringWorld()
        world.add_monitoring(recommendations=recommendations)
        with CaptureQueriesContext(connection) as queries:
            data = rollups(world.concept)
        self.assertEqual(data.concept.total, recommendations)
        return len(queries)

    def test_rollup_queries_constant_in_n(self):
        self.assertEqual(self.count(2), self.count(20))


class PublicProgressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = MonitoringWorld()
        cls.w.add_monitoring(recommendations=2)

    def get(self, page):
        response = self.client.get(page.url, HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def assert_accessible_bar(self, html):
        bars = re.findall(r"<svg[^>]*progress__bar[^>]*>", html)
        self.assertTrue(bars)
        for bar in bars:
            self.assertIn('role="img"', bar)
            label_id = re.search(r'aria-labelledby="([^"]+)"', bar)[1]
            caption = re.search(rf'<figcaption id="{label_id}">(.*?)</figcaption>', html, re.S)
            self.assertIsNotNone(caption, label_id)
            # the text says what the colours show
            self.assertRegex(caption[1], r"Splněno \d+ z \d+ \(\d+ %\)")
        # coordinates are never localised (a decimal comma would break the SVG)
        self.assertNotRegex(html, r'<rect[^>]*(x|width)="\d+,\d')

    def test_concept_page_has_bars_with_text_and_a_table(self):
        html = self.get(self.w.concept)
        self.assert_accessible_bar(html)
        self.assertIn("Splněno 1 z 2 (50 %)", html)
        self.assertIn('<table class="progress-table">', html)
        self.assertIn('<th scope="col">splněno</th>', html)

    def test_priority_page(self):
        html = self.get(self.w.priority)
        self.assert_accessible_bar(html)
        self.assertIn("Splněno 1 z 2 (50 %)", html)

    def test_actor_page_lists_recommendations_and_flags_overdue_items(self):
        response = self.client.get(
            reverse("actor_page", args=[self.w.other.pk]), HTTP_HOST="mhmp.localhost"
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Test organisation 2", html)
        self.assertIn("po termínu", html)  # in_progress, deadline yesterday
        self.assert_accessible_bar(html)
        lead = self.client.get(
            reverse("actor_page", args=[self.w.org.pk]), HTTP_HOST="mhmp.localhost"
        ).content.decode()
        self.assertIn(self.w.recommendations[0].title, lead)
        self.assertIn("gestor", lead)

    def test_actor_page_alternates_are_the_languages_the_organisation_is_in(self):
        translate_snippet(self.w.other, "en", name="Test organisation 2 (en)")
        path = reverse("actor_page", args=[self.w.other.pk])  # the reader's language: cs
        self.addCleanup(translation.activate, "cs")  # a request leaves its language active
        en, uk = f"/en{path[3:]}", f"/uk{path[3:]}"
        html = self.client.get(en, HTTP_HOST="mhmp.localhost").content.decode()
        self.assertIn("Test organisation 2 (en)", html)
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        self.assertEqual(
            links,
            {
                "cs": f"http://mhmp.localhost{path}",
                "en": f"http://mhmp.localhost{en}",
                "x-default": f"http://mhmp.localhost{path}",
            },
        )
        self.assertIn(f'<link rel="canonical" href="http://mhmp.localhost{en}">', html)
        # Not in Ukrainian: a Ukrainian reader gets the English name (their fallback chain),
        # and the English page is the canonical one; with no English either, the Czech one.
        html = self.client.get(uk, HTTP_HOST="mhmp.localhost").content.decode()
        self.assertIn(f'<link rel="canonical" href="http://mhmp.localhost{en}">', html)
        self.assertNotIn('hreflang="uk"', html.split("</head>")[0])
        czech_only = Organisation.objects.create(name="Czech only", category="ngo")
        other = reverse("actor_page", args=[czech_only.pk])[3:]
        html = self.client.get(f"/uk{other}", HTTP_HOST="mhmp.localhost").content.decode()
        self.assertIn(f'<link rel="canonical" href="http://mhmp.localhost/cs{other}">', html)

    def test_actor_page_of_unknown_or_unpublished_organisation_is_404(self):
        draft = Organisation.objects.create(name="Draft org", category="ngo", live=False)
        for pk in (draft.pk, 999999):
            response = self.client.get(reverse("actor_page", args=[pk]), HTTP_HOST="mhmp.localhost")
            self.assertEqual(response.status_code, 404)


class ReportAndReportingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = MonitoringWorld()
        cls.w.add_monitoring(recommendations=2)
        User = get_user_model()
        cls.editor = User.objects.create_superuser("editor", "e@example.com", "x")
        cls.reporter = User.objects.create_user("reporter", "r@example.com", "x")
        cls.reporter.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        ActorReporter.objects.create(user=cls.reporter, organisation=cls.w.other)
        cls.nobody = User.objects.create_user("nobody", "n@example.com", "x")
        cls.nobody.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )

    def assert_denied(self, response):
        """Wagtail's admin answers PermissionDenied with a redirect to the dashboard."""
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    def test_report_csv_and_xlsx(self):
        self.client.force_login(self.editor)
        url = reverse("concept_plan_report", args=[self.w.plan2.pk])
        text = self.client.get(url + "?format=csv").content.decode()
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(
            rows[0][:5], ["measure_code", "measure_cs", "responsible_cs", "deadline", "status"]
        )
        self.assertEqual(rows[1][4], "done")
        self.assertEqual(rows[2][6], "ano")  # in progress, overdue
        summary = rows[rows.index([]) + 2]
        self.assertEqual(summary[0], "action_plan")
        self.assertEqual(summary[-2:], ["2", "0.5"])
        workbook = load_workbook(io.BytesIO(self.client.get(url + "?format=xlsx").content))
        self.assertEqual(workbook.sheetnames, ["polozky", "souhrn"])
        self.assertEqual(workbook["polozky"].max_row, 3)

    def test_report_never_hands_a_spreadsheet_a_formula(self):
        """An actor's note like "=HYPERLINK(…)" must not run when an editor opens the report."""
        item = self.w.plan2.items.order_by("sort_order", "pk").first()
        item.note = '=HYPERLINK("http://example.com/x","klikni")'
        item.save()
        self.client.force_login(self.editor)
        url = reverse("concept_plan_report", args=[self.w.plan2.pk])
        rows = list(csv.reader(io.StringIO(self.client.get(url + "?format=csv").content.decode())))
        note = rows[0].index("note_cs")
        self.assertEqual(rows[1][note], "'" + item.note)
        workbook = load_workbook(io.BytesIO(self.client.get(url + "?format=xlsx").content))
        cell = workbook["polozky"].cell(row=2, column=note + 1)
        self.assertEqual((cell.value, cell.data_type), (item.note, "s"))

    def test_report_needs_edit_permission(self):
        self.client.force_login(self.nobody)
        url = reverse("concept_plan_report", args=[self.w.plan2.pk])
        self.assert_denied(self.client.get(url))

    def other_items(self):
        return list(self.w.plan2.items.filter(responsible=self.w.other))

    def test_reporter_updates_own_item_as_a_published_revision(self):
        item = self.other_items()[0]
        revisions = self.w.plan2.revisions.count()
        self.client.force_login(self.reporter)
        url = reverse("concept_reporter_items")
        page = self.client.get(url)
        self.assertContains(page, item.measure.code)
        self.assertNotContains(
            page, self.w.plan2.items.exclude(responsible=self.w.other)[0].measure.code + " "
        )
        prefix = f"i{item.pk}"
        response = self.client.post(
            url, {"item": item.pk, f"{prefix}-status": "done", f"{prefix}-note": "Hotovo."}
        )
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual((item.status, item.note), ("done", "Hotovo."))
        plan = ActionPlanPage.objects.get(pk=self.w.plan2.pk)
        self.assertEqual(plan.revisions.count(), revisions + 1)
        self.assertEqual(plan.latest_revision.user, self.reporter)
        change = ActionPlanItemStatusChange.objects.filter(item=item).first()
        self.assertEqual((change.new_status, change.changed_by), ("done", self.reporter))

    def test_reporter_cannot_touch_other_organisations_items_or_pages(self):
        foreign = self.w.plan2.items.exclude(responsible=self.w.other).first()
        self.client.force_login(self.reporter)
        url = reverse("concept_reporter_items")
        prefix = f"i{foreign.pk}"
        response = self.client.post(url, {"item": foreign.pk, f"{prefix}-status": "cancelled"})
        self.assert_denied(response)
        foreign.refresh_from_db()
        self.assertNotEqual(foreign.status, "cancelled")
        # no page editing, no import
        self.assert_denied(
            self.client.get(reverse("wagtailadmin_pages:edit", args=[self.w.plan2.pk]))
        )
        self.assert_denied(self.client.get(reverse("concept_import", args=[self.w.concept.pk])))
        self.assert_denied(self.client.get(reverse("concept_export", args=[self.w.concept.pk])))
        # bad input: unknown status, no item
        own = self.other_items()[0]
        response = self.client.post(url, {"item": own.pk, f"i{own.pk}-status": "finished"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "finished")
        self.assert_denied(self.client.post(url, {"item": "x"}))

    def test_user_without_organisation_has_no_reporting(self):
        self.client.force_login(self.nobody)
        self.assert_denied(self.client.get(reverse("concept_reporter_items")))

    def test_reporter_update_on_a_plan_with_editor_draft_stays_draft(self):
        plan = ActionPlanPage.objects.get(pk=self.w.plan2.pk)
        plan.title = "Editor's unfinished title"
        plan.save_revision(user=self.editor)
        item = self.other_items()[0]
        self.client.force_login(self.reporter)
        prefix = f"i{item.pk}"
        self.client.post(
            reverse("concept_reporter_items"), {"item": item.pk, f"{prefix}-status": "done"}
        )
        plan = ActionPlanPage.objects.get(pk=plan.pk)
        self.assertNotEqual(plan.title, "Editor's unfinished title")  # nothing published
        latest = plan.get_latest_revision_as_object()
        self.assertEqual(latest.title, "Editor's unfinished title")
        self.assertEqual(next(i for i in latest.items.all() if i.pk == item.pk).status, "done")


class ApiProgressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = MonitoringWorld()
        cls.w.add_monitoring(recommendations=2)

    def test_concept_priority_and_plan_carry_progress(self):
        concept = self.client.get(f"/api/v1/concepts/{self.w.concept.translation_key}/").json()
        self.assertEqual(
            concept["progress"],
            {
                "counts": {
                    "planned": 0,
                    "in_progress": 1,
                    "done": 1,
                    "postponed": 0,
                    "cancelled": 0,
                },
                "total": 2,
                "done": 1,
                "share_done": 0.5,
            },
        )
        self.assertEqual(concept["priorities"][0]["progress"]["total"], 2)
        listing = self.client.get("/api/v1/concepts/").json()
        self.assertEqual(listing["results"][0]["progress"]["done"], 1)
        plan = self.client.get(f"/api/v1/action-plans/{self.w.plan2.translation_key}/").json()
        self.assertEqual(plan["progress"]["total"], 2)

    def test_organisation_lists_its_items_with_status(self):
        data = self.client.get(f"/api/v1/organisations/{self.w.other.translation_key}/").json()
        items = data["responsibilities"]["action_plan_items"]
        self.assertEqual([i["status"] for i in items], ["in_progress"])
        progress = data["responsibilities"]["progress"]
        self.assertEqual((progress["total"], progress["done"]), (1, 0))
        self.assertEqual(progress["counts"]["in_progress"], 1)
