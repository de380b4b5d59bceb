"""Every filter of every list."""

import datetime

from home.models import Organisation, Person

from .base import ApiTestCase
from .factories import add, translate


class FilterTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        cls.past = w.add_meeting(days=-30, status="held", topic="Test past topic")
        cls.cancelled = w.add_meeting(days=40, status="cancelled")
        cls.other_platform = w.add_platform(kind="commission", title="Test commission")
        cls.other_meeting = w.add_meeting(cls.other_platform, days=5)
        cls.other_org = Organisation.objects.create(
            name="Test district 1", category="city_district"
        )
        Person.objects.create(name="Test Person 2", organisation=cls.other_org)
        rec = w.recommendations[1]
        rec.actors.all().delete()
        from concept.models import RecommendationActor

        RecommendationActor.objects.create(page=rec, organisation=cls.other_org, role="partner")
        rec.save_revision().publish()
        area_b = add(w.priority, type(w.area), code="1.B")
        cls.rec_b = w.add_recommendation(3, area=area_b)

    def key(self, obj):
        return str(obj.translation_key)

    def test_meetings_by_platform(self):
        ids = self.ids(f"/api/v1/meetings/?platform={self.key(self.other_platform)}")
        self.assertEqual(ids, [self.key(self.other_meeting)])

    def test_meetings_by_site(self):
        mhmp = self.ids("/api/v1/meetings/?site=mhmp.localhost&limit=100")
        icp = self.ids(f"/api/v1/meetings/?site={self.world.icp_site.pk}&limit=100")
        self.assertIn(self.key(self.other_meeting), mhmp)
        # ICP presents only the shared platform, so only its meetings.
        self.assertNotIn(self.key(self.other_meeting), icp)
        self.assertIn(self.key(self.world.meetings[0]), icp)
        platforms = self.ids("/api/v1/platforms/?site=icp.localhost")
        self.assertEqual(platforms, [self.key(self.world.platform)])

    def test_meetings_by_date(self):
        today = datetime.date.today()
        after = self.ids(f"/api/v1/meetings/?after={today}&limit=100")
        self.assertNotIn(self.key(self.past), after)
        before = self.ids(f"/api/v1/meetings/?before={today}")
        self.assertEqual(before, [self.key(self.past)])
        self.assertEqual(self.ids(f"/api/v1/meetings/?year={self.past.date.year - 1}"), [])

    def test_upcoming_and_past(self):
        upcoming = self.ids("/api/v1/meetings/?upcoming=true&limit=100")
        self.assertEqual(upcoming[0], self.key(self.other_meeting))  # soonest first
        self.assertNotIn(self.key(self.past), upcoming)
        self.assertEqual(self.ids("/api/v1/meetings/?upcoming=false"), [self.key(self.past)])

    def test_status_and_search(self):
        self.assertEqual(self.ids("/api/v1/meetings/?status=cancelled"), [self.key(self.cancelled)])
        self.assertEqual(self.ids("/api/v1/meetings/?q=past+TOPIC"), [self.key(self.past)])

    def test_platforms_by_kind_and_search(self):
        self.assertEqual(
            self.ids("/api/v1/platforms/?kind=commission"), [self.key(self.other_platform)]
        )
        self.assertEqual(
            self.ids("/api/v1/platforms/?q=commission"), [self.key(self.other_platform)]
        )

    def test_recommendations(self):
        w = self.world
        by_actor = self.ids(f"/api/v1/recommendations/?actor={self.key(self.other_org)}")
        self.assertEqual(by_actor, [self.key(w.recommendations[1])])
        lead = self.ids(f"/api/v1/recommendations/?actor={self.key(w.org)}&role=lead")
        self.assertEqual(lead, [self.key(w.recommendations[0]), self.key(self.rec_b)])
        partner = self.ids(f"/api/v1/recommendations/?actor={self.key(w.org)}&role=partner")
        self.assertEqual(partner, [])
        self.assertEqual(self.ids("/api/v1/recommendations/?area=1.B"), [self.key(self.rec_b)])
        self.assertEqual(len(self.ids("/api/v1/recommendations/?priority=1")), 3)
        self.assertEqual(self.ids("/api/v1/recommendations/?priority=2"), [])
        self.assertEqual(
            len(self.ids(f"/api/v1/recommendations/?concept={self.key(w.concept)}")), 3
        )
        self.assertEqual(
            self.ids("/api/v1/recommendations/?q=1.A.2.I"), [self.key(w.recommendations[1])]
        )

    def test_measures(self):
        w = self.world
        rec = w.recommendations[0]
        measures = self.json(f"/api/v1/measures/?recommendation={self.key(rec)}")["results"]
        self.assertEqual([m["code"] for m in measures], ["1.A.1.I"])
        by_actor = self.json(f"/api/v1/measures/?actor={self.key(self.other_org)}")["results"]
        self.assertEqual([m["code"] for m in by_actor], ["1.A.2.I"])
        self.assertEqual(len(self.ids(f"/api/v1/measures/?concept={self.key(w.concept)}")), 3)
        self.assertEqual(len(self.ids("/api/v1/measures/?priority=1")), 3)
        self.assertEqual(len(self.ids("/api/v1/measures/?q=measure+1.B")), 0)

    def test_action_plans(self):
        w = self.world
        plan = self.key(w.plan)
        self.assertEqual(self.ids("/api/v1/action-plans/?year=2026"), [plan])
        self.assertEqual(self.ids("/api/v1/action-plans/?year=2025"), [])
        self.assertEqual(self.ids("/api/v1/action-plans/?status=done"), [plan])
        self.assertEqual(self.ids("/api/v1/action-plans/?status=planned"), [])
        self.assertEqual(self.ids(f"/api/v1/action-plans/?actor={self.key(w.org)}"), [plan])
        self.assertEqual(self.ids(f"/api/v1/action-plans/?actor={self.key(self.other_org)}"), [])
        self.assertEqual(self.ids(f"/api/v1/action-plans/?concept={self.key(w.concept)}"), [plan])

    def test_organisations_people_venues(self):
        self.assertEqual(
            self.ids("/api/v1/organisations/?category=city_district"), [self.key(self.other_org)]
        )
        self.assertEqual(self.ids("/api/v1/organisations/?q=DISTRICT"), [self.key(self.other_org)])
        people = self.json(f"/api/v1/people/?organisation={self.key(self.other_org)}")["results"]
        self.assertEqual([p["name"] for p in people], ["Test Person 2"])
        self.assertEqual(len(self.ids("/api/v1/people/?q=tester")), 1)
        self.assertEqual(len(self.ids("/api/v1/venues/?q=street")), 1)

    def test_q_finds_an_object_in_any_language_and_serves_the_requested_one(self):
        """The docs' own example: a Ukrainian reader searching by the Czech name (issue 14)."""
        czech = self.world.platform.title
        translate(self.world.platform, "uk", title="Test platform UKRAINIAN")
        for q, locale in ((czech, "uk"), ("UKRAINIAN", "cs"), ("UKRAINIAN", "uk")):
            with self.subTest(q=q, locale=locale):
                data = self.json(f"/api/v1/platforms/?q={q}&locale={locale}")
                self.assertEqual([p["locale"] for p in data["results"]], [locale])
        self.assertEqual(self.ids("/api/v1/platforms/?q=nothing-like-this&locale=uk"), [])

    def test_exact_name_does_not_find_longer_names(self):
        from home.models import Organisation

        Organisation.objects.create(name="Test Praha 1", category="city_district")
        Organisation.objects.create(name="Test Praha 10", category="city_district")
        self.assertEqual(len(self.ids("/api/v1/organisations/?q=Test%20Praha%201")), 2)
        data = self.json("/api/v1/organisations/?name=test%20praha%201")
        self.assertEqual([o["name"] for o in data["results"]], ["Test Praha 1"])
        code = self.world.recommendations[0].code
        data = self.json(f"/api/v1/recommendations/?code={code}")
        self.assertEqual([r["code"] for r in data["results"]], [code])

    def test_ordering(self):
        w = self.world
        late = w.add_meeting(days=40, title="A test meeting")
        dates = [m["date"] for m in self.json("/api/v1/meetings/?ordering=-date")["results"]]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertEqual(
            self.ids("/api/v1/meetings/?ordering=-date&limit=1"), [str(late.translation_key)]
        )
        titles = [m["title"] for m in self.json("/api/v1/meetings/?ordering=title")["results"]]
        self.assertEqual(titles, sorted(titles))
        self.assertEqual(titles[0], "A test meeting")
        problem = self.json("/api/v1/meetings/?ordering=colour", status=400)
        self.assertEqual([p["name"] for p in problem["invalid_params"]], ["ordering"])
