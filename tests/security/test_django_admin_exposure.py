"""Issue 10: /django-admin/ is mounted only where DJANGO_ADMIN_ENABLED says so: on by default in
development, off by default in production."""

import importlib
import json
import os
import subprocess
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import clear_url_caches

import cms.urls


def reload_urls():
    clear_url_caches()
    importlib.reload(cms.urls)


def settings_of(module, **env):
    """Settings of a settings module as a fresh process reads them from the environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DJANGO_ADMIN_ENABLED, s.API_THROTTLE_RATE]))"
    )
    unset = {"DJANGO_ADMIN_ENABLED", "API_THROTTLE_RATE"}
    environ = {name: value for name, value in os.environ.items() if name not in unset}
    environ.update(DJANGO_SETTINGS_MODULE=module, SECRET_KEY="x", ALLOWED_HOSTS="x", **env)
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.splitlines()[-1])


class DjangoAdminExposureTests(TestCase):
    def setUp(self):
        user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
        self.client.force_login(user)
        self.addCleanup(reload_urls)

    def test_mounted_when_enabled(self):
        with override_settings(DJANGO_ADMIN_ENABLED=True):
            reload_urls()
            response = self.client.get("/django-admin/")
        self.assertContains(response, 'id="site-name"')

    def test_absent_when_disabled(self):
        with override_settings(DJANGO_ADMIN_ENABLED=False):
            reload_urls()
            response = self.client.get("/django-admin/", follow=True)
            login = self.client.get("/django-admin/login/", follow=True)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(login.status_code, 404)
        # The Wagtail admin stays where it is.
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_defaults_dev_on_production_off(self):
        self.assertEqual(settings_of("cms.settings.dev")[0], True)
        self.assertEqual(settings_of("cms.settings.production"), [False, "300/min"])
        enabled = settings_of("cms.settings.production", DJANGO_ADMIN_ENABLED="true")
        self.assertEqual(enabled[0], True)
        unthrottled = settings_of("cms.settings.production", API_THROTTLE_RATE="off")
        self.assertEqual(unthrottled[1], None)

    def test_a_malformed_throttle_rate_stops_start_up_with_its_name(self):
        for rate in ("abc", "120", "0/min", "120/fortnight"):
            with (
                self.subTest(rate=rate),
                self.assertRaises(subprocess.CalledProcessError) as failed,
            ):
                settings_of("cms.settings.production", API_THROTTLE_RATE=rate)
            self.assertIn(f'API_THROTTLE_RATE="{rate}"', failed.exception.stderr)
