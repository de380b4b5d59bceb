"""A district developer's view (issue 14): generate a Python client from /api/v1/schema/ with
openapi-python-client (0 warnings, type-checks with mypy), then run the four recipes of
docs/api.md with that client against the app, in process, counting the requests each takes.

openapi-python-client and mypy are in the `dev` extra; without them the test is skipped with a
message, except in CI (CI=true), where it fails."""

import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from .base import ApiTestCase
from .factories import translate

PACKAGE = "prague_integration_of_foreigners_content_api_client"
BIN = Path(sys.executable).parent


def tool(name):
    path = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if path is None:
        if os.environ.get("CI"):
            raise AssertionError(f"{name} is missing (pip install -e '.[dev]')")
        import pytest

        pytest.skip(f"{name} is not installed (pip install -e '.[dev]'); the client is not checked")
    return path


class GeneratedClientTests(ApiTestCase):
    meetings = 2

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="api-client-"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)

    def generate(self):
        """The client as a developer generates it from the served schema: (package dir, log)."""
        generator = tool("openapi-python-client")
        schema = self.tmp / "schema.json"
        schema.write_text(json.dumps(self.json("/api/v1/schema/?format=json")))
        output = self.tmp / "client"
        shutil.rmtree(output, ignore_errors=True)
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        run = subprocess.run(
            [generator, "generate", "--path", str(schema), "--output-path", str(output)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        return output, run

    def test_client_generates_without_warnings_and_type_checks(self):
        output, run = self.generate()
        log = run.stdout + run.stderr
        self.assertEqual(run.returncode, 0, log)
        self.assertNotIn("Warning", log)
        self.assertNotIn("WARNING", log)
        self.assertTrue((output / PACKAGE / "py.typed").exists(), log)
        # Public reads: plain Client, no AuthenticatedClient needed, English names, typed.
        meetings = (output / PACKAGE / "api" / "meetings" / "meetings_list.py").read_text()
        self.assertIn("upcoming: bool | Unset", meetings)
        self.assertIn("year: int | Unset", meetings)
        self.assertIn("status: MeetingStatus | Unset", meetings)
        models = {p.stem for p in (output / PACKAGE / "models").glob("*.py")}
        self.assertLessEqual({"venue_ref", "organisation_detail", "responsibilities"}, models)
        self.assertFalse([m for m in models if m.endswith(("_stav", "_druh", "_kategorie"))])
        mypy = subprocess.run(
            [tool("mypy"), "--no-incremental", "--strict", PACKAGE],
            cwd=output,
            capture_output=True,
            text=True,
            timeout=180,
        )
        self.assertEqual(mypy.returncode, 0, mypy.stdout + mypy.stderr)

    # --- the recipes of docs/api.md, with the generated client -----------------------------
    def generated_client(self):
        """The generated package, talking to the app in process; `self.requests` counts."""
        output, run = self.generate()
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        sys.path.insert(0, str(output))
        self.addCleanup(sys.path.remove, str(output))
        for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[name]
        package = importlib.import_module(PACKAGE)
        # As Django's test client does: a request's end must not close the connection holding
        # the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        self.requests = []
        transport = httpx.WSGITransport(app=get_wsgi_application())
        return package.Client(
            base_url="http://mhmp.localhost",
            httpx_args={
                "transport": transport,
                "event_hooks": {"request": [lambda request: self.requests.append(request.url)]},
            },
        )

    def api(self, module):
        return importlib.import_module(f"{PACKAGE}.api.{module}")

    def models(self):
        return importlib.import_module(f"{PACKAGE}.models")

    def test_recipes(self):
        """All four recipes in one test: the client is generated once (seconds)."""
        w = self.world
        translate(w.platform, "uk", title="Test platform UK")
        translate(w.meetings[0], "uk", title="Test meeting UK")
        client = self.generated_client()
        models = self.models()

        # 1. Upcoming meetings of one platform, in Ukrainian.
        self.requests.clear()
        platforms = self.api("platforms.platforms_list").sync(
            client=client, name=w.platform.title, locale=models.Language.UK
        )
        platform = platforms.results[0]
        meetings = self.api("meetings.meetings_list").sync(
            client=client, platform=platform.id, upcoming=True, locale=models.Language.UK
        )
        self.assertEqual(platform.title, "Test platform UK")
        self.assertEqual([m.title for m in meetings.results][:1], ["Test meeting UK"])
        self.assertEqual(meetings.results[0].locale, "uk")
        self.assertEqual(len(self.requests), 2)
        recipe_requests = {"upcoming meetings in Ukrainian": len(self.requests)}

        # 2. What an organisation is responsible for.
        self.requests.clear()
        found = self.api("organisations.organisations_list").sync(client=client, name=w.org.name)
        detail = self.api("organisations.organisations_retrieve").sync(
            client=client, id=found.results[0].id
        )
        codes = [r.code for r in detail.responsibilities.recommendations]
        self.assertEqual(codes, [rec.code for rec in w.recommendations])
        self.assertEqual(detail.responsibilities.recommendations[0].role, models.ActorRole.LEAD)
        self.assertEqual(len(detail.responsibilities.action_plan_items), 1)
        recipe_requests["responsibilities"] = len(self.requests)

        # 3. A full copy kept in sync: first a full copy, then only the changes.
        self.requests.clear()
        meetings_list = self.api("meetings.meetings_list")
        copy, cursor = {}, None
        offset = 0
        while True:
            page = meetings_list.sync(client=client, limit=100, offset=offset)
            copy.update({m.id: m for m in page.results})
            cursor = cursor or page.cursor
            if page.next_ is None:
                break
            offset += 100
        full = len(self.requests)
        self.assertEqual(len(copy), len(w.meetings))
        w.venue.name = "Test venue renamed"
        w.venue.save()  # the meetings embed it
        self.requests.clear()
        changes = meetings_list.sync(client=client, modified_since=cursor, limit=100)
        for meeting in changes.results:
            copy[meeting.id] = meeting
        for tombstone in changes.tombstones or []:
            copy.pop(tombstone.id, None)
        self.assertEqual({m.venue.name for m in copy.values()}, {"Test venue renamed"})
        self.assertGreaterEqual(changes.cursor, cursor)
        recipe_requests["full copy"] = full
        recipe_requests["sync"] = len(self.requests)

        # 4. A calendar subscription: the feed URL of one platform, in Ukrainian.
        self.requests.clear()
        calendar = self.api("meetings.meetings_calendar_ics_retrieve").sync_detailed(
            client=client, platform=platform.id, locale=models.Language.UK
        )
        self.assertEqual(calendar.status_code, 200)
        self.assertIn(b"BEGIN:VCALENDAR", calendar.content)
        self.assertIn(b"Test meeting UK", calendar.content)
        recipe_requests["calendar"] = len(self.requests)
        self.assertEqual(
            recipe_requests,
            {
                "upcoming meetings in Ukrainian": 2,
                "responsibilities": 2,
                "full copy": 1,
                "sync": 1,
                "calendar": 1,
            },
        )
        print(f"\nrequests per recipe: {recipe_requests}")
