"""Backup and restore give the same site: every /api/v1/ list (all pages, every language) and
the calendar answer byte-identical bodies and ETags before `manage.py backup` and after
`manage.py restore` into a fresh database (issue 10: measures had no stable order, and a
pg_dump + restore swapped 1.A.4.I and 1.A.4.II and changed 12 ETags)."""

import sqlite3
import tempfile
import time
import unittest
from contextlib import closing
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from django.test import Client, TestCase

from concept.models import Measure
from tests.utils import CommittedTestCase

LANGUAGES = ("cs", "en", "uk")
ON_POSTGRESQL = connection.vendor == "postgresql"


def local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def list_endpoints(client):
    """Every resource the API root announces, plus the calendar (not the schema and docs)."""
    root = client.get("/api/v1/").json()
    # Search answers only a query (its hits come from the same rows the lists show).
    skipped = ("schema", "docs", "search")
    return [local(url) for name, url in sorted(root.items()) if name not in skipped]


def capture(client):
    """{url: (body, ETag)} of every page of every list, in every language."""
    cache.clear()  # Wagtail's cached site roots must come from the database being captured
    bodies = {}
    for endpoint in list_endpoints(client):
        for language in LANGUAGES:
            url = f"{endpoint}?locale={language}"
            while url:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                bodies[url] = (response.content, response.headers["ETag"])
                is_json = response.headers["Content-Type"].startswith("application/json")
                url = local(response.json()["next"] or "") if is_json else ""
    return bodies


SCRAMBLED_TABLES = """
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND c.column_name = 'id' AND t.table_type = 'BASE TABLE'
      AND c.table_name ~ '^(home|platforms|concept|wagtailcore)_'
"""


def scramble_physical_order():
    """Rewrite every row, last id first, as edits do over a site's life. With room left in each
    page the new row versions stay on their page (HOT updates): a sequential scan then meets the
    rows in reverse, while the indexes still find them in the old order. pg_dump writes the
    scan order, so whatever depended on either order changes in the restored database."""
    with connection.cursor() as cursor:
        cursor.execute(SCRAMBLED_TABLES)
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" SET (fillfactor = 50)')
            cursor.execute(f'VACUUM FULL "{table}"')  # room for the new versions on each page
            # One UPDATE per row, last id first (a single UPDATE would keep the scan order).
            cursor.execute(
                f"""
                DO $$
                DECLARE i bigint;
                BEGIN
                  FOR i IN SELECT id FROM "{table}" ORDER BY id DESC LOOP
                    UPDATE "{table}" SET id = id WHERE id = i;
                  END LOOP;
                END $$;
                """
            )
        cursor.execute("ANALYZE")


@unittest.skipUnless(
    ON_POSTGRESQL,
    "pg_dump/pg_restore round trip: runs on PostgreSQL (DATABASE_URL=postgres://…); "
    "the SQLite backup is a page copy of the file",
)
class BackupRestoreTests(CommittedTestCase):
    def setUp(self):
        call_command("load_seed_content", stdout=StringIO())
        self.restored = f"{connection.settings_dict['NAME']}_restored"
        self.original = connection.settings_dict["NAME"]

    def tearDown(self):
        self.use_database(self.original)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.restored}"')

    def use_database(self, name):
        connection.close()
        connection.settings_dict["NAME"] = name

    def test_restored_database_serves_identical_lists(self):
        started = time.monotonic()
        client = Client()
        seeded = capture(client)
        scramble_physical_order()  # rewrites rows with the same values: no content change
        scrambled = capture(client)
        with tempfile.TemporaryDirectory() as workdir:
            archive = Path(workdir) / "site.tar"
            call_command("backup", output=str(archive), no_media=True, stdout=StringIO())
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.restored}"')
                cursor.execute(f'CREATE DATABASE "{self.restored}"')
            self.use_database(self.restored)
            call_command("restore", str(archive), no_media=True, stdout=StringIO())
        restored = capture(client)

        self.assertEqual(sorted(seeded), sorted(restored))
        endpoints = {url.split("?")[0] for url in seeded}
        moved = [url for url in seeded if seeded[url] != scrambled[url]]
        changed = [url for url in seeded if seeded[url] != restored[url]]
        print(
            f"\nbackup/restore: {len(endpoints)} endpoints × {len(LANGUAGES)} languages "
            f"({len(seeded)} responses, every page of every list) compared; differ after "
            f"rewriting the rows: {len(moved)}, after dump + restore: {len(changed)} "
            f"({time.monotonic() - started:.1f} s)"
        )
        self.assertEqual(moved, [], "bodies or ETags depend on the physical row order")
        self.assertEqual(changed, [], "bodies or ETags changed by backup + restore")

    def test_measures_keep_their_numbering_order_after_restore(self):
        """The reproduction: 1.A.4.I before 1.A.4.II, in the tree and in the lists."""
        scramble_physical_order()
        with tempfile.TemporaryDirectory() as workdir:
            archive = Path(workdir) / "site.tar"
            call_command("backup", output=str(archive), no_media=True, stdout=StringIO())
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.restored}"')
            self.use_database(self.restored)
            call_command("restore", str(archive), no_media=True, stdout=StringIO())
        self.assertEqual(
            list(Measure.objects.filter(code__startswith="1.A.4.").values_list("code", flat=True)),
            ["1.A.4.I", "1.A.4.II"],
        )
        recommendations = Client().get("/api/v1/recommendations/?area=1.A&limit=100").json()
        rec = next(r for r in recommendations["results"] if r["code"] == "1.A.4")
        self.assertEqual([m["code"] for m in rec["measures"]], ["1.A.4.I", "1.A.4.II"])
        concept = Client().get("/api/v1/concepts/").json()["results"][0]
        tree = Client().get(f"/api/v1/concepts/{concept['id']}/").json()
        area = tree["priorities"][0]["areas"][0]
        rec = next(r for r in area["recommendations"] if r["code"] == "1.A.4")
        self.assertEqual([m["code"] for m in rec["measures"]], ["1.A.4.I", "1.A.4.II"])


class SqliteBackupTests(TestCase):
    """The SQLite path on a real database file (the test database itself is in memory)."""

    def setUp(self):
        workdir = tempfile.TemporaryDirectory()
        self.addCleanup(workdir.cleanup)
        self.dir = Path(workdir.name)
        self.path = self.dir / "site.sqlite3"
        with sqlite3.connect(self.path) as db:
            db.execute(
                "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)"
            )
            db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text)")
            db.execute("INSERT INTO note (text) VALUES ('před zálohou')")
        db.close()
        settings = {
            **connections.settings["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {},  # the default's are PostgreSQL's when the suite runs on it (jit=off)
        }
        connections["backup_test"] = SqliteWrapper(
            {**settings, "NAME": str(self.path)}, alias="backup_test"
        )
        self.addCleanup(self.forget_connection)

    def forget_connection(self):
        connections["backup_test"].close()
        del connections["backup_test"]

    def notes(self):
        with closing(sqlite3.connect(self.path)) as db:
            return [row[0] for row in db.execute("SELECT text FROM note ORDER BY id")]

    def test_round_trip_and_refusals(self):
        archive = self.dir / "backup.tar"
        call_command(
            "backup", output=str(archive), database="backup_test", no_media=True, stdout=StringIO()
        )
        with closing(sqlite3.connect(self.path)) as db, db:
            db.execute("UPDATE note SET text = 'po záloze'")
        self.assertEqual(self.notes(), ["po záloze"])
        call_command(
            "restore", str(archive), database="backup_test", no_media=True, stdout=StringIO()
        )
        self.assertEqual(self.notes(), ["před zálohou"])

        not_a_backup = self.dir / "x.tar"
        not_a_backup.write_bytes(b"hello")
        for path, message in (
            (not_a_backup, "not a backup archive"),
            (self.dir / "no", "No backup"),
        ):
            with self.subTest(message), self.assertRaisesMessage(CommandError, message):
                call_command("restore", str(path), database="backup_test", stdout=StringIO())
        self.assertEqual(self.notes(), ["před zálohou"])
