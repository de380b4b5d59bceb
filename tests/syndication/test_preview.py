"""Headless preview: the token opens the draft of its page only, expires, cannot be forged, and
the answer is never cached."""

from unittest import mock

from django.contrib.auth.models import Permission, User
from django.core import signing
from django.test import override_settings

from home.models import ContentPage
from syndication import preview
from tests.api.base import ApiTestCase
from tests.api.factories import add


@override_settings(
    HEADLESS_PREVIEW_URLS={"default": "https://front.example/preview?token={token}&id={id}"}
)
class PreviewTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.page = add(cls.world.mhmp, ContentPage, title="Live title", body="<p>Live</p>")
        cls.page.title = "Draft title"
        cls.revision = cls.page.save_revision()
        cls.other = add(cls.world.mhmp, ContentPage, title="Other page")

    def url(self, page, token):
        return f"/api/v1/preview/{page.translation_key}/?token={token}"

    def assert_401(self, url):
        response = self.get(url, status=401)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["status"], 401)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn("Draft title", response.content.decode())

    def test_a_valid_token_serves_the_draft_uncached(self):
        response = self.get(self.url(self.page, preview.make_token(self.revision)))
        data = response.json()
        self.assertEqual((data["title"], data["preview"]), ("Draft title", True))
        self.assertEqual(data["id"], str(self.page.translation_key))
        self.assertEqual(response["Cache-Control"], "no-store, private")
        self.assertNotIn("ETag", response)
        # The published API still serves the live version.
        live = self.json(f"/api/v1/pages/{self.page.translation_key}/")
        self.assertEqual(live["title"], "Live title")

    def test_a_platform_draft_is_served_as_its_resource(self):
        platform = self.world.platform
        platform.title = "Draft platform title"
        token = preview.make_token(platform.save_revision())
        data = self.json(self.url(platform, token))
        self.assertEqual(data["title"], "Draft platform title")
        self.assertIn("next_meeting", data)

    def test_an_expired_token_is_401(self):
        token = preview.make_token(self.revision)
        with (
            override_settings(PREVIEW_TOKEN_MAX_AGE=0),
            mock.patch("time.time", return_value=10**10),
        ):
            self.assert_401(self.url(self.page, token))

    def test_a_tampered_token_is_401(self):
        token = preview.make_token(self.revision)
        payload, rest = token.split(":", 1)
        forged = signing.dumps(
            {"page": self.page.pk, "revision": self.revision.pk}, key="guess", salt=preview.SALT
        )
        for bad in (token[:-2] + "xx", "x" + token, forged, "", "garbage"):
            with self.subTest(token=bad):
                self.assert_401(self.url(self.page, bad))

    def test_a_token_for_another_page_is_401(self):
        token = preview.make_token(self.revision)
        self.assert_401(self.url(self.other, token))

    def test_admin_button_redirects_to_the_consumer_with_a_token(self):
        editor = User.objects.create_superuser("admin", password="x")
        self.client.force_login(editor)
        response = self.client.get(f"/admin/headless-preview/{self.page.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("https://front.example/preview?token="))
        token = response["Location"].split("token=")[1].split("&")[0]
        from urllib.parse import unquote

        data = self.json(self.url(self.page, unquote(token)))
        self.assertEqual(data["title"], "Draft title")
        edit = self.client.get(f"/admin/pages/{self.page.pk}/edit/")
        self.assertContains(edit, f"/admin/headless-preview/{self.page.pk}/")

    def test_a_user_who_cannot_edit_gets_no_token(self):
        user = User.objects.create_user("reader", password="x")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(user)
        response = self.client.get(f"/admin/headless-preview/{self.page.pk}/")
        self.assertFalse(response.get("Location", "").startswith("https://front.example"))
