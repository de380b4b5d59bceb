"""Browser tests: Playwright for Python driving Debian's chromium against a live server with the
seeded, partly translated content (tests/browser/content.py).

Fixtures for tests in this directory (mark them `pytestmark = pytest.mark.browser`):
- `live_site`: the running server and its content, built once per session (`LiveSite`);
- `browser`: one chromium per session; `page`: a fresh context and page per test;
- every test here may use the ORM (it is marked django_db; see pytest_collection_modifyitems).

The browser tests run last: their content is committed once for the whole session, so no other
test may run after it. Without chromium, axe-core or Playwright they are skipped with one line
saying why, except in CI (CI=true), where they fail.
"""

import os
import time
from dataclasses import dataclass
from importlib.util import find_spec

import pytest

from .axe import AXE_JS, axe_summary_lines
from .content import live_translation

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright adds --headless itself. Without the networking switches chromium phones home
# (updates, sync, field trials), which is refused on build machines and only slows it down.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTS = {"mhmp": "mhmp.localhost", "icp": "icp.localhost"}  # chromium resolves *.localhost
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing_dependency():
    """Why the browser tests cannot run here, or None."""
    if find_spec("playwright") is None:
        return "Playwright for Python is not installed (make install)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no chromium at {CHROMIUM} (scripts/browser-deps.sh installs Debian's, as root)"
    if not AXE_JS.is_file():
        return "axe-core is not installed (scripts/browser-deps.sh runs npm ci)"
    return None


_skipped = {}
_timings = {}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    others = [item for item in items if not item.get_closest_marker("browser")]
    items[:] = others + browser_items
    for item in browser_items:
        # The ORM in the test (e.g. to find a page's address), inside a transaction that is
        # rolled back: only on SQLite does the server (sharing the connection) see a test's
        # own changes, so content the browser must see belongs in content.py.
        item.add_marker(pytest.mark.django_db)
    reason = missing_dependency()
    if reason and not IN_CI:  # in CI the `browser` fixture fails instead
        _skipped.update(reason=reason, count=len(browser_items))
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(
            f"{_skipped['count']} browser tests skipped: {_skipped['reason']}", yellow=True
        )
    if _timings:
        terminalreporter.write_line(
            f"browser tests' content (seed + en/uk translations) built in "
            f"{_timings['content']:.1f} s"
        )
    for line in axe_summary_lines():
        terminalreporter.write_line(line)


@dataclass
class LiveSite:
    """The live server and addresses on it."""

    port: int

    def origin(self, site="mhmp"):
        return f"http://{HOSTS[site]}:{self.port}"

    def url(self, page, language=None):
        """The address of `page` (a Czech source page) in `language`: its live translation's, or
        else the same address under /<language>/ (what a visitor gets by changing the prefix)."""
        source_url = page.get_full_url()
        if language is None or language == page.locale.language_code:
            return source_url
        translation = live_translation(page, language)
        if translation is not None:
            return translation.get_full_url()
        prefix = f":{self.port}/{page.locale.language_code}/"
        return source_url.replace(prefix, f":{self.port}/{language}/", 1)


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    from . import content

    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1:0")
        started = time.perf_counter()
        content.load(server.thread.port)
        _timings["content"] = time.perf_counter() - started
        yield LiveSite(port=server.thread.port)
        server.stop()


@pytest.fixture(scope="session")
def browser():
    reason = missing_dependency()
    if reason:
        pytest.fail(f"browser tests cannot run: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would refuse the
    # tests' ORM calls as "async" without this. The live server runs in its own thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_site):
    """A page in a fresh browser context (no cookies or storage from other tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    # The sites have no favicon; answer chromium's automatic request instead of logging a 404.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    yield context.new_page()
    context.close()
