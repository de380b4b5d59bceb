"""Two app instances (two gunicorn processes) on one PostgreSQL and one Redis: they share the
anonymous throttle's counts and the content version, so a publish shows in the very next answer
of each, and both give the same answers.

Needs REDIS_URL and PostgreSQL (the instances read the test database over their own
connections; a SQLite test database lives in this process's memory)."""

import os
import socket
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

from django.conf import settings
from django.db import connection

from tests.api.factories import World, publish
from tests.utils import CommittedTestCase, free_port

ROOT = settings.BASE_DIR


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


@unittest.skipUnless(
    os.environ.get("REDIS_URL"), "two instances share state only in Redis: set REDIS_URL"
)
@unittest.skipUnless(
    connection.vendor == "postgresql", "the instances need a PostgreSQL test database"
)
class TwoInstancesTests(CommittedTestCase):
    def setUp(self):
        self.world = World(meetings=1)
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url(),
            # This test process's own prefix (cms/settings/test.py): one shared cache for all three.
            "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
            "API_THROTTLE_RATE": "6/min",
            "TRUSTED_PROXY_COUNT": "0",
        }
        self.ports = [free_port(), free_port()]
        self.servers = []
        for port in self.ports:
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi",
                "-c",  # production's configuration (collection between requests included)
                "deploy/gunicorn.conf.py",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
            ]
            server = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.DEVNULL)
            self.servers.append(server)
            self.addCleanup(self.stop, server)
        for port in self.ports:
            self.wait_for(port)

    def stop(self, server):
        server.terminate()
        server.wait(timeout=10)

    def wait_for(self, port):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.fail(f"gunicorn on port {port} did not start")

    def get(self, port, path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Host": "mhmp.localhost"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def test_a_publish_shows_in_the_next_answer_of_each_and_the_throttle_is_one(self):
        first, second = self.ports
        url = "/api/v1/meetings/"
        answers = [self.get(port, url) for port in (first, second, first)]
        self.assertEqual([status for status, _h, _b in answers], [200, 200, 200])
        self.assertEqual(answers[1][1]["X-Cache"], "HIT")  # the second instance used the first's
        self.assertEqual(len({body for _s, _h, body in answers}), 1)
        meeting = self.world.meetings[0]
        meeting.topic = "Test topic published between two requests"
        publish(meeting)  # a third instance (this process), committed
        for port in (second, first):
            status, headers, body = self.get(port, url)
            self.assertEqual(
                (status, headers["X-Cache"]), (200, "MISS" if port == second else "HIT")
            )
            self.assertIn(b"Test topic published between two requests", body)
        # 5 answers so far, one limit of 6 per minute across both instances.
        self.assertEqual(self.get(second, url)[0], 200)
        self.assertEqual(self.get(first, url)[0], 429)
        self.assertEqual(self.get(second, url)[0], 429)
