"""A new meeting's address is its date (2026-12-15), as the seeded meetings' are; every slug an
editor saves is ASCII."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from platforms.models import MeetingPage, PlatformPage

from .test_admin import make_editor, meeting_form

DAY = datetime.date(2026, 12, 15)
TITLE = "64. setkání – 15. 12. 2026"


class MeetingSlugTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        cls.editor = make_editor()

    def add(self, slug, title=TITLE, date=DAY):
        meeting = MeetingPage(title=title, slug=slug, date=date)
        self.rpp.add_child(instance=meeting)
        return MeetingPage.objects.get(pk=meeting.pk)

    def post(self, **fields):
        self.client.force_login(self.editor)
        url = f"/admin/pages/add/platforms/meetingpage/{self.rpp.pk}/"
        return self.client.post(url, meeting_form(**fields))

    def test_slug_made_from_the_title_or_empty_becomes_the_date(self):
        self.assertEqual(self.add("64-setkani-15-12-2026").slug, "2026-12-15")
        self.assertEqual(self.add("", date=DAY + datetime.timedelta(days=1)).slug, "2026-12-16")

    def test_two_meetings_on_one_day_get_a_suffix(self):
        self.assertEqual(self.add("").slug, "2026-12-15")
        self.assertEqual(self.add("").slug, "2026-12-15-1")

    def test_a_slug_the_editor_chose_is_kept_and_never_replaced_later(self):
        meeting = self.add("vyrocni-setkani")
        self.assertEqual(meeting.slug, "vyrocni-setkani")
        meeting.slug = "64-setkani-15-12-2026"  # renamed later, on purpose
        meeting.save_revision().publish()
        self.assertEqual(MeetingPage.objects.get(pk=meeting.pk).slug, "64-setkani-15-12-2026")

    def test_admin_slug_filled_from_the_title_becomes_the_date(self):
        # Wagtail's admin JS fills the slug from the title as the editor types it.
        form = {"title": TITLE, "slug": "64-setkani-15-12-2026", "date": "2026-12-15"}
        self.assertEqual(self.post(**form).status_code, 302)
        self.assertEqual(self.post(**form).status_code, 302)
        slugs = MeetingPage.objects.child_of(self.rpp).filter(title=TITLE).values_list("slug")
        self.assertEqual(sorted(s for (s,) in slugs), ["2026-12-15", "2026-12-15-1"])
        response = self.client.get("/cs/poradni-platformy/regionalni-poradni-platforma/2026-12-15/")
        self.assertEqual(response.status_code, 200)

    def test_admin_draft_gets_the_date_too(self):
        form = {"title": TITLE, "slug": "64-setkani-15-12-2026", "date": "2026-12-15"}
        self.assertEqual(self.post(**form, **{"action-publish": ""}).status_code, 302)
        meeting = MeetingPage.objects.get(title=TITLE)
        self.assertFalse(meeting.live)
        self.assertEqual(meeting.slug, "2026-12-15")

    def test_admin_typed_slug_with_diacritics_is_transliterated(self):
        response = self.post(title=TITLE, slug="výroční-setkání", date="2026-12-15")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(MeetingPage.objects.filter(slug="vyrocni-setkani").exists())

    def test_admin_typed_slug_clashing_after_transliteration_is_a_form_error(self):
        self.add("vyrocni-setkani")
        response = self.post(title="Jiné", slug="výroční-setkání", date="2026-12-15")
        self.assertEqual(response.status_code, 200)
        self.assertIn("slug", response.context["form"].errors)
        self.assertEqual(MeetingPage.objects.filter(title="Jiné").count(), 0)
