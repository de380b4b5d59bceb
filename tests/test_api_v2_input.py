"""API v2 (home/api/v2.py): the reproductions of issue 10 answer 400/404 problem+json, never a
500, and expired pages are gone from the listing and the detail."""

import datetime

from django.test import Client
from django.utils import timezone

from tests.api.base import ApiTestCase
from tests.api.factories import document

PROBLEM = "application/problem+json"


class ApiV2InputTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.client = Client(raise_request_exception=False)

    def problem(self, url, status=400):
        response = self.client.get(url, HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertEqual(response["Content-Type"], PROBLEM)
        body = response.json()
        self.assertEqual(body["status"], status)
        self.assertTrue(body["detail"])
        return body

    def test_issue_10_reproductions_are_400(self):
        for query in (
            "search=%00",
            "locale=%00",
            "site=%00",
            "search=a&search_operator=xx",
            "offset=9223372036854775808",
            "site=nonexistent.host",
            "first_published_at=notadate",
        ):
            with self.subTest(query):
                self.problem(f"/api/v2/pages/?{query}")

    def test_the_answer_names_the_problem(self):
        self.assertIn("site", self.problem("/api/v2/pages/?site=nonexistent.host")["detail"])
        detail = self.problem("/api/v2/pages/?first_published_at=notadate")["detail"]
        self.assertIn("first_published_at", detail)
        self.assertIn(
            "search_operator", self.problem("/api/v2/pages/?search=a&search_operator=xx")["detail"]
        )

    def test_images_and_documents(self):
        document()
        for endpoint in ("images", "documents"):
            for query in (
                "search=%00",
                "search=a&search_operator=xx",
                "offset=9223372036854775808",
                "id=99999999999999999999",
                "title=%00",
            ):
                with self.subTest(endpoint=endpoint, query=query):
                    self.problem(f"/api/v2/{endpoint}/?{query}")
            self.problem(f"/api/v2/{endpoint}/find/?id=abc")

    def test_search_syntax_is_words(self):
        """SQLite's FTS5 failed on quotes and brackets; they are ignored now."""
        response = self.client.get("/api/v2/pages/?search=%22Test(*", HTTP_HOST="mhmp.localhost")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertGreater(response.json()["meta"]["total_count"], 0)
        for only_punctuation in ("%22%3C%3E*(", "%ff%fe"):
            response = self.client.get(f"/api/v2/pages/?search={only_punctuation}")
            self.assertEqual(response.status_code, 200, only_punctuation)

    def test_other_wagtail_errors_are_problems_too(self):
        self.problem("/api/v2/pages/?unknown=1")
        self.problem("/api/v2/pages/?type=nope.Nope")
        self.problem("/api/v2/pages/999999/", status=404)
        self.problem("/api/v2/pages/find/?html_path=/nowhere/", status=404)

    def test_a_site_by_host_and_port_still_filters(self):
        response = self.client.get("/api/v2/pages/?site=icp.localhost:80&limit=100")
        titles = {item["title"] for item in response.json()["items"]}
        self.assertIn("Test shared", titles)
        self.assertNotIn(self.world.platform.title, titles)
        self.problem("/api/v2/pages/?site=icp.localhost:http")


class ApiV2ExpiryTests(ApiTestCase):
    def test_a_page_past_its_expiry_is_gone_from_listing_and_detail(self):
        meeting = self.world.meetings[0]
        url = f"/api/v2/pages/{meeting.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        listing = "/api/v2/pages/?type=platforms.MeetingPage"
        self.assertIn(meeting.pk, [item["id"] for item in self.client.get(listing).json()["items"]])

        # Still live: publish_scheduled has not run yet, but the reader rule already hides it.
        meeting.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        meeting.save(update_fields=["expire_at"])

        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(url)["Content-Type"], PROBLEM)
        ids = [item["id"] for item in self.client.get(listing).json()["items"]]
        self.assertNotIn(meeting.pk, ids)
        self.assertEqual(ids, [m.pk for m in self.world.meetings[1:]])

    def test_the_meetings_of_an_expired_platform_are_gone_too(self):
        """As on the platform's pages and in /api/v1/: the meetings are still live themselves."""
        meeting = self.world.meetings[0]
        platform = meeting.get_parent()
        platform.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        platform.save(update_fields=["expire_at"])

        self.assertEqual(self.client.get(f"/api/v2/pages/{meeting.pk}/").status_code, 404)
        listing = self.client.get("/api/v2/pages/?type=platforms.MeetingPage").json()["items"]
        self.assertNotIn(meeting.pk, [item["id"] for item in listing])
