"""Small builders for tests that need their own pages (independent of the seed)."""

import datetime

from wagtail.models import Locale, Page, Site

from home.models import HomePage
from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage


def publish(parent, page):
    page.locale = parent.locale
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


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
