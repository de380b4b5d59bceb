"""'Next meeting' is computed from dates: future, past, cancelled, none, and meetings today."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.test import TestCase

from platforms.models import MeetingPage, PlatformPage

from .utils import make_meeting, make_platform, make_site, publish

PRAGUE = ZoneInfo("Europe/Prague")
NOW = datetime.datetime(2026, 5, 14, 14, 30, tzinfo=PRAGUE)
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


class NextMeetingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.platform = make_platform(make_site())

    def test_none_without_meetings(self):
        self.assertIsNone(self.platform.next_meeting(NOW))

    def test_only_past_meetings_means_no_next_meeting(self):
        past = make_meeting(self.platform, TODAY - 30 * DAY, "13:00", "16:00")
        self.assertIsNone(self.platform.next_meeting(NOW))
        self.assertEqual(list(self.platform.past_meetings(NOW)), [past])

    def test_the_nearest_future_meeting_is_next(self):
        later = make_meeting(self.platform, TODAY + 60 * DAY, "13:00")
        sooner = make_meeting(self.platform, TODAY + 7 * DAY, "13:00")
        make_meeting(self.platform, TODAY - 7 * DAY, "13:00")
        self.assertEqual(self.platform.next_meeting(NOW), sooner)
        self.assertEqual(list(self.platform.upcoming_meetings(NOW)), [sooner, later])

    def test_a_cancelled_meeting_is_skipped(self):
        make_meeting(self.platform, TODAY + 2 * DAY, status=MeetingPage.Status.CANCELLED)
        after = make_meeting(self.platform, TODAY + 9 * DAY)
        self.assertEqual(self.platform.next_meeting(NOW), after)
        # Still listed among upcoming meetings, so readers learn it was cancelled.
        self.assertEqual(len(self.platform.upcoming_meetings(NOW)), 2)

    def test_a_meeting_today_is_next_until_it_ends(self):
        running = make_meeting(self.platform, TODAY, "13:00", "16:00")
        self.assertEqual(self.platform.next_meeting(NOW), running)
        after_end = NOW.replace(hour=16, minute=1)
        self.assertIsNone(self.platform.next_meeting(after_end))
        self.assertEqual(list(self.platform.past_meetings(after_end)), [running])

    def test_a_meeting_today_without_times_counts_all_day(self):
        today = make_meeting(self.platform, TODAY)
        self.assertEqual(self.platform.next_meeting(NOW.replace(hour=23, minute=59)), today)

    def test_drafts_and_private_meetings_are_never_next(self):
        draft = make_meeting(self.platform, TODAY + DAY)
        draft.unpublish()
        private = make_meeting(self.platform, TODAY + 2 * DAY)
        private.view_restrictions.create(restriction_type="password", password="x")
        public = make_meeting(self.platform, TODAY + 3 * DAY)
        self.assertEqual(self.platform.next_meeting(NOW), public)
        self.assertEqual(list(self.platform.upcoming_meetings(NOW)), [public])

    def test_times_are_local_to_prague(self):
        meeting = make_meeting(self.platform, datetime.date(2024, 11, 21), "13:00", "16:00")
        self.assertEqual(meeting.start.utcoffset(), datetime.timedelta(hours=1))
        self.assertEqual(meeting.start.astimezone(datetime.UTC).hour, 12)
        self.assertIsNone(make_meeting(self.platform, TODAY).start)


class MeetingValidationTests(TestCase):
    def meeting(self, **fields):
        fields.setdefault("date", TODAY)
        return MeetingPage(title="x", slug="x", **fields)

    def test_end_before_start_is_rejected(self):
        with self.assertRaises(ValidationError) as raised:
            self.meeting(start_time=datetime.time(16), end_time=datetime.time(13)).clean()
        self.assertIn("end_time", raised.exception.message_dict)

    def test_end_without_start_is_rejected(self):
        with self.assertRaises(ValidationError) as raised:
            self.meeting(end_time=datetime.time(13)).clean()
        self.assertIn("start_time", raised.exception.message_dict)

    def test_registration_after_the_meeting_is_rejected(self):
        with self.assertRaises(ValidationError) as raised:
            self.meeting(registration_deadline=TODAY + DAY).clean()
        self.assertIn("registration_deadline", raised.exception.message_dict)

    def test_a_valid_meeting_passes(self):
        self.meeting(
            start_time=datetime.time(13),
            end_time=datetime.time(16),
            registration_deadline=TODAY - 2 * DAY,
        ).clean()


class PlatformIndexNextMeetingTests(TestCase):
    """The platform index shows each platform's next meeting by the same rule as the platform
    page, read for all platforms at once."""

    @classmethod
    def setUpTestData(cls):
        cls.first = make_platform(make_site(), title="First", slug="first")
        cls.index = cls.first.get_parent().specific
        cls.second = publish(
            cls.index, PlatformPage(title="Second", slug="second", kind="commission")
        )
        cls.empty = publish(cls.index, PlatformPage(title="Empty", slug="empty", kind="commission"))
        make_meeting(cls.first, TODAY - 7 * DAY, "13:00")
        make_meeting(cls.first, TODAY + 2 * DAY, status=MeetingPage.Status.CANCELLED)
        make_meeting(cls.first, TODAY + 9 * DAY, "10:00")
        make_meeting(cls.second, TODAY, "13:00", "16:00")  # running at NOW
        make_meeting(cls.second, TODAY + 30 * DAY)
        make_meeting(cls.empty, TODAY - 1 * DAY)

    def test_same_rule_as_each_platform_page(self):
        platforms = [self.first, self.second, self.empty]
        for now in (NOW, NOW.replace(hour=16, minute=1), NOW + 10 * DAY):
            found = self.index.next_meetings(platforms, now)
            for platform in platforms:
                with self.subTest(platform=platform.title, now=now):
                    self.assertEqual(
                        found.get(platform.translation_key), platform.next_meeting(now)
                    )

    def test_the_cards_show_it(self):
        make_meeting(self.first, datetime.date(2090, 3, 5), "13:00")  # after the real today
        html = self.client.get(self.index.url, HTTP_HOST="test.localhost").content.decode()
        cards = html.split('<li class="card"')[1:]
        self.assertEqual(len(cards), 3)
        empty = next(card for card in cards if ">Empty<" in card)
        self.assertIn("zatím nebylo vypsáno", empty)
        first = next(card for card in cards if ">First<" in card)
        self.assertNotIn("zatím nebylo vypsáno", first)
        self.assertIn('datetime="2090-03-05', first)
