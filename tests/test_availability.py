"""Fail soft (home/operations/): real outages, no mocks. The database is "down" when its
connection points where nothing answers (PostgreSQL: 127.0.0.1:1; SQLite: a file in a directory
that does not exist), the cache when Redis is at 127.0.0.1:1. Readers get 503 + Retry-After
(problem+json under /api/, a short HTML page in the URL's language elsewhere), /healthz stays up,
/readyz names what is down, and everything answers again as soon as the service is back."""

from contextlib import contextmanager

from django.db import connection, connections
from django.test import Client, TestCase, override_settings

from home.operations import availability
from tests.api.factories import World
from tests.utils import CommittedTestCase

PROBLEM = "application/problem+json"
REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
API_URLS = [
    "/api/v1/platforms/",
    "/api/v1/meetings/?locale=uk",
    "/api/v1/meetings/calendar.ics",
    "/api/v2/pages/",
]


def unreachable(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return {**settings_dict, "NAME": "/nonexistent-directory/db.sqlite3"}
    return {**settings_dict, "HOST": "127.0.0.1", "PORT": "1"}


@contextmanager
def database_down():
    """The default connection points where no database answers, then the real one is back."""
    real = connections["default"]
    down = real.__class__(unreachable(real.settings_dict), alias="default")
    connections["default"] = down
    try:
        yield
    finally:
        down.close()
        connections["default"] = real


class OutageTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World(meetings=1)

    def setUp(self):
        availability._down_since.clear()
        # An error raised in a middleware reaches the handler500 after the test client's own
        # exception hook; the answer is what a reader gets.
        self.client = Client(raise_request_exception=False, HTTP_HOST="mhmp.localhost")

    def tearDown(self):
        availability._down_since.clear()  # no probes in later tests

    def assertUnavailable(self, response, content_type):
        self.assertEqual(response.status_code, 503, response.content[:300])
        self.assertEqual(response["Content-Type"].split(";")[0], content_type)
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertFalse(response.has_header("ETag"))

    def assertProblem(self, response, service):
        self.assertUnavailable(response, PROBLEM)
        body = response.json()
        self.assertEqual((body["status"], body["title"]), (503, "Service Unavailable"))
        self.assertIn(service, body["detail"])


class DatabaseDownTests(OutageTestCase):
    def test_api_v1_and_v2_answer_503_problems_and_recover(self):
        with database_down():
            for url in API_URLS:
                with self.subTest(url):
                    self.assertProblem(self.client.get(url), "database")
        for url in API_URLS:
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_pages_answer_a_short_page_in_the_language_of_the_url(self):
        texts = {
            "cs": "Služba je dočasně nedostupná",
            "en": "The service is temporarily unavailable",
            "uk": "Сервіс тимчасово недоступний",
        }
        platform_url = self.world.platform.url
        with database_down():
            for language, text in texts.items():
                response = self.client.get(f"/{language}/")
                self.assertUnavailable(response, "text/html")
                self.assertEqual(response["Content-Language"], language)
                self.assertContains(response, text, status_code=503)
                self.assertContains(response, f'<html lang="{language}">', status_code=503)
            self.assertUnavailable(self.client.get(platform_url), "text/html")
        self.assertEqual(self.client.get("/en/").status_code, 200)

    def test_an_error_raised_in_a_middleware_is_a_503_too(self):
        # The view answers 404 without the database; Wagtail's RedirectMiddleware then looks
        # for a redirect in the database.
        with database_down():
            self.assertProblem(self.client.get("/api/v1/no-such-resource/"), "database")
        self.assertEqual(self.client.get("/api/v1/no-such-resource/").status_code, 404)

    def test_each_outage_is_logged_once_with_its_cause(self):
        with self.assertLogs("home.operations.availability", "WARNING") as logs, database_down():
            for url in API_URLS:
                self.client.get(url)
            # Answers without the database: not taken for the end of the outage.
            self.assertEqual(self.client.get("/api/v1/").status_code, 200)
            self.client.get(API_URLS[0])
        errors = [record for record in logs.records if record.levelname == "ERROR"]
        self.assertEqual(len(errors), 1)
        self.assertIn("database is unavailable", errors[0].getMessage())
        self.assertIn("OperationalError", errors[0].getMessage())
        with self.assertLogs("home.operations.availability", "WARNING") as logs:
            self.client.get("/api/v1/")
        self.assertIn("database is back after", logs.output[0])


class CacheDownTests(OutageTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(override_settings(CACHES=REDIS_DOWN))

    def test_pages_and_the_api_answer_503(self):
        self.assertUnavailable(self.client.get("/en/"), "text/html")
        self.assertProblem(self.client.get("/api/v2/pages/"), "cache")

    def test_answers_again_when_the_cache_is_back(self):
        self.assertEqual(self.client.get("/en/").status_code, 503)
        with override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        ):
            self.assertEqual(self.client.get("/en/").status_code, 200)


class HealthTests(OutageTestCase):
    def assertNotCached(self, response):
        self.assertIn("no-store", response["Cache-Control"])
        self.assertFalse(response.has_header("ETag"))
        self.assertFalse(response.has_header("Last-Modified"))

    def test_healthz_answers_without_database_or_cache(self):
        with database_down(), override_settings(CACHES=REDIS_DOWN):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertNotCached(response)

    def test_readyz_checks_the_database_and_the_cache(self):
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(), {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
        )
        self.assertNotCached(response)

    def test_readyz_names_what_is_down(self):
        with database_down():
            body = self.client.get("/readyz").json()
        self.assertEqual(body["detail"], "Unavailable: database.")
        self.assertEqual(body["checks"]["cache"], "ok")
        with override_settings(CACHES=REDIS_DOWN):
            response = self.client.get("/readyz")
        self.assertProblem(response, "cache")
        self.assertEqual(response.json()["checks"]["database"], "ok")
        self.assertTrue(response.json()["checks"]["cache"].startswith("unavailable"))
        with database_down(), override_settings(CACHES=REDIS_DOWN):
            body = self.client.get("/readyz").json()
        self.assertEqual(body["detail"], "Unavailable: database, cache.")
        self.assertEqual(self.client.get("/readyz").status_code, 200)


class PostgreSQLRecoveryTests(CommittedTestCase):
    """The same persistent connection (CONN_MAX_AGE>0) survives a server outage and a killed
    backend: the broken connection is closed at the failed request, the next one reconnects."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only")
        availability._down_since.clear()
        self.client = Client(raise_request_exception=False)
        self.saved = dict(connection.settings_dict)
        connection.settings_dict["CONN_MAX_AGE"] = 600

    def tearDown(self):
        connection.close()
        connection.settings_dict.update(self.saved)

    def backend_pid(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    # The database path: a cached answer would be served through the outage (home/cache/).
    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        RESPONSE_CACHE_TIMEOUT=0,
    )
    def test_a_terminated_backend_fails_one_request_and_the_next_recovers(self):
        self.assertEqual(self.client.get("/api/v1/sites/").status_code, 200)
        pid = self.backend_pid()
        with connections["default"].__class__(dict(self.saved), alias="killer").cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

        response = self.client.get("/api/v1/sites/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Content-Type"], PROBLEM)
        response = self.client.get("/api/v1/sites/")
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(self.backend_pid(), pid)

    # The database path: a cached answer would be served through the outage (home/cache/).
    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        RESPONSE_CACHE_TIMEOUT=0,
    )
    def test_the_server_down_and_back_on_the_same_connection(self):
        self.assertEqual(self.client.get("/api/v1/sites/").status_code, 200)
        connection.close()
        connection.settings_dict.update(unreachable(self.saved))
        self.assertEqual(self.client.get("/api/v1/sites/").status_code, 503)
        connection.settings_dict.update(self.saved)
        self.assertEqual(self.client.get("/api/v1/sites/").status_code, 200)
