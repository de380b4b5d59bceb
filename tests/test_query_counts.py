"""Rendered pages run a number of SQL queries that does not grow with the number of items."""

import datetime
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from concept.models import ActionPlanItem, ActionPlanPage, AreaPage, Measure, RecommendationPage
from home.models import Organisation
from home.routing import in_language
from platforms.models import MeetingPage, PlatformPage, SharedPlatformPage, Venue

from .api.factories import translate
from .utils import make_meeting, publish

N = 3


# The rendering path (the shared response cache off): its cost must not grow with content. The
# cache's own cost is pinned in tests/test_response_cache.py.
@override_settings(RESPONSE_CACHE_TIMEOUT=0)
class PageQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.area = AreaPage.objects.get(code="1.C")
        cls.venue = Venue.objects.first()
        cls.actor = Organisation.objects.get(short_name="ICP")
        cls.added = 0

    def queries(self, page, language=None):
        url = urlsplit(page.get_full_url())
        path = in_language(url.path, language) if language else url.path
        self.client.get(path, HTTP_HOST=url.hostname)  # warm per-process caches
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(path, HTTP_HOST=url.hostname)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def add_meetings(self, count):
        for _ in range(count):
            self.added += 1
            day = datetime.timedelta(days=self.added)
            for base in (datetime.date(2090, 1, 1), datetime.date(2000, 1, 1)):
                make_meeting(self.rpp, base + day, "13:00", "15:00", venue=self.venue)

    def add_recommendations(self, count):
        for _ in range(count):
            self.added += 1
            code = f"1.C.{100 + self.added}"
            page = RecommendationPage(title=f"R {code}", slug=code.replace(".", "-"), code=code)
            page.measures.add(Measure(code=f"{code}.I", text="x"))
            page.actors.add(self.actor.recommendation_roles.model(organisation=self.actor))
            publish(self.area, page)

    def assert_constant(self, page, grow, language=None):
        grow(N)
        at_n = self.queries(page, language)
        grow(9 * N)
        self.assertEqual(self.queries(page, language), at_n)
        return at_n

    def test_platform_page(self):
        self.assert_constant(self.rpp, self.add_meetings)

    def test_platform_index_with_each_platforms_next_meeting(self):
        index = self.rpp.get_parent()

        def add_platforms(count):
            for _ in range(count):
                self.added += 1
                platform = publish(
                    index,
                    PlatformPage(
                        title=f"P {self.added}", slug=f"p-{self.added}", kind="commission"
                    ),
                )
                make_meeting(platform, datetime.date(2090, 1, 1), "13:00", "15:00")

        self.assert_constant(index, add_platforms)
        self.assert_constant(index, add_platforms, language="uk")

    def test_icp_page_showing_the_platform(self):
        self.assert_constant(SharedPlatformPage.objects.get(), self.add_meetings)

    def test_concept_page_with_its_tree(self):
        self.assert_constant(self.area.get_parent().get_parent(), self.add_recommendations)

    def test_area_page(self):
        self.assert_constant(self.area, self.add_recommendations)

    def test_sitemap(self):
        """The index and a section (home/sitemap.py); the section's pages with translations,
        whose alternates are read for the section's pages only."""

        def queries():
            counts = []
            for url in ("/sitemap.xml", "/sitemap-pages.xml"):
                with CaptureQueriesContext(connection) as context:
                    response = self.client.get(url, HTTP_HOST="mhmp.localhost")
                self.assertContains(response, "<loc>")
                counts.append(len(context.captured_queries))
            return counts

        def add_translated_meetings(count):
            self.add_meetings(count)
            for meeting in MeetingPage.objects.child_of(self.rpp).order_by("-pk")[:count]:
                translate(meeting, "en")

        add_translated_meetings(N)
        queries()  # warm per-process caches
        at_n = queries()
        add_translated_meetings(9 * N)
        self.assertEqual(queries(), at_n)

    def test_pages_read_in_another_language(self):
        # A Ukrainian reader: the platform translated, its meetings partly; the Concept not at all
        # (every level a Czech fallback under /uk/).
        translate(self.rpp, "uk", title="РПП")
        for meeting in MeetingPage.objects.child_of(self.rpp)[:2]:
            translate(meeting, "uk")
        concept = self.area.get_parent().get_parent()
        # Its items' Czech measures are localized in the view and again in the template: the
        # second time must be free (the objects remember whom they were localized for).
        plan = publish(concept, ActionPlanPage(title="Akční plán 2090", slug="ap-2090", year=2090))
        measure = Measure.objects.filter(locale__language_code="cs").first()

        def add_items(count):
            for _ in range(count):
                plan.items.add(ActionPlanItem(measure=measure, responsible=self.actor))
            plan.save_revision().publish()

        cases = [
            (self.rpp, self.add_meetings),
            (SharedPlatformPage.objects.get(), self.add_meetings),
            (concept, self.add_recommendations),
            (self.area, self.add_recommendations),
            (plan, add_items),
        ]
        counts = []
        for page, grow in cases:
            with self.subTest(page=page.title):
                counts.append(self.assert_constant(page, grow, language="uk"))
        # Pinned too: reading a language must not cost a query per object already in it (or
        # localized once already). A change that moves these on purpose updates them. (The
        # Concept and the area: their actors' organisations are read in the reader's language in
        # one query, no longer the Czech sources first and then their translations; the Concept's
        # three tree levels in one query, no longer one each; every listing: hidden subtrees
        # looked up once per request, no view-restriction query per listing.)
        self.assertEqual(counts, [43, 45, 35, 35, 30])
        # and in Czech, where its measures are already the reader's (no query to localize them)
        self.assertEqual(self.queries(plan), 23)
