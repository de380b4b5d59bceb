"""Query counts do not grow with the number of items: every list at N and 10·N objects runs
exactly the pinned number of queries; detail endpoints have pinned budgets too."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from concept.models import ActionPlanItem, ActionPlanPage, ConceptPage
from home.models import Organisation, Person
from platforms.models import Venue

from .base import ApiTestCase
from .factories import add, translate

N = 2

# Queries per request (both SQLite and PostgreSQL). Issue 14 added one per response (which
# languages the resource really serves, for honest `translations[]`) and two for platforms (the
# last meeting that is over: when `next_meeting` moved on, for `modified`).
LIST_QUERIES = {
    "platforms": 23,
    "meetings": 15,
    "organisations": 8,
    "people": 9,
    "venues": 8,
    "concepts": 19,  # + 3 for the progress rollups (concept.monitoring)
    "recommendations": 16,
    "measures": 15,
    "action-plans": 16,
    "sites": 6,
}
DETAIL_QUERIES = {
    "platforms": 22,
    "meetings": 14,
    "organisations": 13,
    "people": 8,
    "venues": 7,
    "concepts": 28,  # + 3 for the progress rollups; the tree: flat rows, one states call
    "recommendations": 15,
    "measures": 14,
    "action-plans": 15,
}
# The iCalendar feed: the meetings, their platforms, venues and publish counts; no translation
# states, no modified times, no programmes (the feed shows none).
CALENDAR_QUERIES = 11


# The rendering path (the shared response cache off): its cost must not grow with content. The
# cache's own cost is pinned in tests/test_response_cache.py.
@override_settings(RESPONSE_CACHE_TIMEOUT=0)
class QueryCountTests(ApiTestCase):
    meetings = 0
    recommendations = 1

    def count(self, url):
        with CaptureQueriesContext(connection) as queries:
            self.get(url)
        return len(queries)

    def grow(self, resource, times):
        w = self.world
        for _ in range(times):
            if resource == "platforms":
                platform = w.add_platform()
                w.add_meeting(platform)
            elif resource == "meetings":
                w.add_meeting()
            elif resource == "organisations":
                Organisation.objects.create(name="Test organisation x", category="ngo")
            elif resource == "people":
                org = Organisation.objects.create(name="Test organisation y", category="ngo")
                Person.objects.create(name="Test person x", organisation=org)
            elif resource == "venues":
                Venue.objects.create(name="Test venue x")
            elif resource == "concepts":
                concept = add(w.mhmp, ConceptPage, period_from=2022, period_to=2027)
                add(concept, ActionPlanPage, year=2026)
            elif resource in ("recommendations", "measures"):
                w.add_recommendation(len(w.recommendations) + 1)
                w.recommendations.append(None)
            elif resource == "action-plans":
                add(
                    w.concept,
                    ActionPlanPage,
                    year=2027,
                    children={"items": [ActionPlanItem(measure=w.measure, responsible=w.org)]},
                )

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        w.measure = w.recommendations[0].measures.first()
        translate(w.platform, "en")  # a mix of languages on the page

    def test_list_queries_are_constant_and_pinned(self):
        counts = {}
        for resource in LIST_QUERIES:
            url = f"/api/v1/{resource}/?limit=100&locale=uk"
            self.grow(resource, N)
            small = self.count(url)
            self.grow(resource, 9 * N)
            large = self.count(url)
            counts[resource] = (small, large)
        for resource, (small, large) in counts.items():
            with self.subTest(resource):
                self.assertEqual(small, large)
                self.assertEqual(small, LIST_QUERIES[resource])

    def test_detail_budgets(self):
        w = self.world
        for _ in range(3):
            w.add_recommendation(len(w.recommendations) + 1)
            w.recommendations.append(None)
        ids = {
            "platforms": w.platform.translation_key,
            "meetings": w.add_meeting().translation_key,
            "organisations": w.org.translation_key,
            "people": w.person.translation_key,
            "venues": w.venue.translation_key,
            "concepts": w.concept.translation_key,
            "recommendations": w.recommendations[0].translation_key,
            "measures": w.measure.translation_key,
            "action-plans": w.plan.translation_key,
        }
        counts = {r: self.count(f"/api/v1/{r}/{key}/?locale=uk") for r, key in ids.items()}
        for resource, count in counts.items():
            with self.subTest(resource):
                self.assertEqual(count, DETAIL_QUERIES[resource])

    def test_concept_tree_queries_do_not_grow(self):
        url = f"/api/v1/concepts/{self.world.concept.translation_key}/"
        small = self.count(url)
        for number in range(2, 2 + 10):
            self.world.add_recommendation(number)
        self.assertEqual(self.count(url), small)
        self.assertEqual(small, DETAIL_QUERIES["concepts"])

    def test_calendar_queries_do_not_grow(self):
        url = "/api/v1/meetings/calendar.ics"
        self.grow("meetings", N)
        small = self.count(url)
        self.grow("meetings", 9 * N)
        self.assertEqual(self.count(url), small)
        self.assertEqual(small, CALENDAR_QUERIES)
