"""OParl 1.1 at /api/oparl/: every object and list validates against the OParl 1.1 schemas
(tests/syndication/oparl_schema.py), links lead to objects, only live public content, 404s are
problem+json, query counts do not grow with the meetings."""

import jsonschema
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platforms.models import MeetingPage
from tests.api.base import ApiTestCase
from tests.api.factories import document, restrict

from . import oparl_schema as schema

CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


class OParlTests(ApiTestCase):
    meetings = 2

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        w.meetings[0].minutes = document()
        w.meetings[0].save_revision().publish()
        private = w.add_platform(title="SENTINEL private platform")
        w.add_meeting(private, title="SENTINEL private meeting", topic="SENTINEL topic")
        restrict(private)
        draft = MeetingPage(
            title="SENTINEL draft", slug="draft", date=w.meetings[0].date, live=False
        )
        w.platform.add_child(instance=draft)
        draft.save_revision()

    def valid(self, url, item_schema):
        data = self.json(url)
        jsonschema.validate(data, item_schema, format_checker=CHECKER)
        self.assertNotIn("SENTINEL", str(data))
        return data

    def test_the_whole_graph_validates(self):
        system = self.valid("/api/oparl/", schema.SYSTEM)
        bodies = self.valid(system["body"], schema.object_list(schema.BODY))
        self.assertEqual(len(bodies["data"]), 2)
        mhmp = next(body for body in bodies["data"] if body["website"].startswith("http://mhmp"))
        self.valid(mhmp["id"], schema.BODY)
        organizations = self.valid(mhmp["organization"], schema.object_list(schema.ORGANIZATION))
        [platform] = organizations["data"]
        self.assertEqual(platform["name"], self.world.platform.title)
        self.valid(platform["id"], schema.ORGANIZATION)
        meetings = self.valid(platform["meeting"], schema.object_list(schema.MEETING))
        self.assertEqual(len(meetings["data"]), 2)
        self.valid(mhmp["meeting"], schema.object_list(schema.MEETING))
        meeting = self.valid(meetings["data"][0]["id"], schema.MEETING)
        self.assertEqual(meeting["organization"], [platform["id"]])
        self.assertEqual(meeting["location"]["description"], "Test venue 1")
        self.valid(meeting["agendaItem"][0]["id"], schema.AGENDA_ITEM)
        minutes = self.valid(meeting["resultsProtocol"]["id"], schema.FILE)
        self.assertEqual(minutes["mimeType"], "application/pdf")
        people = self.valid(mhmp["person"], schema.object_list(schema.PERSON))
        [person] = people["data"]
        self.valid(person["id"], schema.PERSON)
        membership = self.valid(person["membership"][0]["id"], schema.MEMBERSHIP)
        self.assertEqual(membership["organization"], platform["id"])
        self.assertEqual(membership["person"], person["id"])
        self.valid(mhmp["paper"], schema.object_list(schema.BODY))

    def test_a_schema_violation_would_be_caught(self):
        data = self.json("/api/oparl/")
        data["oparlVersion"] = "https://schema.oparl.org/1.0/"
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(data, schema.SYSTEM, format_checker=CHECKER)

    def test_unknown_and_hidden_objects_are_404_problems(self):
        private = (
            self.world.index.get_children().live().filter(title__startswith="SENTINEL").first()
        )
        for url in (
            "/api/oparl/body/999/",
            f"/api/oparl/organization/{private.translation_key}/",
            "/api/oparl/meeting/00000000-0000-0000-0000-000000000000/",
            "/api/oparl/file/999999/",
            "/api/oparl/membership/999999/",
            "/api/oparl/body/1/meeting/?page=99",
            "/api/oparl/body/1/meeting/?page=x",
        ):
            with self.subTest(url=url):
                response = self.get(url, status=404)
                self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(self.client.post("/api/oparl/").status_code, 405)

    def test_meeting_list_queries_do_not_grow(self):
        body = self.json("/api/oparl/body/")["data"][0]

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.get(body["meeting"])
            return len(queries)

        before = count()
        for i in range(10):
            self.world.add_meeting(days=30 + i)
        self.assertEqual(count(), before)
