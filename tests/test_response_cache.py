"""The shared response cache (home/cache/): anonymous readers get whole answers from it, and
every change a reader can see, on either site and in every language, moves them on at once.

`X-Cache: HIT` says an answer came from the cache (MISS: rendered and stored; absent: not
cacheable). No mocks: the cache is the configured one (LocMem, or Redis with REDIS_URL)."""

import datetime
import time
from urllib.parse import urlsplit

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from home.cache import local
from home.operations import availability
from platforms.models import MeetingPage
from tests.api.factories import World, publish, restrict, translate
from tests.test_availability import REDIS_DOWN, database_down

HOSTS = ("mhmp.localhost", "icp.localhost")
LANGUAGES = ("cs", "en", "uk")


def path_of(page):
    return urlsplit(page.get_full_url()).path


class CacheTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World(meetings=2)
        cls.world.add_concept()
        cls.platforms = {"cs": cls.world.platform}
        for language in ("en", "uk"):
            cls.platforms[language] = translate(cls.world.platform, language)

    def setUp(self):
        self.clients = {host: Client(HTTP_HOST=host) for host in HOSTS}

    def urls(self):
        """(host, url) of the answers a reader of each site gets in each language."""
        pages = {
            "mhmp.localhost": lambda language: [path_of(self.platforms[language])],
            "icp.localhost": lambda language: [path_of(self.world.shared)] * (language == "cs"),
        }
        for host in HOSTS:
            yield host, "/sitemap.xml"
            yield host, "/sitemap-pages.xml"  # a section of the index
            for language in LANGUAGES:
                yield host, f"/{language}/"
                yield from ((host, url) for url in pages[host](language))
                for resource in ("platforms/", "meetings/", "meetings/calendar.ics"):
                    yield host, f"/api/v1/{resource}?locale={language}"
                yield (
                    host,
                    f"/api/v1/concepts/{self.world.concept.translation_key}/?locale={language}",
                )

    def get(self, host, url, status=200, **headers):
        response = self.clients[host].get(url, headers=headers)
        self.assertEqual(response.status_code, status, f"{host}{url}")
        return response

    def warm(self):
        """Every answer is in the cache: the second request is a hit with the same body."""
        for host, url in self.urls():
            first = self.get(host, url)
            second = self.get(host, url)
            if self.uncacheable(host, url):
                self.assertNotIn("X-Cache", second)
                continue
            self.assertEqual(second["X-Cache"], "HIT", f"{host}{url}")
            self.assertEqual(first.content, second.content, f"{host}{url}")

    def uncacheable(self, host, url):
        """The password form of a restricted page (it sets a CSRF cookie)."""
        restricted = PageViewRestriction.objects.values_list("page__url_path", flat=True)
        return (
            host == "mhmp.localhost"
            and self.world.platform.url_path in restricted
            and (url == path_of(self.world.platform))
        )

    def assertAllFresh(self):
        """No answer comes from before the change."""
        for host, url in self.urls():
            expected = None if self.uncacheable(host, url) else "MISS"
            self.assertEqual(self.get(host, url).get("X-Cache"), expected, f"{host}{url}")


class ServingTests(CacheTestCase):
    def test_every_site_language_and_representation_is_cached_apart(self):
        self.warm()
        english = self.get("mhmp.localhost", "/api/v1/platforms/?locale=en")
        czech = self.get("mhmp.localhost", "/api/v1/platforms/?locale=cs")
        self.assertNotEqual(english.content, czech.content)
        icp = self.get("icp.localhost", "/api/v1/platforms/?locale=cs")
        self.assertEqual(icp["X-Cache"], "HIT")
        self.assertNotEqual(icp.content, czech.content)  # links to the site asked
        self.assertIn(b"http://icp.localhost/api/v1/", icp.content)
        self.assertNotIn(b"http://icp.localhost/api/v1/", czech.content)
        by_header = self.get("mhmp.localhost", "/api/v1/platforms/", accept_language="uk")
        self.assertEqual(by_header["X-Cache"], "MISS")
        self.assertEqual(by_header["Content-Language"], "uk")

    def test_a_hit_is_the_same_answer_as_the_miss_headers_included(self):
        """A front cache or a browser must not see a page vary on the session (Vary: Cookie) on
        a miss and not on a hit."""
        compared = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "ETag")
        compared += ("Last-Modified",)
        for host, url in self.urls():
            if self.uncacheable(host, url):
                continue
            miss, hit = self.get(host, url), self.get(host, url)
            self.assertEqual((miss["X-Cache"], hit["X-Cache"]), ("MISS", "HIT"), f"{host}{url}")
            for name in compared:
                self.assertEqual(miss.get(name), hit.get(name), f"{name} of {host}{url}")
        page = self.get("mhmp.localhost", path_of(self.platforms["en"]))
        self.assertIn("Cookie", page["Vary"])

    def test_the_order_of_query_parameters_does_not_matter(self):
        self.get("mhmp.localhost", "/api/v1/meetings/?locale=en&limit=1")
        again = self.get("mhmp.localhost", "/api/v1/meetings/?limit=1&locale=en")
        self.assertEqual(again["X-Cache"], "HIT")

    def test_304_from_the_cache_without_a_database_query(self):
        for host, url in self.urls():
            etag = self.get(host, url)["ETag"]
            with self.assertNumQueries(0):
                response = self.get(host, url, 304, if_none_match=etag)
            self.assertEqual(response.content, b"")
            self.assertEqual(response["ETag"], etag)
        last_modified = self.get("mhmp.localhost", "/api/v1/meetings/")["Last-Modified"]
        with self.assertNumQueries(0):
            self.get("mhmp.localhost", "/api/v1/meetings/", 304, if_modified_since=last_modified)

    def test_a_conditional_request_on_a_cold_cache_fills_it(self):
        etag = self.get("mhmp.localhost", "/api/v1/venues/")["ETag"]
        cache.clear()  # a cold cache (a restart of Redis, an eviction)
        response = self.get("mhmp.localhost", "/api/v1/venues/", 304, if_none_match=etag)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertEqual(self.get("mhmp.localhost", "/api/v1/venues/")["X-Cache"], "HIT")

    def test_errors_are_not_cached(self):
        for url in ("/api/v1/meetings/?locale=xx", "/cs/no-such-page/"):
            response = self.clients["mhmp.localhost"].get(url)
            self.assertIn(response.status_code, (400, 404))
            self.assertNotIn("X-Cache", response)

    @override_settings(RESPONSE_CACHE_TIMEOUT=0)
    def test_off_switch(self):
        for _ in range(2):
            self.assertNotIn("X-Cache", self.get("mhmp.localhost", "/api/v1/meetings/"))

    @override_settings(API_THROTTLE_RATE="3/min")
    def test_cached_answers_count_towards_the_throttle(self):
        for _ in range(3):
            self.get("mhmp.localhost", "/api/v1/venues/")
        response = self.get("mhmp.localhost", "/api/v1/venues/", 429)
        self.assertEqual(response["Content-Type"], "application/problem+json")


class AnonymousOnlyTests(CacheTestCase):
    def test_an_editor_neither_gets_nor_fills_the_cache(self):
        editor = User.objects.create_superuser("editor", "editor@example.com", "x")
        url = path_of(self.world.platform)
        anonymous = self.get("mhmp.localhost", url)
        self.assertNotContains(anonymous, "wagtail-userbar")
        self.clients["mhmp.localhost"].force_login(editor)
        for _ in range(2):
            response = self.get("mhmp.localhost", url)
            self.assertNotIn("X-Cache", response)
            self.assertContains(response, "wagtail-userbar")  # the editor's own page
        self.clients["mhmp.localhost"].logout()
        self.assertEqual(self.get("mhmp.localhost", url)["X-Cache"], "HIT")
        self.assertNotContains(self.get("mhmp.localhost", url), "wagtail-userbar")

    def test_a_draft_shown_to_an_editor_is_never_cached(self):
        editor = User.objects.create_superuser("editor", "editor@example.com", "x")
        platform = self.world.platform
        platform.title = "Test draft title"
        platform.save_revision()
        client = Client(HTTP_HOST="mhmp.localhost")
        client.force_login(editor)
        preview = client.get(f"/admin/pages/{platform.pk}/edit/preview/")
        self.assertNotIn("X-Cache", preview)
        self.assertNotContains(self.get("mhmp.localhost", path_of(platform)), "Test draft title")

    def test_a_page_with_a_view_restriction_is_not_cached(self):
        restrict(self.world.platform)
        url = path_of(self.world.platform)
        for _ in range(2):
            response = self.clients["mhmp.localhost"].get(url)
            self.assertNotIn(response.get("X-Cache"), ("HIT", "MISS"))
            self.assertNotContains(response, self.world.platform.title, status_code=200)

    def test_a_reader_with_a_session_is_not_served_from_the_cache(self):
        url = path_of(self.world.platform)
        self.get("mhmp.localhost", url)
        client = self.clients["mhmp.localhost"]
        client.cookies["sessionid"] = "someone"
        self.assertNotIn("X-Cache", self.get("mhmp.localhost", url))


class InvalidationTests(CacheTestCase):
    """Each event moves every answer on, on both sites and in every language."""

    def test_publish(self):
        self.warm()
        platform = self.world.platform
        platform.title = "Test platform renamed"
        publish(platform)
        self.assertAllFresh()
        self.assertContains(self.get("mhmp.localhost", path_of(platform)), "Test platform renamed")
        api = self.get("icp.localhost", "/api/v1/platforms/?locale=cs")
        self.assertContains(api, "Test platform renamed")

    def test_unpublish(self):
        meeting = self.world.meetings[0]
        self.warm()
        self.assertContains(self.get("icp.localhost", "/api/v1/meetings/"), meeting.title)
        meeting.unpublish()
        self.assertAllFresh()
        self.assertNotContains(self.get("icp.localhost", "/api/v1/meetings/"), meeting.title)
        ics = self.get("mhmp.localhost", "/api/v1/meetings/calendar.ics?locale=uk")
        self.assertNotContains(ics, str(meeting.translation_key))

    def test_delete(self):
        meeting = self.world.meetings[0]
        self.warm()
        meeting.delete()
        self.assertAllFresh()
        self.assertNotContains(self.get("mhmp.localhost", "/api/v1/meetings/"), meeting.title)

    def test_move(self):
        other = self.world.add_platform(title="Test other platform")
        meeting = self.world.meetings[0]
        self.warm()
        meeting.move(other, pos="last-child")
        self.assertAllFresh()
        detail = self.get("mhmp.localhost", f"/api/v1/meetings/{meeting.translation_key}/")
        self.assertEqual(detail.json()["platform"]["id"], str(other.translation_key))

    def test_view_restriction_added_and_removed(self):
        self.warm()
        restriction = restrict(self.world.platform)
        self.assertAllFresh()
        self.assertNotContains(self.get("mhmp.localhost", "/api/v1/platforms/"), "Test platform")
        self.warm()
        restriction.delete()
        self.assertAllFresh()
        self.assertContains(self.get("mhmp.localhost", "/api/v1/platforms/"), "Test platform")

    def test_a_view_restriction_is_later_than_any_last_modified(self):
        """If-Modified-Since from before the restriction never keeps the removed content."""
        url = "/api/v1/platforms/"
        last_modified = self.get("mhmp.localhost", url)["Last-Modified"]
        time.sleep(1.1)  # HTTP dates have whole seconds
        PageViewRestriction.objects.create(
            page=self.world.platform, restriction_type="groups"
        ).groups.set([Group.objects.create(name="Test group")])
        self.get("mhmp.localhost", url, 200, if_modified_since=last_modified)

    def test_snippet_published(self):
        self.warm()
        venue = self.world.venue
        venue.address = "Test street 99"
        venue.save_revision().publish()
        self.assertAllFresh()
        self.assertContains(
            self.get("icp.localhost", "/api/v1/meetings/?locale=en"), "Test street 99"
        )

    def test_translation_published(self):
        self.warm()
        translate(self.world.meetings[0], "uk", title="Test meeting UK")
        self.assertAllFresh()
        self.assertContains(
            self.get("mhmp.localhost", "/api/v1/meetings/?locale=uk"), "Test meeting UK"
        )

    def test_locales_changed(self):
        self.warm()
        Locale.objects.create(language_code="de")
        self.assertAllFresh()
        self.warm()
        Locale.objects.get(language_code="de").delete()
        self.assertAllFresh()

    def test_scheduled_publishing(self):
        meeting = MeetingPage(
            title="Test scheduled meeting", slug="test-scheduled", date="2030-02-01"
        )
        self.world.platform.add_child(instance=meeting)
        meeting.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
        meeting.save_revision().publish()  # scheduled, not live
        self.warm()
        self.assertNotContains(self.get("mhmp.localhost", "/api/v1/meetings/"), meeting.title)
        time.sleep(1.1)
        call_command("publish_scheduled")
        self.assertAllFresh()
        self.assertContains(self.get("mhmp.localhost", "/api/v1/meetings/"), meeting.title)


class TimeBucketTests(CacheTestCase):
    """An answer that changes with time is never served past the moment it changes."""

    def soon(self, seconds):
        moment = timezone.localtime() + datetime.timedelta(seconds=seconds)
        if moment.date() != timezone.localdate():
            self.skipTest("too close to midnight for a meeting ending today")
        return moment

    def test_a_meeting_that_ends_is_no_longer_upcoming_or_next(self):
        # 5 s: filling the cache below took over 2 s once under CI's parallel load, and the
        # meeting had ended before the hits were checked
        start, end = self.soon(-60), self.soon(5)
        meeting = self.world.add_meeting(
            date=end.date(), start_time=start.time(), end_time=end.time(), topic="Test ending now"
        )
        urls = {
            "mhmp.localhost": ["/api/v1/meetings/?upcoming=true", path_of(self.world.platform)],
            "icp.localhost": [f"/api/v1/platforms/{self.world.platform.translation_key}/"],
        }
        for host, paths in urls.items():
            for url in paths:
                self.get(host, url)
                again = self.get(host, url)
                # Not cached at all failed once in a whole-suite run (not reproduced): say why.
                why = f"{host}{url} at {timezone.now()}, meeting ends {end}: {again.headers}"
                self.assertEqual(again.get("X-Cache"), "HIT", why)
        upcoming = self.get("mhmp.localhost", "/api/v1/meetings/?upcoming=true").json()
        self.assertIn(str(meeting.translation_key), [m["id"] for m in upcoming["results"]])
        time.sleep(max(0, end.timestamp() - time.time()) + 0.2)
        upcoming = self.get("mhmp.localhost", "/api/v1/meetings/?upcoming=true").json()
        self.assertNotIn(str(meeting.translation_key), [m["id"] for m in upcoming["results"]])
        platform = self.get(
            "icp.localhost", f"/api/v1/platforms/{self.world.platform.translation_key}/"
        )
        self.assertNotEqual(platform.json()["next_meeting"]["id"], str(meeting.translation_key))
        self.assertEqual(
            self.get("mhmp.localhost", path_of(self.world.platform))["X-Cache"], "MISS"
        )

    def test_content_that_expires_is_gone_at_once(self):
        meeting = self.world.meetings[0]
        meeting.expire_at = self.soon(2)
        publish(meeting)
        self.assertContains(self.get("mhmp.localhost", "/api/v1/meetings/"), meeting.title)
        self.assertEqual(self.get("mhmp.localhost", "/api/v1/meetings/")["X-Cache"], "HIT")
        time.sleep(max(0, meeting.expire_at.timestamp() - time.time()) + 0.2)
        self.assertNotContains(self.get("mhmp.localhost", "/api/v1/meetings/"), meeting.title)


class LocalCopyTests(CacheTestCase):
    """Each process keeps the entries it served last (home/cache/local.py): a hit then reads only
    the content version from the shared cache, and a publish anywhere still shows at once."""

    def setUp(self):
        super().setUp()
        local.entries.clear()
        self.url = "/api/v1/platforms/?locale=cs"

    def served_from_this_process_only(self):
        """Take the answer out of the shared cache: only this process's copy still has it."""
        self.assertEqual(self.get("mhmp.localhost", self.url)["X-Cache"], "MISS")
        (key,) = local.entries._entries
        cache.delete(key)

    def test_a_hit_needs_no_entry_from_the_shared_cache(self):
        self.served_from_this_process_only()
        again = self.get("mhmp.localhost", self.url)
        self.assertEqual(again["X-Cache"], "HIT")
        etag = again["ETag"]
        with self.assertNumQueries(0):
            self.get("mhmp.localhost", self.url, 304, if_none_match=etag)

    def test_a_publish_elsewhere_is_seen_at_the_next_request(self):
        self.served_from_this_process_only()
        platform = self.world.platform
        platform.title = "Renamed on another instance"
        publish(platform)  # moves the version in the shared cache, as any instance would
        fresh = self.get("mhmp.localhost", self.url)
        self.assertEqual(fresh["X-Cache"], "MISS")
        self.assertContains(fresh, "Renamed on another instance")

    def test_not_served_while_the_shared_cache_is_down(self):
        self.served_from_this_process_only()
        availability._down_since.clear()
        self.addCleanup(availability._down_since.clear)
        with override_settings(CACHES=REDIS_DOWN):
            # The version cannot be read: nothing says the copy is still current.
            self.assertNotIn("X-Cache", self.get("mhmp.localhost", self.url))

    @override_settings(RESPONSE_CACHE_LOCAL_BYTES=1000)
    def test_bounded_in_bytes_oldest_out_first(self):
        entries = local.LocalEntries()
        for name in "abcdef":
            entries.put(name, {"content": b"x" * 200})
        self.assertEqual(list(entries._entries), ["b", "c", "d", "e", "f"])
        entries.get("b")  # used: the least recently used goes first
        entries.put("g", {"content": b"x" * 200})
        self.assertEqual(list(entries._entries), ["d", "e", "f", "b", "g"])
        entries.put("big", {"content": b"x" * 251})  # over a quarter: would push out others
        self.assertIsNone(entries.get("big"))
        self.assertEqual(len(entries), 5)

    @override_settings(RESPONSE_CACHE_LOCAL_BYTES=0)
    def test_off_switch(self):
        self.get("mhmp.localhost", self.url)
        self.assertEqual(len(local.entries), 0)
        self.assertEqual(self.get("mhmp.localhost", self.url)["X-Cache"], "HIT")


class CacheDownTests(CacheTestCase):
    def setUp(self):
        super().setUp()
        availability._down_since.clear()
        self.enterContext(override_settings(CACHES=REDIS_DOWN))

    def tearDown(self):
        availability._down_since.clear()

    def test_the_api_answers_uncached(self):
        for url in ("/api/v1/meetings/", "/api/v1/meetings/calendar.ics", "/api/v1/platforms/"):
            for _ in range(2):
                response = self.get("mhmp.localhost", url)
                self.assertNotIn("X-Cache", response)


class DatabaseDownTests(CacheTestCase):
    def tearDown(self):
        availability._down_since.clear()

    def test_a_cached_answer_is_served_through_a_database_outage(self):
        url = path_of(self.world.platform)
        self.get("mhmp.localhost", url)
        with database_down():
            self.assertEqual(self.get("mhmp.localhost", url)["X-Cache"], "HIT")
            self.assertEqual(self.clients["mhmp.localhost"].get("/en/").status_code, 503)
