"""OpenAPI schema for every endpoint and parameter; offline docs; meeting JSON-LD."""

import json

from django.template import Context, Template
from django.test import RequestFactory

from .base import ApiTestCase

PATHS = [
    "/api/v1/sites/",
    "/api/v1/platforms/",
    "/api/v1/platforms/{id}/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{id}/",
    "/api/v1/meetings/calendar.ics",
    "/api/v1/organisations/",
    "/api/v1/people/",
    "/api/v1/venues/",
    "/api/v1/concepts/",
    "/api/v1/concepts/{id}/",
    "/api/v1/recommendations/",
    "/api/v1/measures/",
    "/api/v1/action-plans/",
]


class SchemaTests(ApiTestCase):
    def test_schema_lists_every_endpoint_and_parameter(self):
        schema = self.json("/api/v1/schema/?format=json")
        self.assertEqual(schema["openapi"][:2], "3.")
        for path in PATHS:
            self.assertIn(path, schema["paths"])
        self.assertFalse([p for p in schema["paths"] if not p.startswith("/api/v1/")])
        params = {p["name"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
        expected = {"site", "platform", "after", "before", "upcoming", "status", "year", "q"}
        self.assertLessEqual(
            expected | {"modified_since", "limit", "offset", "locale", "Accept-Language"}, params
        )
        calendar = schema["paths"]["/api/v1/meetings/calendar.ics"]["get"]
        self.assertIn("text/calendar", calendar["responses"]["200"]["content"])

    def test_schema_states_the_bounds_the_api_enforces(self):
        """The disagreements schemathesis found on main (issue 10), one by one."""
        schema = self.json("/api/v1/schema/?format=json")
        meetings = self.parameters(schema, "/api/v1/meetings/")
        self.assertEqual(meetings["limit"], {"type": "integer", "minimum": 1, "maximum": 100})
        self.assertEqual(meetings["offset"]["minimum"], 0)
        self.assertEqual(meetings["year"], {"type": "integer", "minimum": 1, "maximum": 9999})
        self.assertEqual(meetings["q"]["minLength"], 1)
        self.assertRegex("Regionální", meetings["q"]["pattern"])
        self.assertNotRegex("a\x00b", meetings["q"]["pattern"])
        self.assertEqual(meetings["site"], {"$ref": "#/components/schemas/SiteSelector"})
        self.assertEqual(
            set(schema["components"]["schemas"]["SiteSelector"]["enum"]),
            {"mhmp.localhost", "icp.localhost"}
            | {str(self.world.mhmp_site.pk), str(self.world.icp_site.pk)},
        )
        priority = self.parameters(schema, "/api/v1/recommendations/")["priority"]
        self.assertEqual(priority, {"type": "integer", "minimum": 1, "maximum": 99})
        self.assertEqual(self.parameters(schema, "/api/v1/platforms/{id}/")["id"]["format"], "uuid")

    def test_errors_are_documented_as_problems(self):
        schema = self.json("/api/v1/schema/?format=json")
        for path, codes in (
            ("/api/v1/meetings/", {"200", "304", "400", "429", "503"}),
            ("/api/v1/meetings/{id}/", {"200", "304", "400", "404", "429", "503"}),
            ("/api/v1/meetings/calendar.ics", {"200", "304", "400", "429", "503"}),
        ):
            responses = schema["paths"][path]["get"]["responses"]
            self.assertEqual(set(responses), codes, path)
            problem = responses["400"]["content"]["application/problem+json"]["schema"]
            self.assertEqual(problem, {"$ref": "#/components/schemas/Problem"})
            # A client told to wait is told for how long (throttled, or an outage).
            for code in ("429", "503"):
                self.assertIn("Retry-After", responses[code]["headers"], (path, code))

    def test_calendar_documents_its_filters(self):
        schema = self.json("/api/v1/schema/?format=json")
        calendar = self.parameters(schema, "/api/v1/meetings/calendar.ics")
        meetings = self.parameters(schema, "/api/v1/meetings/")
        self.assertEqual(set(calendar), set(meetings) - {"limit", "offset"})

    def test_meeting_times_are_declared_as_they_are_served(self):
        """Local wall-clock times have no offset, so not JSON Schema's `time` (RFC 3339)."""
        schema = self.json("/api/v1/schema/?format=json")
        start_time = schema["components"]["schemas"]["Meeting"]["properties"]["start_time"]
        self.assertNotIn("format", start_time)
        served = self.json(f"/api/v1/meetings/{self.world.meetings[0].translation_key}/")
        self.assertEqual(served["start_time"], "13:00:00")
        self.assertRegex(served["start_time"], start_time["pattern"])

    @staticmethod
    def parameters(schema, path):
        return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}

    def test_docs_work_offline(self):
        html = self.get("/api/v1/docs/").content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/", html)
        self.assertNotIn("cdn.jsdelivr", html)


class JsonLdTests(ApiTestCase):
    def render(self, meeting):
        request = RequestFactory().get("/", HTTP_HOST="mhmp.localhost")
        html = Template(
            '{% include "platforms/includes/meeting_jsonld.html" with meeting=page %}'
        ).render(Context({"page": meeting, "request": request}))
        self.assertIn('<script type="application/ld+json">', html)
        return json.loads(html.split(">", 1)[1].rsplit("</script>", 1)[0])

    def test_event_matches_the_api(self):
        meeting = self.world.meetings[0]
        event = self.render(meeting)
        api = self.json(f"/api/v1/meetings/{meeting.translation_key}/")
        self.assertEqual(event["@type"], "Event")
        self.assertEqual(event["identifier"], api["id"])
        self.assertEqual(event["startDate"], api["start"])
        self.assertEqual(event["endDate"], api["end"])
        self.assertEqual(event["eventStatus"], "https://schema.org/EventScheduled")
        self.assertEqual(event["location"]["address"], api["venue"]["address"])

    def test_cancelled_and_date_only(self):
        meeting = self.world.add_meeting(
            days=3, status="cancelled", start_time=None, end_time=None, title="</script>x"
        )
        event = self.render(meeting)
        self.assertEqual(event["eventStatus"], "https://schema.org/EventCancelled")
        self.assertEqual(event["startDate"], meeting.date.isoformat())
        self.assertEqual(event["name"], "</script>x")
