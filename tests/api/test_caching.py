"""Conditional GET, Cache-Control, CORS for public reads, anonymous throttling."""

import datetime

from django.test import TestCase, override_settings
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Page

from home.models import ContentChange

from .base import ApiTestCase
from .factories import publish


def directives(header):
    """A comma-separated header as a set of lower-case directives ("public", "max-age=60")."""
    return {part.strip().lower() for part in header.split(",")}


class CachingTests(ApiTestCase):
    url = "/api/v1/meetings/"

    def test_validators_and_cache_control(self):
        response = self.get(self.url)
        self.assertRegex(response.headers["ETag"], r'^"[0-9a-f]+"$')  # strong
        self.assertIn("GMT", response.headers["Last-Modified"])
        self.assertEqual(directives(response.headers["Cache-Control"]), {"public", "max-age=60"})
        # A shared cache must not serve one language's body to a reader of another, and keys
        # its copies on nothing else (CORS adds Origin): a stray name would split them.
        self.assertEqual(directives(response.headers["Vary"]), {"accept-language", "origin"})

    def test_last_modified_is_the_latest_change(self):
        published = timezone.now() - datetime.timedelta(days=2)
        Page.objects.update(last_published_at=published)
        ContentChange.objects.update(modified=published - datetime.timedelta(days=1))
        self.assertEqual(
            self.get(self.url).headers["Last-Modified"], http_date(published.timestamp())
        )

    def test_head_carries_the_same_validators(self):
        get = self.get(self.url)
        head = self.client.head(self.url)
        self.assertEqual(head.status_code, 200)
        self.assertEqual(head.headers["ETag"], get.headers["ETag"])
        self.assertEqual(directives(head.headers["Cache-Control"]), {"public", "max-age=60"})
        revalidated = self.client.head(self.url, headers={"if-none-match": get.headers["ETag"]})
        self.assertEqual(revalidated.status_code, 304)

    @override_settings(RESPONSE_CACHE_TIMEOUT=0)
    def test_without_the_response_cache_the_api_revalidates_itself(self):
        # The shared response cache answers the revalidations above from its entry; with it
        # switched off (or down) the API's own validators must still give HEAD and 304s.
        get = self.get(self.url)
        self.assertNotIn("X-Cache", get.headers)
        head = self.client.head(self.url)
        validators = ("ETag", "Last-Modified")
        self.assertEqual(
            [head.headers[n] for n in validators], [get.headers[n] for n in validators]
        )
        self.get(self.url, 304, if_none_match=get.headers["ETag"])
        self.get(self.url, 304, if_modified_since=get.headers["Last-Modified"])
        revalidated = self.client.head(self.url, headers={"if-none-match": get.headers["ETag"]})
        self.assertEqual(revalidated.status_code, 304)

    def test_errors_are_not_cached(self):
        # A 400 (unknown locale) or 404 must not be kept by caches nor answered with a 304.
        for url in (f"{self.url}?locale=xx", f"{self.url}00000000-0000-0000-0000-000000000000/"):
            response = self.client.get(url)
            self.assertIn(response.status_code, (400, 404))
            self.assertNotIn("ETag", response.headers)
            self.assertNotIn("public", directives(response.headers.get("Cache-Control", "")))

    @override_settings(API_CACHE_MAX_AGE=300)
    def test_max_age_is_configurable(self):
        self.assertIn("max-age=300", self.get(self.url).headers["Cache-Control"])

    def test_304_on_if_none_match(self):
        etag = self.get(self.url).headers["ETag"]
        response = self.get(self.url, 304, if_none_match=etag)
        self.assertEqual(response.content, b"")
        self.get(self.url, 200, if_none_match='"something-else"')

    def test_304_on_if_modified_since(self):
        last_modified = self.get(self.url).headers["Last-Modified"]
        self.get(self.url, 304, if_modified_since=last_modified)
        self.get(self.url, 200, if_modified_since="Mon, 01 Jan 2001 00:00:00 GMT")

    def test_snippet_edit_is_a_modification(self):
        # Pages and snippet changes an hour old; then only a venue (a snippet) is published.
        hour_ago = timezone.now() - datetime.timedelta(hours=1)
        Page.objects.update(last_published_at=hour_ago)
        ContentChange.objects.update(modified=hour_ago)
        last_modified = self.get(self.url).headers["Last-Modified"]
        self.get(self.url, 304, if_modified_since=last_modified)
        venue = self.world.venue
        venue.address = "Test street 2"
        venue.save_revision().publish()
        response = self.get(self.url, 200, if_modified_since=last_modified)
        self.assertNotEqual(response.headers["Last-Modified"], last_modified)
        self.assertIn("Test street 2", response.content.decode())

    def test_publishing_changes_the_etag(self):
        before = self.get(self.url).headers["ETag"]
        meeting = self.world.meetings[0]
        meeting.topic = "Test topic changed"
        publish(meeting)
        after = self.get(self.url, 200, if_none_match=before).headers["ETag"]
        self.assertNotEqual(before, after)
        detail = self.get(f"/api/v1/platforms/{self.world.platform.translation_key}/")
        self.assertRegex(detail.headers["ETag"], r'^"[0-9a-f]+"$')
        self.assertNotIn(detail.headers["ETag"], (before, after))

    def test_etag_differs_per_language(self):
        self.assertNotEqual(
            self.get(f"{self.url}?locale=cs").headers["ETag"],
            self.get(f"{self.url}?locale=en").headers["ETag"],
        )

    def test_cors_public_reads_without_credentials(self):
        response = self.get(self.url, origin="https://district.example")
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", response.headers)
        preflight = self.client.options(
            self.url,
            headers={"origin": "https://x.example", "access-control-request-method": "GET"},
        )
        self.assertEqual(preflight.status_code, 200)
        self.assertIn("GET", preflight.headers["Access-Control-Allow-Methods"])

    def test_no_throttling_by_default(self):
        for _ in range(5):
            self.get("/api/v1/venues/")

    @override_settings(API_THROTTLE_RATE="3/min")
    def test_anonymous_throttling(self):
        for _ in range(3):
            self.get("/api/v1/venues/")
        response = self.get("/api/v1/venues/", 429)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertGreater(int(response.headers["Retry-After"]), 0)


class NothingPublishedTests(TestCase):
    """A fresh installation: no page published, no snippet changed yet."""

    def test_lists_answer_without_last_modified(self):
        Page.objects.update(last_published_at=None)
        response = self.client.get("/api/v1/venues/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["results"], [])
        self.assertNotIn("Last-Modified", response.headers)
        self.assertRegex(response.headers["ETag"], r'^"[0-9a-f]+"$')


class DiscoveryCachingTests(ApiTestCase):
    def test_the_discovery_document_has_an_etag_and_answers_304(self):
        response = self.get("/api/v1/")
        self.assertIn("ETag", response.headers)
        # It shows no content, so no content date: a change elsewhere must not age it.
        self.assertNotIn("Last-Modified", response.headers)
        again = self.client.get("/api/v1/", headers={"If-None-Match": response.headers["ETag"]})
        self.assertEqual(again.status_code, 304)
