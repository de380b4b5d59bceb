"""The web worker's garbage collection (home/operations/worker.py), through the hooks gunicorn
calls (deploy/gunicorn.conf.py): the automatic collector is off, yet what requests leave in
reference cycles is still freed, so a worker's memory does not grow with every request."""

import gc
import runpy
import tempfile
import weakref
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.test import SimpleTestCase, override_settings

from home.operations import worker
from tests.utils import free_port

ROOT = Path(__file__).resolve().parent.parent


class Node:
    """An object in a reference cycle: reference counting alone never frees it."""


class WorkerCollectionTests(SimpleTestCase):
    databases = {"default"}  # the warm-up opens the connection the first request would

    def setUp(self):
        self.addCleanup(gc.enable)
        self.addCleanup(gc.unfreeze)
        worker._served = 0  # a new worker: its first response freezes, the 10th collects more
        self.hooks = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))

    def leave_a_cycle(self):
        node = Node()
        node.itself = node
        return weakref.ref(node)

    def test_a_started_worker_collects_between_requests_not_during_them(self):
        self.hooks["post_worker_init"](None)

        self.assertFalse(gc.isenabled())
        self.assertGreater(gc.get_freeze_count(), 0)

    def test_cycles_left_by_each_response_are_freed_after_it(self):
        self.hooks["post_worker_init"](None)
        survivors = []
        for _ in range(25):  # young collections, middle ones (every 10th), a freeze (the 1st)
            cycle = self.leave_a_cycle()
            self.hooks["post_request"](None, None, {}, None)
            survivors.append(cycle() is not None)

        self.assertEqual(survivors, [False] * 25)
        self.assertFalse(gc.isenabled())

    def test_without_a_response_the_cycle_stays(self):
        """The control: with the automatic collector off, only the hook frees cycles."""
        self.hooks["post_worker_init"](None)

        cycle = self.leave_a_cycle()
        [Node() for _ in range(10_000)]  # allocations that would trigger an automatic collection

        self.assertIsNotNone(cycle())


class WarmUpTests(SimpleTestCase):
    databases = {"default"}

    def test_a_template_that_does_not_compile_is_logged_and_the_worker_starts(self):
        """Before the warm-up such a template failed only its own pages; it must not now stop
        every worker from starting."""
        with tempfile.TemporaryDirectory() as folder:
            templates = Path(folder) / "templates"
            templates.mkdir()
            (templates / "broken.html").write_text("{% if %}")
            (templates / "fine.html").write_text("{{ page.title }}")
            engines = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
            with (
                override_settings(BASE_DIR=folder, TEMPLATES=engines),
                self.assertLogs("home.operations.worker", "ERROR") as logs,
            ):
                worker.warm_up()

        self.assertEqual(len(logs.records), 1)
        self.assertIn("broken.html", logs.output[0])

    def test_a_database_that_is_down_does_not_stop_the_worker(self):
        """The first request reports the outage (a 503), as it did before the warm-up."""
        default = connections["default"]
        down = dict(default.settings_dict)
        if default.vendor == "postgresql":
            down.update(HOST="127.0.0.1", PORT=free_port(), OPTIONS={"connect_timeout": 1})
        else:  # SQLite cannot open a file in a folder that does not exist
            down.update(NAME=str(Path(tempfile.mkdtemp()) / "missing" / "db.sqlite3"))
        database = type(default)(down, alias="down")
        self.addCleanup(database.close)

        worker.connect(database)

        self.assertIsNone(database.connection)
