"""Wagtail's generic API v2 lists the seeded pages of both sites, with our page types' fields."""

from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from platforms.models import MeetingPage


class WagtailApiV2Tests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def titles(self, host, query=""):
        response = self.client.get(f"/api/v2/pages/?limit=100{query}", HTTP_HOST=host)
        self.assertEqual(response.status_code, 200)
        return {item["title"] for item in response.json()["items"]}

    def test_each_site_lists_its_own_pages(self):
        mhmp = self.titles("mhmp.localhost")
        icp = self.titles("icp.localhost")
        self.assertIn("Poradní platformy", mhmp)
        self.assertIn("Regionální poradní platforma", mhmp)
        self.assertIn("Koncepce HMP pro oblast integrace cizinců 2022–2027", mhmp)
        self.assertIn("Síťování", icp)
        self.assertNotIn("Síťování", mhmp)

    def test_meetings_with_their_fields(self):
        response = self.client.get(
            "/api/v2/pages/?type=platforms.MeetingPage&fields=*&order=date&limit=50",
            HTTP_HOST="mhmp.localhost",
        )
        items = response.json()["items"]
        self.assertEqual(response.json()["meta"]["total_count"], 8)
        rpp63 = next(item for item in items if item["number"] == 63)
        self.assertEqual(rpp63["date"], "2024-11-21")
        self.assertEqual(rpp63["start_time"], "13:00:00")
        venue_id = MeetingPage.objects.get(pk=rpp63["id"]).venue_id
        self.assertEqual(rpp63["venue"], {"id": venue_id, "meta": {"type": "platforms.Venue"}})
        self.assertEqual(len(rpp63["programme"]), 5)
        self.assertEqual(rpp63["programme"][1]["presenter"], "Arcidiecézní charita Praha")

    def test_recommendations_carry_their_code_and_measures(self):
        response = self.client.get(
            "/api/v2/pages/?type=concept.RecommendationPage&fields=code,measures&limit=50",
            HTTP_HOST="mhmp.localhost",
        )
        items = {item["code"]: item for item in response.json()["items"]}
        self.assertEqual(len(items), 7)
        self.assertEqual([m["code"] for m in items["1.A.4"]["measures"]], ["1.A.4.I", "1.A.4.II"])
