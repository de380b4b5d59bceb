"""Only live, public content: sentinel drafts, private pages, unpublished translations and
scheduled/expired pages never appear in any endpoint or the calendar."""

import datetime

from django.utils import timezone

from concept.models import Measure, RecommendationActor, RecommendationPage
from platforms.models import MeetingPage, PlatformPage

from .base import ApiTestCase
from .factories import add, restrict, translate

SENTINEL = "SENTINEL"
URLS = [
    "/api/v1/platforms/",
    "/api/v1/meetings/",
    "/api/v1/meetings/?upcoming=true",
    "/api/v1/meetings/?site=icp.localhost",
    "/api/v1/meetings/calendar.ics",
    "/api/v1/concepts/",
    "/api/v1/recommendations/",
    "/api/v1/measures/",
    "/api/v1/action-plans/",
    "/api/v1/organisations/",
    "/api/v1/venues/",
]


class LeakTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        today = datetime.date.today()
        cls.hidden = []
        # A draft that was never published.
        draft = MeetingPage(title=f"{SENTINEL} draft", slug="draft", date=today, live=False)
        w.platform.add_child(instance=draft)
        draft.save_revision()
        cls.hidden.append(draft)
        # Unpublished changes on a live meeting: the live text must be served.
        changed = w.meetings[0]
        changed.title = f"{SENTINEL} draft title"
        changed.topic = f"{SENTINEL} draft topic"
        changed.save_revision()
        # A view-restricted platform and everything below it.
        private = w.add_platform(title=f"{SENTINEL} private platform")
        cls.hidden += [private, w.add_meeting(private, title=f"{SENTINEL} private meeting")]
        restrict(private)
        # An unpublished platform hides its (live) meetings.
        unpublished = w.add_platform(title=f"{SENTINEL} unpublished platform")
        cls.hidden += [unpublished, w.add_meeting(unpublished, title=f"{SENTINEL} orphan")]
        unpublished.unpublish()
        # Expired but not yet switched off by publish_scheduled.
        expired = w.add_meeting(title=f"{SENTINEL} expired")
        MeetingPage.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        cls.hidden.append(expired)
        # A venue past its expiry (live until publish_scheduled runs), used by a live meeting.
        venue = type(w.venue).objects.create(
            name=f"{SENTINEL} expired venue", locale=w.venue.locale
        )
        type(w.venue).objects.filter(pk=venue.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        MeetingPage.objects.filter(pk=w.meetings[1].pk).update(venue=venue)
        # An expired platform hides its meetings, which are live and have no expiry of their own.
        expired_platform = w.add_platform(title=f"{SENTINEL} expired platform")
        cls.expired_meeting = w.add_meeting(expired_platform, title=f"{SENTINEL} expired parent")
        cls.hidden += [expired_platform, cls.expired_meeting]
        PlatformPage.objects.filter(pk=expired_platform.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        # Scheduled to go live in the future.
        scheduled = MeetingPage(
            title=f"{SENTINEL} scheduled",
            slug="scheduled",
            date=today,
            live=False,
            go_live_at=timezone.now() + datetime.timedelta(days=3),
        )
        w.platform.add_child(instance=scheduled)
        scheduled.save_revision().publish()
        cls.hidden.append(scheduled)
        # An unpublished (in progress) translation.
        translate(w.platform, "uk", live=False, title=f"{SENTINEL} uk draft")
        # Concept: a private area with a recommendation and measure; a draft recommendation.
        private_area = add(w.priority, type(w.area), code="1.B", title=f"{SENTINEL} area")
        hidden_rec = add(
            private_area,
            RecommendationPage,
            code="1.B.9",
            title=f"{SENTINEL} rec",
            children={
                "actors": [RecommendationActor(organisation=w.org, role="partner")],
                "measures": [Measure(code="1.B.9.I", text=f"{SENTINEL} measure")],
            },
        )
        restrict(private_area)
        cls.hidden.append(hidden_rec)
        draft_rec = RecommendationPage(code="1.A.99", title=f"{SENTINEL} draft rec", live=False)
        w.area.add_child(instance=draft_rec)
        cls.hidden.append(draft_rec)

    def test_no_sentinel_anywhere(self):
        urls = URLS + [
            f"/api/v1/concepts/{self.world.concept.translation_key}/",
            f"/api/v1/organisations/{self.world.org.translation_key}/",
            f"/api/v1/platforms/{self.world.platform.translation_key}/",
            f"/api/v1/meetings/{self.world.meetings[0].translation_key}/",
            # issue 11: pages, search (the private meeting's topic is "Test topic"), OParl
            "/api/v1/pages/?limit=100",
            f"/api/v1/pages/{self.world.mhmp.translation_key}/",
            "/api/v1/search/?q=test&limit=100",
            f"/api/oparl/body/{self.world.mhmp_site.pk}/meeting/",
            f"/api/oparl/body/{self.world.mhmp_site.pk}/organization/",
        ]
        for url in urls:
            for locale in ("cs", "uk"):
                separator = "&" if "?" in url else "?"
                with self.subTest(url=url, locale=locale):
                    body = self.get(f"{url}{separator}locale={locale}").content.decode()
                    self.assertNotIn(SENTINEL, body)
                    self.assertIn("Test", body)  # the live content is there

    def test_expired_platform_hides_its_live_meetings(self):
        meeting = self.expired_meeting
        self.assertTrue(MeetingPage.objects.get(pk=meeting.pk).live)  # hidden by its parent only
        for query in ("", "?upcoming=true", f"?platform={meeting.get_parent().translation_key}"):
            with self.subTest(query=query):
                ids = self.ids(f"/api/v1/meetings/{query}")
                self.assertNotIn(str(meeting.translation_key), ids)
        self.assertIn(str(self.world.meetings[1].translation_key), self.ids("/api/v1/meetings/"))
        self.get(f"/api/v1/meetings/{meeting.translation_key}/", 404)

    def test_live_text_of_a_page_with_unpublished_changes(self):
        meeting = self.world.meetings[0]
        data = self.json(f"/api/v1/meetings/{meeting.translation_key}/")
        self.assertTrue(data["title"].startswith("Test meetingpage"))
        self.assertEqual(data["topic"], "Test topic")

    def test_hidden_objects_have_no_detail(self):
        resources = {"meetingpage": "meetings", "platformpage": "platforms"}
        for page in self.hidden:
            resource = resources.get(page._meta.model_name, "recommendations")
            with self.subTest(page.title):
                self.get(f"/api/v1/{resource}/{page.translation_key}/", 404)

    def test_unpublished_translation_falls_back(self):
        data = self.json(f"/api/v1/platforms/{self.world.platform.translation_key}/?locale=uk")
        self.assertEqual((data["locale"], data["fallback"]), ("cs", True))
        states = {t["language"]: t for t in data["translations"]}
        self.assertEqual(states["uk"]["status"], "in_progress")
        self.assertIsNone(states["uk"]["url"])

    def test_an_alias_copy_is_not_a_second_platform(self):
        # An editor's alias of a platform elsewhere in the tree shows the same platform there;
        # the API lists the platform once, under its own id.
        platform = self.world.platform
        alias = platform.create_alias(parent=self.world.index, update_slug="test-alias-copy")
        self.assertTrue(alias.live)
        ids = self.ids("/api/v1/platforms/")
        self.assertNotIn(str(alias.translation_key), ids)
        self.assertIn(str(platform.translation_key), ids)
