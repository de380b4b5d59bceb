"""Issue 10: Content-Security-Policy and Permissions-Policy on every kind of response. Public
pages and the API docs get a strict policy (no inline script or style, so their templates must
have none); the JSON API may load nothing; the Wagtail admin gets only what it needs."""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")
# <script> types that are data, never run (JSON-LD, Django's json_script).
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


class _InlineCode(HTMLParser):
    """Inline scripts, <style> elements, style="…" and on…="…" attributes of a page."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag}[{name}]" for name in attrs if name == "style" or name[:2] == "on"]


def inline_code(html):
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


class SecurityHeadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def assert_permissions_policy(self, response):
        policy = response.headers["Permissions-Policy"]
        for feature in DENIED_FEATURES:
            self.assertIn(f"{feature}=()", policy)

    def assert_strict(self, response):
        csp = directives(response)
        self.assertEqual(csp["script-src"][0], "'self'")
        for directive in ("script-src", "style-src", "default-src"):
            self.assertNotIn("'unsafe-inline'", csp.get(directive, []))
            self.assertNotIn("'unsafe-eval'", csp.get(directive, []))
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])

    def test_every_public_page_is_strict_and_has_no_inline_code(self):
        pages = Page.objects.live().filter(depth__gt=1).specific()
        self.assertGreater(len(pages), 10)
        for page in pages:
            url = urlsplit(page.get_full_url())
            response = self.client.get(url.path, HTTP_HOST=url.hostname)
            with self.subTest(url=url.geturl()):
                self.assertEqual(response.status_code, 200)
                self.assert_strict(response)
                self.assert_permissions_policy(response)
                self.assertEqual(inline_code(response.content.decode()), [])

    def test_the_api_may_load_nothing(self):
        for path in ("/api/v1/", "/api/v1/venues/", "/api/v1/nowhere/", "/api/v2/pages/"):
            response = self.client.get(path, HTTP_HOST="mhmp.localhost")
            with self.subTest(path=path):
                csp = directives(response)
                self.assertEqual(csp["default-src"], ["'none'"])
                self.assertEqual(csp["frame-ancestors"], ["'none'"])
                self.assert_permissions_policy(response)

    def test_the_api_docs_are_strict_and_their_code_is_a_file(self):
        response = self.client.get("/api/v1/docs/")
        self.assertEqual(response.status_code, 200)
        self.assert_strict(response)
        self.assert_permissions_policy(response)
        self.assertEqual(inline_code(response.content.decode()), [])
        script = self.client.get("/api/v1/docs/?script=")
        self.assertEqual(script.headers["Content-Type"], "application/javascript")
        self.assertContains(script, "SwaggerUIBundle")

    def test_the_admin_login_allows_no_inline_script(self):
        response = self.client.get("/admin/login/")
        csp = directives(response)
        self.assertEqual(csp["script-src"], ["'self'"])
        self.assertEqual(csp["style-src"], ["'self'"])
        self.assert_permissions_policy(response)
        self.assertEqual(inline_code(response.content.decode()), [])

    def test_the_admin_gets_its_allowances_and_nothing_from_elsewhere(self):
        user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
        self.client.force_login(user)
        response = self.client.get("/admin/")
        csp = directives(response)
        self.assertEqual(csp["script-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertNotIn("'unsafe-eval'", csp["script-src"])
        self.assert_permissions_policy(response)
