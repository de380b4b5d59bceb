"""No anonymous request on any public URL answers 5xx, whatever its path or parameters hold.

Every public URL pattern (rendered pages in cs/en/uk, sitemap, API v1 from its own OpenAPI schema,
API v2 pages/images/documents, the API docs and schema, documents) is requested with hostile
values: NUL bytes, integers past 64 bits, bad dates, unusual Unicode, 10 KB strings, invalid
UTF-8 and repeated parameters. Any 5xx is a failure; each one found was fixed and is also a
named regression test (tests/test_api_v2_input.py, tests/api/test_errors.py).
"""

from urllib.parse import quote

from django.test import Client, TestCase

from tests.api.factories import World, document

HOSTILE = [
    "a%00b",
    "9223372036854775808",
    "-1",
    "2024-13-45T25:61:00",
    quote("ž\u202eѪ😀\ufeff"),
    "x" * 10_000,
    "%ff%fe",  # not UTF-8
    "'%22%3C%3E*%28;--",
    "",
]
# Parameters of API v2 (Wagtail's operations and the page fields it filters on).
V2_PARAMETERS = [
    "search",
    "search_operator",
    "locale",
    "site",
    "offset",
    "limit",
    "fields",
    "order",
    "type",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "id",
    "title",
    "slug",
    "show_in_menus",
    "first_published_at",
    "html_path",
]
# Parameters of the images and documents endpoints.
FILE_PARAMETERS = ["search", "search_operator", "offset", "limit", "fields", "order", "id", "title"]


class HostileInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World(meetings=1)
        cls.world.add_concept()
        cls.document = document()

    def setUp(self):
        self.client = Client(raise_request_exception=False)
        self.failures = []

    def probe(self, url):
        response = self.client.get(url, HTTP_HOST="mhmp.localhost")
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {url[:150]}")

    def assertNoFailures(self):
        shown = "\n".join(self.failures[:30])
        self.assertEqual(self.failures, [], f"{len(self.failures)} 5xx answers:\n{shown}")

    def probe_parameters(self, base, parameters):
        for name in parameters:
            for value in HOSTILE:
                self.probe(f"{base}?{name}={value}")
            self.probe(f"{base}?{name}=1&{name}=2")
        for value in HOSTILE:
            self.probe(f"{base}?{value}=1")  # a hostile parameter name

    def test_api_v2(self):
        page = self.world.platform.pk
        self.probe_parameters("/api/v2/pages/", V2_PARAMETERS)
        for endpoint in ("pages", "images", "documents"):
            base = f"/api/v2/{endpoint}/"
            if endpoint != "pages":
                self.probe_parameters(base, FILE_PARAMETERS)
            self.probe_parameters(f"{base}find/", ["id", "html_path"])
            self.probe_parameters(f"{base}{page}/", ["fields"])
            for value in HOSTILE:
                self.probe(f"{base}{value}/")
        self.assertNoFailures()

    def v1_operations(self):
        schema = self.client.get("/api/v1/schema/?format=json").json()
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
                yield path, names

    def test_api_v1_from_its_schema(self):
        known_id = self.world.platform.pk
        for path, parameters in self.v1_operations():
            base = path.replace("{id}", str(known_id))
            # django-filter validates every parameter of a request together: one request each.
            for value in HOSTILE:
                self.probe(base + "?" + "&".join(f"{name}={value}" for name in parameters))
            self.probe(base + "?" + "&".join(f"{name}=1&{name}=2" for name in parameters))
            if "{" in path:
                for value in HOSTILE:
                    self.probe(path.split("{")[0] + value + "/")
        for value in HOSTILE:
            self.probe(f"/api/v1/{value}/")
        self.assertNoFailures()

    def test_rendered_pages_sitemap_docs_and_documents(self):
        pages = ["/", "/cs/", "/en/", "/uk/", self.world.platform.url, "/sitemap.xml"]
        pages += ["/sitemap-pages.xml"]  # a section of the index: ?p= is its page number
        pages += ["/api/v1/docs/", f"/documents/{self.document.pk}/test.pdf"]
        for value in ("a%00b", "x" * 10_000):  # the schema takes a second to generate
            self.probe(f"/api/v1/schema/?format={value}&lang={value}")
        for url in pages:
            for value in HOSTILE:
                self.probe(f"{url}?p={value}&format={value}&lang={value}&p=2")
        for value in HOSTILE:
            for prefix in ("/cs/", "/en/", "/uk/", self.world.platform.url, "/documents/"):
                self.probe(f"{prefix}{value}/")
            self.probe(f"/documents/{value}/test.pdf")
            self.probe(f"/documents/{self.document.pk}/{value}")
            self.probe(f"/{value}")
        self.assertNoFailures()

    def test_nul_bytes_are_a_client_error(self):
        """Issue 10 for API v1 and pages: NUL in a parameter, a path, a page URL."""
        api = [
            "/api/v1/meetings/?q=%00",
            "/api/v1/meetings/?locale=%00",
            "/api/v1/meetings/?site=%00",
            "/api/v1/meetings/calendar.ics?platform=%00",
            "/api/v1/organisations/?q=a%00b",
            f"/api/v1/platforms/{self.world.platform.pk}/?locale=%00",
            "/api/v1/platforms/%00/",
            "/api/v1/%00/",
        ]
        for url in api:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (400, 404))
                self.assertEqual(response["Content-Type"], "application/problem+json")
        for url in ("/cs/%00/", f"{self.world.platform.url}%00/", "/en/a%00b/"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url, HTTP_HOST="mhmp.localhost").status_code, 404)
