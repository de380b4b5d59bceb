"""One JSON log line per request (home/operations/request_log.py), with a request id that the
response echoes and every line of the request carries, a 500's traceback included."""

import io
import json
import logging
import re

from django.test import Client, TestCase, override_settings
from django.urls import path

from home.operations.logs import JsonFormatter
from home.operations.request_log import RequestIdFilter

from .utils import make_site


def broken_view(request):
    raise RuntimeError("the database said no")


urlpatterns = [path("broken/", broken_view)]


class RequestLogTests(TestCase):
    """Logging wired as production wires it: a JSON formatter and the request-id filter."""

    @classmethod
    def setUpTestData(cls):
        make_site(hostname="test.localhost", default=True)

    def setUp(self):
        self.stream = io.StringIO()
        handler = logging.StreamHandler(self.stream)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        root, requests = logging.getLogger(), logging.getLogger("praha.requests")
        previous_level = requests.level
        root.addHandler(handler)
        requests.setLevel(logging.INFO)
        self.addCleanup(root.removeHandler, handler)
        self.addCleanup(requests.setLevel, previous_level)

    def lines(self):
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def request_lines(self):
        return [line for line in self.lines() if line["logger"] == "praha.requests"]

    def test_a_page_request_is_one_line_with_its_fields(self):
        response = self.client.get("/cs/", HTTP_HOST="test.localhost")
        self.assertEqual(response.status_code, 200)
        [line] = self.request_lines()
        self.assertEqual(line["method"], "GET")
        self.assertEqual(line["path"], "/cs/")
        self.assertEqual(line["host"], "test.localhost")
        self.assertEqual(line["status"], 200)
        self.assertEqual(line["bytes"], len(response.content))
        self.assertIsInstance(line["duration_ms"], float)
        self.assertGreater(line["duration_ms"], 0)
        self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
        self.assertRegex(line["request_id"], r"^[0-9a-f]{32}$")
        self.assertEqual(response["X-Request-ID"], line["request_id"])

    def test_an_api_request_keeps_the_proxys_request_id(self):
        response = self.client.get("/api/v1/", headers={"X-Request-ID": "proxy-7f3a.42"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["X-Request-ID"], "proxy-7f3a.42")
        [line] = self.request_lines()
        self.assertEqual(
            {key: line[key] for key in ("method", "path", "status", "bytes", "request_id")},
            {
                "method": "GET",
                "path": "/api/v1/",
                "status": 200,
                "bytes": len(response.content),
                "request_id": "proxy-7f3a.42",
            },
        )

    def test_an_api_error_is_logged_with_its_status(self):
        self.client.get("/api/v1/meetings/?limit=100000")
        [line] = self.request_lines()
        self.assertEqual((line["path"], line["status"]), ("/api/v1/meetings/", 400))

    def test_a_request_id_that_could_forge_log_lines_is_replaced(self):
        forged = 'x"\n{"status": 200}'
        for sent in (forged, "a" * 129, ""):
            response = self.client.get("/api/v1/", headers={"X-Request-ID": sent})
            self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertEqual(len(self.request_lines()), 3)  # every line parsed as one JSON object

    def test_each_request_gets_its_own_id(self):
        first = self.client.get("/api/v1/")["X-Request-ID"]
        second = self.client.get("/api/v1/")["X-Request-ID"]
        self.assertNotEqual(first, second)

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_server_error_is_logged_as_json_with_its_traceback_and_request_id(self):
        client = Client(raise_request_exception=False)
        response = client.get("/broken/", headers={"X-Request-ID": "trace-500"})
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["X-Request-ID"], "trace-500")
        [error] = [line for line in self.lines() if line["logger"] == "django.request"]
        self.assertEqual(error["level"], "ERROR")
        self.assertEqual(error["request_id"], "trace-500")
        self.assertEqual(error["status_code"], 500)
        self.assertIn('raise RuntimeError("the database said no")', error["traceback"])
        self.assertTrue(re.search(r"RuntimeError: the database said no\s*$", error["traceback"]))
        [line] = self.request_lines()
        self.assertEqual((line["status"], line["request_id"]), (500, "trace-500"))
