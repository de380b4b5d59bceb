"""Front-cache purge (home/purge.py) against a real HTTP purge receiver: which URLs each change
purges, on which host; nothing without a configured cache; a dead cache never fails a publish."""

from unittest import mock
from urllib.parse import urlsplit

from django.test import TestCase, override_settings
from wagtail.models import Site

from home.models import ContentPage
from home.sitemap import MultilingualSitemap, listed_pages
from platforms.models import MeetingPage
from tests.api.factories import World, add, translate
from tests.syndication.receiver import Receiver
from tests.utils import free_port


class PurgeReceiver(Receiver):
    """A Varnish stand-in: every request's method, path and Host header."""

    def __init__(self):
        super().__init__(statuses=(200,))
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def purged(self, host=None):
        """{(host, path)} purged (every request must be a PURGE)."""
        assert {method for method, _path, _host in self.calls} <= {"PURGE"}
        return {(h, p) for _m, p, h in self.calls if host is None or h == host}


def http_cache(location):
    return override_settings(
        WAGTAILFRONTENDCACHE={
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": location,
            }
        }
    )


MHMP, ICP = "mhmp.localhost", "icp.localhost"


def in_languages(path):
    """/cs/x/ → the same path under /cs/, /en/ and /uk/."""
    rest = path.split("/", 2)[2]
    return {f"/{language}/{rest}" for language in ("cs", "en", "uk")}


class PurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World(meetings=1)
        cls.meeting = cls.world.meetings[0]

    def setUp(self):
        self.receiver = PurgeReceiver().__enter__()
        self.addCleanup(self.receiver.__exit__)
        settings = http_cache(self.receiver.url)
        settings.enable()
        self.addCleanup(settings.disable)

    def page_path(self, *slugs):
        return "/cs/" + "".join(f"{slug}/" for slug in slugs)

    def api(self, *paths, hosts=(MHMP, ICP)):
        return {(host, path) for host in hosts for path in paths}

    def test_publishing_a_meeting_purges_it_its_listings_and_the_api_on_both_sites(self):
        w, meeting = self.world, self.meeting
        with self.captureOnCommitCallbacks(execute=True):
            meeting.topic = "Changed topic"
            meeting.save_revision().publish()
        meeting_path = self.page_path(w.index.slug, w.platform.slug, meeting.slug)
        expected = set()
        for path in (
            "/cs/",  # the home (lists the next meetings)
            self.page_path(w.index.slug),
            self.page_path(w.index.slug, w.platform.slug),
            meeting_path,
        ):
            expected |= {(MHMP, p) for p in in_languages(path)}
        shared = self.page_path(w.shared.slug)
        for path in (shared, f"{shared}setkani/{meeting.pk}/"):
            expected |= {(ICP, p) for p in in_languages(path)}
        # The sitemap index, its one section and the next (home.purge._Urls.add_sitemap).
        expected |= {
            (MHMP, p) for p in ("/sitemap.xml", "/sitemap-pages.xml", "/sitemap-pages.xml?p=2")
        }
        expected |= self.api(
            "/api/v1/meetings/",
            f"/api/v1/meetings/{meeting.translation_key}/",
            "/api/v1/meetings/calendar.ics",
            "/api/v1/platforms/",
            f"/api/v1/platforms/{w.platform.translation_key}/",
            "/api/v1/pages/",
            f"/api/v1/pages/{w.index.translation_key}/",
            f"/api/v1/pages/{w.mhmp.translation_key}/",
        )
        purged = self.receiver.purged()
        self.assertLessEqual(expected, purged)
        # Nothing unrelated: no other platform's, no Concept's, no snippet's resource.
        self.assertFalse({p for _h, p in purged if p.startswith("/api/v1/venues")})
        self.assertEqual({h for h, _p in purged}, {MHMP, ICP})

    def test_publishing_a_recommendation_purges_the_concept_and_its_priority(self):
        w = self.world
        with self.captureOnCommitCallbacks(execute=True):
            w.add_concept()
        self.receiver.calls.clear()
        recommendation = w.recommendations[0]
        with self.captureOnCommitCallbacks(execute=True):
            recommendation.save_revision().publish()
        purged = self.receiver.purged()
        concept = self.page_path(w.concept.slug)
        priority = self.page_path(w.concept.slug, w.priority.slug)
        for path in (
            concept,
            priority,
            self.page_path(w.concept.slug, w.priority.slug, w.area.slug),
        ):
            self.assertLessEqual({(MHMP, p) for p in in_languages(path)}, purged, path)
        self.assertLessEqual(
            self.api(
                f"/api/v1/concepts/{w.concept.translation_key}/",
                f"/api/v1/recommendations/{recommendation.translation_key}/",
                "/api/v1/recommendations/",
            ),
            purged,
        )
        # A priority is shown inside the Concept's tree, not as a resource of its own.
        self.assertNotIn((MHMP, f"/api/v1/concepts/{w.priority.translation_key}/"), purged)

    def test_a_translated_page_is_purged_at_its_translated_address_too(self):
        w = self.world
        with self.captureOnCommitCallbacks(execute=True):
            english = translate(self.meeting, "en", slug="english-meeting")
        purged = self.receiver.purged(MHMP)
        parent = self.page_path(w.index.slug, w.platform.slug).replace("/cs/", "/en/")
        # The English version's own address (its parents may keep their Czech slugs in /en/).
        english_path = urlsplit(english.get_full_url()).path
        self.assertTrue(english_path.endswith("/english-meeting/"), english_path)
        self.assertIn((MHMP, english_path), purged)
        # …and under the other prefixes, where the reader routing serves it as a fallback.
        self.assertIn((MHMP, english_path.replace("/en/", "/uk/", 1)), purged)
        self.assertIn((MHMP, parent), purged)
        self.assertIn((MHMP, f"/api/v1/meetings/{self.meeting.translation_key}/"), purged)

    def test_unpublishing_a_platform_purges_the_pages_below_it(self):
        w = self.world
        with self.captureOnCommitCallbacks(execute=True):
            w.platform.unpublish()
        purged = self.receiver.purged()
        meeting_path = self.page_path(w.index.slug, w.platform.slug, self.meeting.slug)
        self.assertLessEqual({(MHMP, p) for p in in_languages(meeting_path)}, purged)
        shared = self.page_path(w.shared.slug)
        self.assertLessEqual({(ICP, p) for p in in_languages(shared)}, purged)
        # The meeting's address under the ICP page is gone with its platform.
        under_shared = f"{shared}setkani/{self.meeting.pk}/"
        self.assertLessEqual({(ICP, p) for p in in_languages(under_shared)}, purged)
        self.assertIn((ICP, f"/api/v1/platforms/{w.platform.translation_key}/"), purged)

    def test_deleting_a_meeting_purges_its_address_and_listings(self):
        w, meeting = self.world, self.meeting
        meeting_path = self.page_path(w.index.slug, w.platform.slug, meeting.slug)
        with self.captureOnCommitCallbacks(execute=True):
            meeting.delete()
        purged = self.receiver.purged()
        self.assertLessEqual({(MHMP, p) for p in in_languages(meeting_path)}, purged)
        self.assertIn((MHMP, self.page_path(w.index.slug, w.platform.slug)), purged)
        self.assertIn((ICP, f"/api/v1/meetings/{meeting.translation_key}/"), purged)

    def test_deleting_a_platform_purges_its_meetings_too(self):
        w = self.world
        meeting_path = self.page_path(w.index.slug, w.platform.slug, self.meeting.slug)
        with self.captureOnCommitCallbacks(execute=True):
            w.shared.delete()  # (the ICP page protects the platform from deletion)
            w.platform.delete()
        purged = self.receiver.purged()
        self.assertLessEqual({(MHMP, p) for p in in_languages(meeting_path)}, purged)
        self.assertIn((MHMP, self.page_path(w.index.slug)), purged)
        self.assertIn((ICP, f"/api/v1/meetings/{self.meeting.translation_key}/"), purged)
        self.assertIn((ICP, f"/api/v1/platforms/{w.platform.translation_key}/"), purged)

    def test_moving_a_meeting_purges_the_old_and_the_new_place(self):
        w, meeting = self.world, self.meeting
        with self.captureOnCommitCallbacks(execute=True):
            other = w.add_platform(title="Other platform", slug="other-platform")
        self.receiver.calls.clear()
        old = self.page_path(w.index.slug, w.platform.slug, meeting.slug)
        with self.captureOnCommitCallbacks(execute=True):
            MeetingPage.objects.get(pk=meeting.pk).move(other, pos="last-child")
        new = self.page_path(w.index.slug, other.slug, meeting.slug)
        purged = self.receiver.purged(MHMP)
        for path in (old, new, self.page_path(w.index.slug, other.slug)):
            self.assertLessEqual({(MHMP, p) for p in in_languages(path)}, purged, path)
        self.assertIn((MHMP, self.page_path(w.index.slug, w.platform.slug)), purged)

    def test_a_venue_change_purges_the_pages_showing_it_and_every_api_list(self):
        w = self.world
        with self.captureOnCommitCallbacks(execute=True):
            w.venue.name = "Renamed venue"
            w.venue.save()
        purged = self.receiver.purged()
        for path in (
            self.page_path(w.index.slug, w.platform.slug),  # usual venue
            self.page_path(w.index.slug, w.platform.slug, self.meeting.slug),  # the meeting's
        ):
            self.assertLessEqual({(MHMP, p) for p in in_languages(path)}, purged, path)
        self.assertLessEqual(
            self.api(
                f"/api/v1/venues/{w.venue.translation_key}/",
                "/api/v1/venues/",
                "/api/v1/meetings/",
                "/api/v1/platforms/",
                "/api/v1/organisations/",
                f"/api/v1/meetings/{self.meeting.translation_key}/",
            ),
            purged,
        )

    def sitemap_purged(self):
        return {p for _h, p in self.receiver.purged(MHMP) if p.startswith("/sitemap")}

    def test_every_sitemap_section_of_the_site_is_purged(self):
        listed = listed_pages(Site.objects.get(hostname=MHMP)).count()
        with (
            mock.patch.object(MultilingualSitemap, "limit", 2),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.meeting.save_revision().publish()
        sections = -(-listed // 2)
        self.assertGreater(sections, 2)
        self.assertEqual(
            self.sitemap_purged(),
            {"/sitemap.xml", "/sitemap-pages.xml"}
            | {f"/sitemap-pages.xml?p={n}" for n in range(2, sections + 2)},  # and one spare
        )

    def test_the_section_an_unpublish_empties_is_purged(self):
        listed = listed_pages(Site.objects.get(hostname=MHMP)).count()
        # Two sections before the meeting is unpublished, one after.
        with (
            mock.patch.object(MultilingualSitemap, "limit", listed - 1),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.meeting.unpublish()
        self.assertEqual(
            self.sitemap_purged(), {"/sitemap.xml", "/sitemap-pages.xml", "/sitemap-pages.xml?p=2"}
        )

    def test_a_draft_purges_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.meeting.topic = "A draft"
            self.meeting.save_revision()
        self.assertEqual(self.receiver.calls, [])

    def test_a_rolled_back_publish_purges_nothing(self):
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    self.meeting.save_revision().publish()
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
        self.assertEqual(self.receiver.calls, [])

    @override_settings(WAGTAILFRONTENDCACHE=None)
    def test_without_a_front_cache_nothing_is_sent_and_publishing_works(self):
        with self.captureOnCommitCallbacks(execute=True):
            page = add(self.world.mhmp, ContentPage, title="Plain page", slug="plain")
        self.assertTrue(page.live)
        self.assertEqual(self.receiver.calls, [])


class DeadCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World(meetings=1)

    def test_publish_succeeds_and_logs_when_the_cache_does_not_answer(self):
        port = free_port()
        meeting = self.world.meetings[0]
        with (
            http_cache(f"http://127.0.0.1:{port}"),
            self.assertLogs("wagtail.frontendcache", "ERROR") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            meeting.topic = "Published anyway"
            meeting.save_revision().publish()
        meeting.refresh_from_db()
        self.assertEqual(meeting.topic, "Published anyway")
        self.assertTrue(meeting.live)
        self.assertIn("Couldn't purge", logs.output[0])
