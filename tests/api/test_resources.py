"""Every resource: list and detail, the common fields and what each embeds."""

import datetime

from django.utils.dateparse import parse_datetime
from wagtail.models import Site

from .base import ApiTestCase
from .factories import document, publish

RESOURCES = [
    "sites",
    "platforms",
    "meetings",
    "organisations",
    "people",
    "venues",
    "concepts",
    "recommendations",
    "measures",
    "action-plans",
]
COMMON = {"id", "locale", "fallback", "translations", "web", "created", "modified"}


class ResourceTests(ApiTestCase):
    def test_root_lists_every_resource_calendar_schema_and_docs(self):
        root = self.json("/api/v1/")
        for name in RESOURCES + ["calendar", "schema", "docs"]:
            self.assertIn(name, root)
        self.assertTrue(root["calendar"].endswith("/api/v1/meetings/calendar.ics"))

    def test_every_list_and_detail(self):
        for name in RESOURCES:
            with self.subTest(name):
                page = self.json(f"/api/v1/{name}/")
                self.assertGreaterEqual(page["count"], 1)
                self.assertEqual(page["count"], len(page["results"]))
                first = page["results"][0]
                detail = self.json(f"/api/v1/{name}/{first['id']}/")
                self.assertEqual(detail["id"], first["id"])
                if name != "sites":
                    self.assertLessEqual(COMMON, set(first))

    def test_common_fields(self):
        platform = self.json(f"/api/v1/platforms/{self.world.platform.translation_key}/")
        self.assertEqual(platform["id"], str(self.world.platform.translation_key))
        self.assertEqual(platform["locale"], "cs")
        self.assertFalse(platform["fallback"])
        self.assertEqual(
            [(t["language"], t["status"]) for t in platform["translations"]],
            [("cs", "up_to_date"), ("en", "missing"), ("uk", "missing")],
        )
        self.assertIn("?locale=cs", platform["translations"][0]["url"])
        self.assertIsNone(platform["translations"][1]["url"])
        # DRF writes times to the millisecond. `modified` is the latest change of anything the
        # platform shows: here its last meeting (`next_meeting`) was published after it.
        page = self.world.platform
        latest = max(m.last_published_at for m in [page, *self.world.meetings])
        for field, moment in (
            ("created", page.first_published_at),
            ("modified", latest),
        ):
            with self.subTest(field):
                self.assertAlmostEqual(
                    parse_datetime(platform[field]),
                    moment,
                    delta=datetime.timedelta(milliseconds=1),
                )

    def test_platform_is_shown_on_both_sites(self):
        platform = self.json(f"/api/v1/platforms/{self.world.platform.translation_key}/")
        web = {item["site"]: item["url"] for item in platform["web"]}
        self.assertEqual(set(web), {"mhmp.localhost", "icp.localhost"})
        self.assertTrue(web["mhmp.localhost"].startswith("http://mhmp.localhost/cs/"))
        self.assertEqual(web["icp.localhost"], f"http://icp.localhost/cs/{self.world.shared.slug}/")

    def test_platform_embeds(self):
        platform = self.json(f"/api/v1/platforms/{self.world.platform.translation_key}/")
        self.assertEqual(platform["coordinator"]["id"], str(self.world.org.translation_key))
        self.assertEqual(platform["usual_venue"]["name"], "Test venue 1")
        self.assertEqual(platform["contacts"][0]["person"]["name"], "Test Person")
        self.assertEqual(
            platform["next_meeting"]["id"], str(self.world.meetings[0].translation_key)
        )
        self.assertTrue(
            platform["meetings"].endswith(f"/api/v1/meetings/?platform={platform['id']}")
        )
        listed = self.ids(platform["meetings"])
        self.assertEqual(listed, [str(m.translation_key) for m in self.world.meetings])

    def test_next_meeting_skips_cancelled_ones(self):
        self.world.add_meeting(days=1, status="cancelled")
        platform = self.json(f"/api/v1/platforms/{self.world.platform.translation_key}/")
        self.assertEqual(
            platform["next_meeting"]["id"], str(self.world.meetings[0].translation_key)
        )

    def test_meeting_embeds(self):
        meeting = self.world.meetings[0]
        meeting.minutes = document()
        publish(meeting)
        data = self.json(f"/api/v1/meetings/{meeting.translation_key}/")
        self.assertEqual(data["venue"]["name"], "Test venue 1")
        self.assertEqual(data["programme"][0]["title"], "Test item")
        self.assertEqual(data["minutes"]["type"], "application/pdf")
        self.assertTrue(data["minutes"]["url"].startswith("http://testserver/documents/"))
        self.assertEqual(data["platform"]["id"], str(self.world.platform.translation_key))
        self.assertTrue(data["start"].endswith("+01:00") or data["start"].endswith("+02:00"))
        self.assertFalse(data["all_day"])
        sites = {item["site"]: item["url"] for item in data["web"]}
        self.assertEqual(
            sites["icp.localhost"],
            f"http://icp.localhost/cs/{self.world.shared.slug}/setkani/{meeting.pk}/",
        )

    def test_sites(self):
        sites = self.json("/api/v1/sites/")["results"]
        self.assertEqual([s["hostname"] for s in sites], ["mhmp.localhost", "icp.localhost"])
        self.assertEqual(sites[0]["home"]["uk"], "http://mhmp.localhost/uk/")
        site = Site.objects.get(hostname="icp.localhost")
        self.assertEqual(self.json(f"/api/v1/sites/{site.pk}/")["hostname"], "icp.localhost")

    def test_concept_detail_is_the_whole_tree(self):
        concept = self.json(f"/api/v1/concepts/{self.world.concept.translation_key}/")
        self.assertEqual((concept["period_from"], concept["period_to"]), (2022, 2027))
        priority = concept["priorities"][0]
        self.assertEqual(priority["number"], 1)
        area = priority["areas"][0]
        self.assertEqual(area["code"], "1.A")
        codes = [rec["code"] for rec in area["recommendations"]]
        self.assertEqual(codes, ["1.A.1", "1.A.2"])
        rec = area["recommendations"][0]
        self.assertEqual(rec["actors"][0]["role"], "lead")
        self.assertEqual(rec["actors"][0]["organisation"]["name"], "Test organisation 1")
        self.assertEqual(rec["measures"][0]["code"], "1.A.1.I")
        self.assertEqual(concept["action_plans"][0]["year"], 2026)
        listed = self.json("/api/v1/concepts/")["results"][0]
        self.assertNotIn("priorities", listed)

    def test_organisation_lists_its_responsibilities(self):
        org = self.json(f"/api/v1/organisations/{self.world.org.translation_key}/")
        recs = org["responsibilities"]["recommendations"]
        self.assertEqual(
            [(r["code"], r["role"]) for r in recs], [("1.A.1", "lead"), ("1.A.2", "lead")]
        )
        items = org["responsibilities"]["action_plan_items"]
        self.assertEqual(items[0]["measure"]["code"], "1.A.1.I")
        self.assertEqual(items[0]["action_plan"]["year"], 2026)
        self.assertEqual(items[0]["status"], "done")

    def test_recommendation_measure_and_action_plan(self):
        rec = self.json("/api/v1/recommendations/")["results"][0]
        self.assertEqual(rec["area"]["code"], "1.A")
        self.assertEqual(rec["priority"]["number"], 1)
        self.assertEqual(rec["concept"]["id"], str(self.world.concept.translation_key))
        measure = self.json("/api/v1/measures/")["results"][0]
        self.assertEqual(measure["recommendation"]["code"], "1.A.1")
        self.assertEqual(measure["action_plan_items"][0]["status"], "done")
        plan = self.json("/api/v1/action-plans/")["results"][0]
        self.assertEqual(plan["items"][0]["measure"]["code"], "1.A.1.I")
        self.assertEqual(plan["items"][0]["responsible"]["name"], "Test organisation 1")
        self.assertEqual(plan["concept"]["id"], str(self.world.concept.translation_key))

    def test_people_and_venues(self):
        person = self.json("/api/v1/people/")["results"][0]
        self.assertEqual(person["organisation"]["id"], str(self.world.org.translation_key))
        venue = self.json("/api/v1/venues/")["results"][0]
        self.assertEqual(venue["address"], "Test street 1")

    def test_rich_text_links_are_real_urls(self):
        platform = self.world.platform
        platform.description = f'<p><a linktype="page" id="{self.world.meetings[0].pk}">x</a></p>'
        publish(platform)
        data = self.json(f"/api/v1/platforms/{platform.translation_key}/")
        self.assertNotIn("linktype", data["description"])
        self.assertIn('href="http://mhmp.localhost/cs/', data["description"])

    def test_pagination_keeps_filters_and_counts(self):
        first = self.json("/api/v1/meetings/?limit=1&upcoming=true")
        self.assertEqual(first["count"], 2)
        self.assertIn("upcoming=true", first["next"])
        self.assertIn("offset=1", first["next"])
        self.assertIsNone(first["previous"])
        second = self.json(first["next"])
        self.assertIsNone(second["next"])
        self.assertNotEqual(first["results"][0]["id"], second["results"][0]["id"])

    def test_a_page_past_the_end_is_empty_and_still_counts(self):
        # The total then comes from its own count: no row carries it (ApiPagination).
        past = self.json("/api/v1/meetings/?limit=1&upcoming=true&offset=50")
        self.assertEqual(past["results"], [])
        self.assertEqual(past["count"], 2)
        self.assertIsNone(past["next"])
        self.assertIn("offset=49", past["previous"])
