"""Keeping in sync by polling with ?modified_since=: changes and tombstones."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from home.models import ContentChange, Organisation

from .base import ApiTestCase
from .factories import publish, translate


def iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


class SyncTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.since = timezone.now()

    def sync(self, resource, **extra):
        query = "&".join(f"{k}={v}" for k, v in extra.items())
        return self.json(f"/api/v1/{resource}/?modified_since={iso(self.since)}&{query}")

    def test_only_changes_since(self):
        self.assertEqual(self.sync("meetings")["count"], 0)
        meeting = self.world.meetings[1]
        meeting.topic = "Test topic changed"
        publish(meeting)
        data = self.sync("meetings")
        self.assertEqual([m["id"] for m in data["results"]], [str(meeting.translation_key)])
        self.assertEqual(data["tombstones"], [])

    def test_unpublished_page_is_a_tombstone(self):
        meeting = self.world.meetings[0]
        meeting.unpublish()
        data = self.sync("meetings")
        self.assertEqual(data["count"], 0)
        tombstone = data["tombstones"][0]
        self.assertEqual(tombstone["id"], str(meeting.translation_key))
        self.assertTrue(tombstone["deleted"])
        removed_at = ContentChange.objects.get(
            translation_key=meeting.translation_key, language="cs"
        ).modified
        self.assertAlmostEqual(
            parse_datetime(tombstone["modified"]),
            removed_at,
            delta=datetime.timedelta(milliseconds=1),
        )
        self.assertGreaterEqual(removed_at, self.since)

    def test_deleted_page_and_snippet_are_tombstones(self):
        meeting = self.world.meetings[0]
        key = meeting.translation_key
        meeting.delete()
        self.assertEqual(self.sync("meetings")["tombstones"][0]["id"], str(key))
        org = Organisation.objects.create(name="Test organisation 2", category="ngo")
        self.assertEqual(self.sync("organisations")["count"], 1)
        key = org.translation_key
        org.delete()
        data = self.sync("organisations")
        self.assertEqual(data["count"], 0)
        self.assertEqual([t["id"] for t in data["tombstones"]], [str(key)])

    def test_unpublished_translation_is_a_change_not_a_tombstone(self):
        translated = translate(self.world.platform, "en")
        self.since = timezone.now()
        translated.unpublish()
        data = self.sync("platforms", locale="en")
        self.assertEqual(data["tombstones"], [])
        self.assertEqual(data["results"][0]["locale"], "cs")  # now served from the fallback

    def test_naive_time_is_local_time(self):
        self.since = timezone.localtime() - datetime.timedelta(days=1)
        self.assertGreaterEqual(
            self.json(
                f"/api/v1/venues/?modified_since={self.since.replace(tzinfo=None).isoformat()}"
            )["count"],
            1,
        )
        self.assertNotIn("tombstones", self.json("/api/v1/venues/"))
