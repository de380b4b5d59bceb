"""The iCalendar feed: RFC 5545 via icalendar, stable UID, SEQUENCE, CANCELLED, VTIMEZONE."""

import datetime

from django.conf import settings
from icalendar import Calendar
from wagtail.models import PageLogEntry

from .base import ApiTestCase
from .factories import publish

URL = "/api/v1/meetings/calendar.ics"


class CalendarTests(ApiTestCase):
    def calendar(self, query=""):
        response = self.get(URL + query)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        return response, Calendar.from_ical(response.content)

    def events(self, query=""):
        return {str(e["uid"]): e for e in self.calendar(query)[1].walk("VEVENT")}

    def uid(self, meeting):
        return f"{meeting.translation_key}@praha-integrace"

    def test_one_event_per_meeting_with_prague_timezone(self):
        response, calendar = self.calendar()
        self.assertEqual(len(calendar.walk("VEVENT")), 2)
        self.assertEqual([str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")], ["Europe/Prague"])
        self.assertIn(b"DTSTART;TZID=Europe/Prague:", response.content)
        event = self.events()[self.uid(self.world.meetings[0])]
        self.assertEqual(event.decoded("dtstart").hour, 13)
        self.assertEqual(str(event["status"]), "CONFIRMED")
        self.assertIn("Test venue 1", str(event["location"]))

    def test_end_is_in_prague_time_too(self):
        response, _calendar = self.calendar()
        self.assertEqual(response.content.count(b"DTEND;TZID=Europe/Prague:"), 2)
        end = self.events()[self.uid(self.world.meetings[0])].decoded("dtend")
        self.assertEqual((end.hour, str(end.tzinfo)), (16, "Europe/Prague"))

    def test_uid_is_the_same_in_every_language(self):
        self.assertEqual(set(self.events()), set(self.events("?locale=uk")))

    def test_sequence_grows_when_a_meeting_changes(self):
        meeting = self.world.meetings[0]
        before = int(self.events()[self.uid(meeting)]["sequence"])
        meeting.status = "cancelled"
        publish(meeting)
        event = self.events()[self.uid(meeting)]
        self.assertGreater(int(event["sequence"]), before)
        self.assertEqual(str(event["status"]), "CANCELLED")

    def test_a_saved_draft_does_not_change_the_sequence(self):
        # Clients re-read an event whose SEQUENCE grew; a draft (logged as an edit, as the
        # admin's "Save draft" does) changes nothing they show.
        meeting = self.world.meetings[0]
        before = int(self.events()[self.uid(meeting)]["sequence"])
        meeting.title = "Test draft title"
        meeting.save_revision(log_action=True)
        self.assertEqual(int(self.events()[self.uid(meeting)]["sequence"]), before)

    def test_a_meeting_without_publication_history_has_sequence_zero(self):
        # e.g. content restored without its log: SEQUENCE must still be a number (RFC 5545).
        meeting = self.world.add_meeting(days=50)
        PageLogEntry.objects.filter(page=meeting).delete()
        self.assertEqual(int(self.events()[self.uid(meeting)]["sequence"]), 0)

    def test_date_only_meeting_is_all_day(self):
        meeting = self.world.add_meeting(days=30, start_time=None, end_time=None)
        event = self.events()[self.uid(meeting)]
        self.assertEqual(event.decoded("dtstart"), meeting.date)
        self.assertEqual(event.decoded("dtend"), meeting.date + datetime.timedelta(days=1))

    def test_keeps_history_and_takes_the_list_filters(self):
        past = self.world.add_meeting(days=-400)
        self.assertIn(self.uid(past), self.events())
        self.assertNotIn(self.uid(past), self.events("?upcoming=true"))
        self.assertEqual(set(self.events(f"?year={past.date.year}")), {self.uid(past)})
        self.get(URL + "?limit=5", 400)
        self.get(URL + "?after=never", 400)

    def test_takes_modified_since_like_the_list(self):
        """Only meetings changed since then: all of them since 2000, none since 2999."""
        everything = set(self.events())
        self.assertEqual(len(everything), 2)
        self.assertEqual(set(self.events("?modified_since=2000-01-01T00:00:00Z")), everything)
        self.assertEqual(self.events("?modified_since=2999-01-01T00:00:00Z"), {})

    def test_conditional_get(self):
        etag = self.get(URL).headers["ETag"]
        self.get(URL, 304, if_none_match=etag)

    def test_the_calendar_says_what_clients_need(self):
        # VERSION and PRODID are required by RFC 5545; the X-WR-* names are what Google and
        # Apple show as the subscribed calendar's name and zone.
        response, calendar = self.calendar()
        self.assertEqual(
            {key: str(calendar[key]) for key in ("VERSION", "CALSCALE", "METHOD")},
            {"VERSION": "2.0", "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH"},
        )
        self.assertEqual(str(calendar["PRODID"]), "-//Praha integrace cizincu//content API//EN")
        self.assertEqual(str(calendar["X-WR-CALNAME"]), settings.WAGTAIL_SITE_NAME)
        self.assertEqual(str(calendar["X-WR-TIMEZONE"]), "Europe/Prague")
        self.assertEqual(response.headers["Content-Disposition"], 'inline; filename="meetings.ics"')

    def test_event_text_and_times(self):
        platform = self.world.add_platform(title="Test platform long name", short_name="TPL")
        meeting = self.world.add_meeting(
            platform, days=20, title="Test meeting", description="<p>Test <b>agenda</b></p>"
        )
        event = self.events()[self.uid(meeting)]
        self.assertEqual(str(event["summary"]), "TPL: Test meeting")
        self.assertEqual(str(event["description"]), "Test topic\n\nTest agenda")
        # iCalendar keeps whole seconds.
        published = meeting.last_published_at.replace(microsecond=0)
        self.assertEqual(
            event.decoded("created"), meeting.first_published_at.replace(microsecond=0)
        )
        self.assertEqual(event.decoded("last-modified"), published)
        self.assertEqual(event.decoded("dtstamp"), published)
        self.assertTrue(str(event["url"]).endswith(f"/{meeting.slug}/"), event["url"])

    def test_a_meeting_without_venue_or_description(self):
        meeting = self.world.add_meeting(days=60, venue=None, description="")
        event = self.events()[self.uid(meeting)]
        self.assertEqual(str(event["description"]), "Test topic")
        self.assertNotIn("LOCATION", event)

    def test_summary_without_a_short_name_is_the_platform_title(self):
        meeting = self.world.meetings[0]
        summary = str(self.events()[self.uid(meeting)]["summary"])
        self.assertEqual(summary, f"{self.world.platform.title}: {meeting.title}")

    def test_start_without_end_has_no_end(self):
        meeting = self.world.add_meeting(days=40, end_time=None)
        event = self.events()[self.uid(meeting)]
        self.assertEqual(event.decoded("dtstart").hour, 13)
        self.assertNotIn("DTEND", event)
