"""Bad input gets a 4xx application/problem+json saying what was wrong; never a 500."""

import uuid

from .base import ApiTestCase


class ErrorTests(ApiTestCase):
    def problem(self, url, status=400):
        response = self.get(url, status)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        body = response.json()
        self.assertEqual(body["status"], status)
        self.assertTrue(body["title"])
        return body

    def reasons(self, body):
        return {param["name"]: param["reason"] for param in body.get("invalid_params", [])}

    def test_unknown_parameter(self):
        body = self.problem("/api/v1/meetings/?colour=red")
        self.assertIn("Unknown parameter", self.reasons(body)["colour"])
        self.problem(f"/api/v1/platforms/{self.world.platform.translation_key}/?upcoming=true")

    def test_bad_date(self):
        self.assertIn("after", self.reasons(self.problem("/api/v1/meetings/?after=2026-13-45")))
        self.assertIn(
            "modified_since", self.reasons(self.problem("/api/v1/venues/?modified_since=yesterday"))
        )

    def test_bad_choice_and_id_filters(self):
        self.problem("/api/v1/meetings/?status=postponed-forever")
        self.problem("/api/v1/meetings/?upcoming=maybe")
        self.problem("/api/v1/meetings/?platform=not-a-uuid")
        self.problem("/api/v1/meetings/?year=twenty")
        self.problem("/api/v1/meetings/?site=nowhere.example")
        self.problem("/api/v1/recommendations/?role=boss")

    def test_unknown_locale(self):
        body = self.problem("/api/v1/platforms/?locale=xx")
        self.assertIn("xx", self.reasons(body)["locale"])

    def test_limit_out_of_range(self):
        for limit in ("0", "101", "-5", "ten"):
            with self.subTest(limit):
                self.assertIn(
                    "limit", self.reasons(self.problem(f"/api/v1/meetings/?limit={limit}"))
                )
        self.problem("/api/v1/meetings/?offset=-1")

    def test_empty_parameter(self):
        # Found by schemathesis: `?year=` and `?before=` listed everything, though the schema
        # does not allow an empty value (issue 10).
        for url in (
            "/api/v1/meetings/?year=",
            "/api/v1/meetings/?before=",
            "/api/v1/recommendations/?actor=&concept=",
            "/api/v1/platforms/?q=",
            "/api/v1/meetings/calendar.ics?platform=",
        ):
            with self.subTest(url):
                body = self.problem(url)
                self.assertIn("Empty value", " ".join(self.reasons(body).values()))

    def test_nul_in_text_parameter(self):
        # Found by schemathesis (CLI, fuzzing): the schema allowed any string in `q`/`area`.
        for url in ("/api/v1/venues/?q=a%00b", "/api/v1/recommendations/?area=%00"):
            with self.subTest(url):
                self.problem(url)

    def test_modified_since_with_any_iso_offset(self):
        # Found by the contract test on PostgreSQL: an offset of +22:27 was a 500 there.
        self.get("/api/v1/meetings/?modified_since=2020-01-01T00:00:00%2B22:27")

    def test_unsupported_method_is_405_before_any_parameter_check(self):
        # Found by schemathesis: TRACE with list parameters answered 400 "unknown parameter".
        response = self.client.generic("TRACE", "/api/v1/meetings/?year=2026&limit=1")
        self.assertEqual(response.status_code, 405)
        self.assertIn("GET", response.headers["Allow"])

    def test_unknown_id(self):
        for resource in ("platforms", "meetings", "concepts", "measures", "organisations"):
            with self.subTest(resource):
                self.problem(f"/api/v1/{resource}/{uuid.uuid4()}/", 404)
                self.problem(f"/api/v1/{resource}/12345/", 404)
        self.problem("/api/v1/sites/999/", 404)

    def test_missing_trailing_slash_redirects(self):
        response = self.get("/api/v1/meetings?upcoming=true", 301)
        self.assertEqual(response.headers["Location"], "/api/v1/meetings/?upcoming=true")
        self.problem("/api/v1/nothing", 404)

    def test_unknown_path_is_a_problem_not_a_redirect(self):
        self.problem("/api/v1/nothing-here/", 404)
        self.problem("/api/v1/platforms/a-b-c/", 404)


class FuzzTests(ApiTestCase):
    """Every documented parameter of every list, with hostile values: 4xx or 200, never 5xx."""

    VALUES = [
        "",
        "x",
        "-1",
        "99999999999999999999",
        "%00",
        "2026-02-30",
        "9999-12-31T23:59:59-12:00",
    ]

    def test_schema_parameters_never_500(self):
        schema = self.json("/api/v1/schema/?format=json")
        for path, operations in schema["paths"].items():
            if "{" in path:
                continue
            names = [
                p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"
            ]
            for name in names:
                for value in self.VALUES:
                    with self.subTest(path=path, name=name, value=value):
                        response = self.client.get(f"{path}?{name}={value}")
                        self.assertLess(response.status_code, 500)

    def test_hostile_ids_and_headers(self):
        for url in ("/api/v1/sites/99999999999999999999/", "/api/v1/meetings/%00/"):
            self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.get("/api/v1/meetings/", headers={"accept-language": "x" * 5000})
        self.assertEqual(response.status_code, 200)


class ErrorReportTests(ApiTestCase):
    problem = ErrorTests.problem
    reasons = ErrorTests.reasons

    def test_every_invalid_parameter_at_once(self):
        body = self.problem(
            "/api/v1/meetings/?colour=red&after=2026-13-45&year=&limit=0&status=nope&locale=xx"
        )
        self.assertEqual(
            set(self.reasons(body)), {"colour", "after", "year", "limit", "status", "locale"}
        )

    def test_errors_speak_the_callers_language(self):
        """?locale, then Accept-Language, else English (not the sites' Czech)."""
        url = "/api/v1/meetings/?colour=red&after=2026-13-45"
        english = self.problem(url)
        self.assertEqual(english["detail"], "Invalid request parameters.")
        self.assertIn("Enter a valid date", self.reasons(english)["after"])
        czech = self.problem(url + "&locale=cs", status=400)
        self.assertEqual(czech["detail"], "Neplatné parametry požadavku.")
        self.assertIn("Neznámý parametr", self.reasons(czech)["colour"])
        self.assertIn("datum", self.reasons(czech)["after"].lower())
        response = self.client.get(url, headers={"Accept-Language": "uk"})
        self.assertEqual(response.json()["detail"], "Недійсні параметри запиту.")
        response = self.client.get(url + "&locale=en", headers={"Accept-Language": "cs"})
        self.assertEqual(response.json()["detail"], "Invalid request parameters.")

    def test_not_found_speaks_the_callers_language(self):
        """404s too: an unknown id, a malformed id, an unknown site, an unknown API path."""
        missing = "00000000-0000-4000-8000-000000000000"
        cases = {
            f"/api/v1/meetings/{missing}/": {
                "en": f"No published object with id {missing} in /api/v1/meetings/.",
                "uk": f"У /api/v1/meetings/ немає опублікованого об’єкта з id {missing}.",
                "cs": f"V /api/v1/meetings/ není žádný zveřejněný objekt s id {missing}.",
            },
            "/api/v1/venues/abc/": {
                "en": "“abc” is not an id.",
                "uk": "«abc» — не ідентифікатор.",
                "cs": "„abc“ není id.",
            },
            "/api/v1/sites/999999/": {
                "en": "No site with id 999999.",
                "uk": "Сайту з id 999999 не існує.",
                "cs": "Web s id 999999 neexistuje.",
            },
            "/api/v1/nothing-here/": {
                "en": "No API resource at /api/v1/nothing-here/. See /api/v1/ for the resources.",
                "uk": "За адресою /api/v1/nothing-here/ немає ресурсу API. Перелік ресурсів — "
                "на /api/v1/.",
                "cs": "Na /api/v1/nothing-here/ není žádný zdroj API. Zdroje jsou vypsány na "
                "/api/v1/.",
            },
        }
        for path, messages in cases.items():
            with self.subTest(path):
                self.assertEqual(self.problem(path, status=404)["detail"], messages["en"])
                uk = self.client.get(path, headers={"Accept-Language": "uk"})
                self.assertEqual(uk.status_code, 404)
                self.assertEqual(uk.json()["detail"], messages["uk"])
                cs = self.client.get(path + "?locale=cs", headers={"Accept-Language": "uk"})
                self.assertEqual(cs.json()["detail"], messages["cs"])

    def test_search_errors_speak_the_callers_language(self):
        reasons = self.reasons(self.problem("/api/v1/search/?q=&locale=uk", status=400))
        self.assertEqual(reasons["q"], "Це поле необхідно заповнити")
        reasons = self.reasons(self.problem("/api/v1/search/?q=praha&site=nowhere.example"))
        self.assertEqual(reasons["site"], "Unknown site; see /api/v1/sites/.")
