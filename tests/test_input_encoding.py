"""An admin form POST with bytes that are not UTF-8 is a 400 and stores nothing (issue 10: a
`\\xff` in a page edit was published as U+FFFD)."""

from io import StringIO
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from platforms.models import MeetingPage
from tests.test_admin import meeting_form

MARK = "MARK-FOR-BAD-BYTES"


class NonUtf8FormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        cls.meeting = MeetingPage.objects.filter(number=63).get()

    def setUp(self):
        self.client.force_login(self.admin)
        self.url = f"/admin/pages/{self.meeting.pk}/edit/"
        self.form = meeting_form(
            title=self.meeting.title,
            slug=self.meeting.slug,
            date=str(self.meeting.date),
            topic=f"Téma {MARK}",
        )

    def latest_revision(self):
        return MeetingPage.objects.get(pk=self.meeting.pk).latest_revision_id

    def post_urlencoded(self, bad):
        body = urlencode(self.form, doseq=True).encode("ascii").replace(MARK.encode(), bad)
        return self.client.post(self.url, body, content_type="application/x-www-form-urlencoded")

    def post_multipart(self, bad):
        body = encode_multipart(BOUNDARY, self.form).replace(MARK.encode(), bad)
        return self.client.generic("POST", self.url, body, content_type=MULTIPART_CONTENT)

    def assert_refused(self, response, revision):
        self.assertEqual(response.status_code, 400)
        self.assertIn("UTF-8", response.content.decode())
        self.assertEqual(self.latest_revision(), revision)
        self.assertNotIn("\ufffd", MeetingPage.objects.get(pk=self.meeting.pk).topic)

    def test_bad_bytes_are_refused_in_both_form_encodings(self):
        revision = self.latest_revision()
        for label, post, bad in (
            ("urlencoded, percent-encoded", self.post_urlencoded, b"%FF"),
            ("urlencoded, raw byte", self.post_urlencoded, b"\xff"),
            ("multipart", self.post_multipart, b"\xff\xfe"),
        ):
            with self.subTest(label):
                self.assert_refused(post(bad), revision)

    def test_the_same_form_in_utf8_is_saved(self):
        """The control: the form itself is good, only the bytes made it a 400."""
        revision = self.latest_revision()
        response = self.post_multipart("ř".encode())
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.assertNotEqual(self.latest_revision(), revision)
        self.assertEqual(MeetingPage.objects.get(pk=self.meeting.pk).topic, "Téma ř")
