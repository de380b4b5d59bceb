"""Small builders for tests that need their own pages (independent of the seed)."""

import datetime
import html
import re
import socket
from urllib.parse import urlsplit

from django.core.management import call_command
from django.db import connections
from django.test import TransactionTestCase
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage


def publish(parent, page):
    page.locale = parent.locale
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


SITEMAP_SECTION = re.compile(r"<sitemap><loc>([^<]+)</loc>")


def sitemap_xml(client, host):
    """A site's whole sitemap as one string: every section its index (/sitemap.xml) lists,
    each fetched (a 200 on the same host) and appended."""
    index = client.get("/sitemap.xml", HTTP_HOST=host)
    assert index.status_code == 200, index.status_code
    sections = []
    for location in SITEMAP_SECTION.findall(index.content.decode()):
        url = urlsplit(html.unescape(location))
        assert url.netloc == host, location
        response = client.get(f"{url.path}?{url.query}", HTTP_HOST=host)
        assert response.status_code == 200, (location, response.status_code)
        sections.append(response.content.decode())
    assert sections, "no section in the index"
    return "".join(sections)


def make_site(slug="test", hostname="test.localhost", default=False):
    locale = Locale.objects.get(language_code="cs")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title=f"Home {slug}", slug=slug, locale=locale))
    home.save_revision().publish()
    Site.objects.create(hostname=hostname, port=80, root_page=home, is_default_site=default)
    return home


def make_platform(home, title="Test platform", slug="test-platform"):
    index = publish(home, PlatformIndexPage(title="Platforms", slug=f"{slug}-index"))
    return publish(index, PlatformPage(title=title, slug=slug, kind="advisory_platform"))


def make_meeting(platform, date, start=None, end=None, **fields):
    fields.setdefault("title", f"Meeting {date}")
    fields.setdefault("slug", f"meeting-{date}-{start or 'x'}".replace(":", ""))
    return publish(
        platform,
        MeetingPage(
            date=date,
            start_time=datetime.time.fromisoformat(start) if start else None,
            end_time=datetime.time.fromisoformat(end) if end else None,
            **fields,
        ),
    )


class CommittedTestCase(TransactionTestCase):
    """A test whose writes are committed for real (a worker, concurrent connections, pg_dump, a
    killed backend). It starts from the migrated state whatever an earlier test committed, and
    leaves the data made by migrations (locales, the root page, workflow tasks, groups) behind for
    the tests after it: the browser tests seed a database that must look freshly migrated."""

    serialized_rollback = True

    @classmethod
    def _fixture_setup(cls):
        for alias in cls._databases_names(include_mirrors=False):
            _flush(alias)
        super()._fixture_setup()  # loads the migrated state (serialized_rollback)

    def _fixture_teardown(self):
        super()._fixture_teardown()
        for alias in self._databases_names(include_mirrors=False):
            creation = connections[alias].creation
            creation.deserialize_db_from_string(connections[alias]._test_serialized_contents)


def _flush(alias):
    # Sequences are not reset: rows loaded with their own ids don't advance them, and a reset
    # sequence would hand out those ids again (PostgreSQL).
    call_command(
        "flush", interactive=False, database=alias, reset_sequences=False, inhibit_post_migrate=True
    )


def free_port():
    """A loopback port nobody listens on (now): for a server to start, or a service that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
