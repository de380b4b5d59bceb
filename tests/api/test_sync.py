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


class ClientSyncTests(ApiTestCase):
    """A consumer's copy kept with the sync cursor: after any edit of something an object embeds
    (issue 14), one sync per resource makes the copy equal to a fresh full download."""

    RESOURCES = (
        "platforms",
        "meetings",
        "people",
        "organisations",
        "recommendations",
        "measures",
        "action-plans",
        "concepts",
    )

    def setUp(self):
        super().setUp()
        self.copies, self.cursors = {}, {}
        for resource in self.RESOURCES:
            data = self.json(f"/api/v1/{resource}/?limit=100")
            self.copies[resource] = {item["id"]: item for item in data["results"]}
            self.cursors[resource] = data["cursor"]

    def sync(self, resource, locale="cs"):
        data = self.json(
            f"/api/v1/{resource}/?limit=100&locale={locale}"
            f"&modified_since={self.cursors[resource].replace('+', '%2B')}"
        )
        self.assertIsNone(data["next"])
        for item in data["results"]:
            self.copies[resource][item["id"]] = item
        for tombstone in data["tombstones"]:
            self.copies[resource].pop(tombstone["id"], None)
        self.cursors[resource] = data["cursor"]
        return {item["id"] for item in data["results"]}

    def assert_in_sync(self, *changed):
        """Each resource's copy equals a fresh download, and the `changed` ones came back."""
        for resource in self.RESOURCES:
            returned = self.sync(resource)
            fresh = self.json(f"/api/v1/{resource}/?limit=100")["results"]
            self.assertEqual(self.copies[resource], {item["id"]: item for item in fresh}, resource)
            if resource in changed:
                self.assertTrue(returned, f"{resource}: nothing returned after the edit")

    def test_the_cursor_only_moves_with_content(self):
        first = self.json("/api/v1/meetings/")
        self.assertEqual(self.json("/api/v1/meetings/")["cursor"], first["cursor"])
        self.assertEqual(self.sync("meetings"), {m["id"] for m in first["results"]} & set())
        self.world.venue.save()
        self.assertGreater(self.json("/api/v1/meetings/")["cursor"], first["cursor"])

    def test_venue_edit(self):
        self.world.venue.name = "Test venue renamed"
        self.world.venue.save()
        self.assert_in_sync("meetings", "platforms")

    def test_organisation_edit(self):
        self.world.org.name = "Test organisation renamed"
        self.world.org.save()
        self.assert_in_sync(
            "platforms", "people", "organisations", "recommendations", "measures", "action-plans"
        )

    def test_an_actor_renamed_moves_the_concept(self):
        """The Concept's detail embeds its tree's actors: its `modified` moves with them."""
        before = self.json("/api/v1/concepts/")["results"][0]["modified"]
        self.world.org.name = "Test organisation renamed"
        self.world.org.save()
        after = self.json("/api/v1/concepts/")["results"][0]["modified"]
        self.assertGreater(parse_datetime(after), parse_datetime(before))

    def test_organisation_translation_published(self):
        self.world.org_en.name = "Test organisation EN renamed"
        self.world.org_en.save()
        self.assert_in_sync("platforms", "people", "organisations")
        self.assertIn("Test organisation EN renamed", str(self.sync_en("platforms")))

    def sync_en(self, resource):
        return self.json(f"/api/v1/{resource}/?locale=en")["results"]

    def test_person_edit(self):
        self.world.person.role = "Test role changed"
        self.world.person.save()
        self.assert_in_sync("platforms", "people")

    def test_platform_edit(self):
        platform = self.world.platform
        platform.short_name = "TST"
        publish(platform)
        self.assert_in_sync("platforms", "meetings")

    def test_programme_edit(self):
        meeting = self.world.meetings[0]
        item = meeting.programme.first()
        item.title = "Test item changed"
        publish(meeting)
        self.assert_in_sync("meetings", "platforms")

    def test_recommendation_and_measure_edit(self):
        recommendation = self.world.recommendations[0]
        measure = recommendation.measures.first()
        measure.text = "Test measure text changed"
        publish(recommendation)
        self.assert_in_sync("recommendations", "measures", "action-plans", "concepts")

    def test_meeting_unpublished(self):
        """The platform's `next_meeting` changes when its meeting is withdrawn."""
        self.world.meetings[0].unpublish()
        self.assert_in_sync("platforms")  # the meeting itself comes back as a tombstone

    def test_meeting_deleted(self):
        self.world.meetings[0].delete()
        self.assert_in_sync("platforms")

    def test_measure_page_removed_from_the_concept_tree(self):
        """The Concept embeds its whole tree: a recommendation withdrawn moves the Concept."""
        self.world.recommendations[0].unpublish()
        self.assert_in_sync("concepts")  # its measures come back as tombstones

    def test_platform_withdrawn_and_back(self):
        """Its meetings leave with it (tombstones) and come back with it."""
        platform = self.world.platform
        meetings = {str(m.translation_key) for m in self.world.meetings}
        self.assertLessEqual(meetings, set(self.copies["meetings"]))
        platform.unpublish()
        self.assert_in_sync()  # tombstones, nothing returned
        self.assertFalse(meetings & set(self.copies["meetings"]))
        publish(platform)
        self.assert_in_sync("platforms", "meetings")
        self.assertLessEqual(meetings, set(self.copies["meetings"]))

    def test_translation_published(self):
        translate(self.world.meetings[0], "uk")
        self.assert_in_sync("meetings")  # the Czech copy's translations[] changed

    def test_meeting_over_moves_modified_by_itself(self):
        """`upcoming` and `next_meeting` change with time: `valid_until` says when, and then
        `modified` moves, so modified_since returns them without an edit."""
        from wagtail.models import Page

        w = self.world
        meeting = w.add_meeting(days=-1)  # over since yesterday's end
        past = timezone.now() - datetime.timedelta(days=5)
        Page.objects.update(last_published_at=past)  # as if nothing was edited for days
        ContentChange.objects.update(modified=past)
        since = iso(timezone.now() - datetime.timedelta(days=2))
        data = self.json(f"/api/v1/meetings/?modified_since={since}")
        self.assertEqual([m["id"] for m in data["results"]], [str(meeting.translation_key)])
        served = data["results"][0]
        self.assertFalse(served["upcoming"])
        self.assertIsNone(served["valid_until"])
        self.assertGreaterEqual(parse_datetime(served["modified"]), parse_datetime(since))
        upcoming = self.json(f"/api/v1/meetings/{w.meetings[0].translation_key}/")
        self.assertTrue(upcoming["upcoming"])
        self.assertEqual(upcoming["valid_until"], upcoming["end"])
        platforms = self.json(f"/api/v1/platforms/?modified_since={since}")
        self.assertEqual([p["id"] for p in platforms["results"]], [str(w.platform.translation_key)])
        platform = platforms["results"][0]
        self.assertEqual(platform["valid_until"], platform["next_meeting"]["end"])
        listed = self.json("/api/v1/meetings/?upcoming=true")
        self.assertEqual(listed["valid_until"], listed["results"][0]["valid_until"])
