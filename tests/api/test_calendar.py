"""The iCalendar feed: RFC 5545 via icalendar, stable UID, SEQUENCE, CANCELLED, VTIMEZONE."""

import datetime

from icalendar import Calendar

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

    def test_conditional_get(self):
        etag = self.get(URL).headers["ETag"]
        self.get(URL, 304, if_none_match=etag)
