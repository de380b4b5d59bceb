"""Issue 10: with the Content-Security-Policy in force, a real browser reports no violation on
the public sites (cs and uk), the API docs, the admin login, the dashboard and the page editor,
and what the visitor or editor needs still works (styles, Swagger's operations, the editor)."""

import pytest
from django.contrib.auth import get_user_model

from platforms.models import MeetingPage, PlatformPage

pytestmark = pytest.mark.browser

BRAND_RED = "rgb(160, 13, 28)"  # --brand in static/css/site.css
EDITOR = ("csp-editor", "csp-editor-heslo-9", "csp-editor@example.org")  # name, password, e-mail
# Runs in every document before its own scripts; Playwright's injection is not subject to CSP.
LISTEN = """document.addEventListener('securitypolicyviolation', e => window.cspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.documentURI}`))"""


@pytest.fixture(scope="module")
def editor(live_site, django_db_blocker):
    """A superuser the live server sees (committed, as the browser tests' content is)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(EDITOR[0], EDITOR[2], EDITOR[1])
    yield user
    with django_db_blocker.unblock():
        user.delete()


@pytest.fixture
def violations(page):
    """Every CSP violation the page's documents report, from the event and the console."""
    found = []
    page.expose_function("cspViolation", lambda text: found.append(text))
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    return found


def settle(page):
    """Let the last violation reports arrive. Not "networkidle": the editor pings the server
    while it is open."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)


def rpp():
    return PlatformPage.objects.get(slug="regionalni-poradni-platforma", locale__language_code="cs")


@pytest.mark.parametrize("language", ["cs", "uk"])
def test_public_page(page, live_site, violations, language):
    page.goto(live_site.url(rpp(), language))
    assert page.locator("html").get_attribute("lang") == language
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == BRAND_RED
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_api_docs_list_the_operations(page, live_site, violations):
    page.goto(live_site.origin() + "/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/meetings/" in operations
    assert len(operations) >= 10
    assert violations == []


def test_admin_login_dashboard_and_page_editor(page, live_site, violations, editor):
    page.goto(live_site.origin() + "/admin/login/")
    page.fill("#id_username", EDITOR[0])
    page.fill("#id_password", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url(live_site.origin() + "/admin/")
    assert page.locator("[data-side-panel-toggle], #wagtail-sidebar").count() > 0
    settle(page)

    # The meeting editor: its date widget and programme (an inline panel) run inline scripts.
    meeting = MeetingPage.objects.child_of(rpp()).first()
    page.goto(live_site.origin() + f"/admin/pages/{meeting.pk}/edit/")
    assert page.locator("#id_title").input_value() == meeting.title
    page.click("#id_date")
    page.locator(".xdsoft_datetimepicker:visible").wait_for()  # the date picker opened
    programme_items = page.locator("#id_programme-TOTAL_FORMS")
    before = int(programme_items.input_value())
    page.click("#id_programme-ADD")
    assert int(programme_items.input_value()) == before + 1
    settle(page)

    page.goto(live_site.url(rpp()))  # the public page with the editor's userbar
    page.locator("wagtail-userbar").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert violations == []
