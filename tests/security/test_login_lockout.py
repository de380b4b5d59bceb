"""Issue 10: admin logins are rate limited. Wrong passwords for one username from one address
lock that pair out (django-axes) with a clear 429 page; the right password is refused during
the lockout; it ends after the cool-off or `manage.py axes_reset`; others are unaffected."""

import datetime
from io import StringIO

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import TestCase, override_settings
from django.urls import reverse

PASSWORD = "správné-heslo-7"
ATTACKER = "198.51.100.7"


class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.user = User.objects.create_superuser("editorka", "editorka@example.org", PASSWORD)
        cls.other = User.objects.create_superuser("redaktor", "redaktor@example.org", PASSWORD)

    def attempt(self, password, username="editorka", ip=ATTACKER, **headers):
        return self.client.post(
            reverse("wagtailadmin_login"),
            {"username": username, "password": password},
            REMOTE_ADDR=ip,
            headers=headers,
        )

    def assert_logged_in(self, response, user):
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(self.client.get(reverse("wagtailadmin_home")).status_code, 200)
        self.assertEqual(self.client.session["_auth_user_id"], str(user.pk))
        self.client.logout()

    def lock_out(self, limit=5):
        for _ in range(limit):
            self.attempt("špatné")

    def test_thirty_wrong_passwords_lock_out_after_the_limit(self):
        statuses = [self.attempt(f"špatné-{n}").status_code for n in range(30)]
        # Four form errors, then the fifth failure locks: every later try is refused.
        self.assertEqual(statuses, [200] * 4 + [429] * 26)

    def test_the_locked_out_user_sees_why_and_for_how_long(self):
        self.lock_out()
        response = self.attempt("špatné")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.headers["Retry-After"], "900")
        self.assertContains(response, "Příliš mnoho neúspěšných pokusů", status_code=429)
        self.assertContains(response, "Zkuste to znovu za 15 min.", status_code=429)
        self.assertNotContains(response, "Traceback", status_code=429)

    def test_the_right_password_is_refused_during_the_lockout(self):
        self.lock_out()
        response = self.attempt(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        admin_home = self.client.get(reverse("wagtailadmin_home"))
        self.assertRedirects(admin_home, reverse("wagtailadmin_login") + "?next=/admin/")

    def test_axes_reset_unlocks(self):
        self.lock_out()
        call_command("axes_reset", stdout=StringIO())
        self.assert_logged_in(self.attempt(PASSWORD), self.user)

    def test_the_lockout_ends_after_the_cool_off(self):
        self.lock_out()
        self.assertEqual(self.attempt(PASSWORD).status_code, 429)
        # The cool-off (15 min) passes: the recorded failures age instead of the test sleeping,
        # so a slow machine cannot let the lockout lapse before the first check.
        cool_off = settings.AXES_COOLOFF_TIME
        AccessAttempt.objects.update(
            attempt_time=F("attempt_time") - cool_off - datetime.timedelta(seconds=1)
        )
        self.assert_logged_in(self.attempt(PASSWORD), self.user)

    def test_another_user_from_another_address_is_unaffected(self):
        self.lock_out()
        self.assert_logged_in(self.attempt(PASSWORD, "redaktor", "203.0.113.20"), self.other)

    def test_a_success_before_the_limit_starts_the_count_again(self):
        self.lock_out(limit=4)
        self.assert_logged_in(self.attempt(PASSWORD), self.user)
        self.lock_out(limit=4)
        self.assert_logged_in(self.attempt(PASSWORD), self.user)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_the_limit_is_configurable(self):
        statuses = [self.attempt("špatné").status_code for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 429, 429])

    def test_a_forged_forwarded_for_does_not_escape_the_lockout(self):
        # No proxy configured: the connection's address is the client, whatever it claims.
        for n in range(5):
            self.attempt("špatné", x_forwarded_for=f"192.0.2.{n}")
        self.assertEqual(self.attempt(PASSWORD, x_forwarded_for="192.0.2.99").status_code, 429)

    @override_settings(CLIENT_IP_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_each_client_is_counted_by_the_configured_header(self):
        proxy = "10.0.0.2"
        for _ in range(5):
            self.attempt("špatné", ip=proxy, x_forwarded_for=ATTACKER)
        # The proxy appends the address it saw; what a client put before it is not trusted.
        locked = self.attempt(PASSWORD, ip=proxy, x_forwarded_for=f"192.0.2.1, {ATTACKER}")
        self.assertEqual(locked.status_code, 429)
        colleague = self.attempt(PASSWORD, ip=proxy, x_forwarded_for="203.0.113.5")
        self.assert_logged_in(colleague, self.user)

    def test_the_django_admin_login_is_guarded_too(self):
        url = reverse("admin:login")
        for _ in range(5):
            self.client.post(url, {"username": "editorka", "password": "x"}, REMOTE_ADDR=ATTACKER)
        response = self.client.post(
            url, {"username": "editorka", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
        )
        self.assertEqual(response.status_code, 429)
