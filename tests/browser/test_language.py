"""A foreign visitor in a real browser: they reach their language from any page of either site,
stay in it while they click around, and a page not translated yet keeps the site's chrome in their
language with the untranslated part marked with its own `lang`."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from wagtail.models import Site

from concept.models import ConceptPage
from platforms.models import PlatformPage

pytestmark = pytest.mark.browser


def czech(model):
    return model.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)


def language_of_path(url):
    return urlsplit(url).path.split("/")[1]


def switch_to(page, name):
    page.locator(".language-switcher__nav").get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("site", ["mhmp", "icp"])
def test_a_visitor_switches_language_and_stays_in_it(page, live_site, site):
    page.goto(live_site.origin(site) + "/cs/")
    switcher = page.locator(".language-switcher__nav")
    for name in ("Čeština", "English", "Українська"):
        assert switcher.get_by_role("link", name=name).count() == 1, name

    switch_to(page, "Українська")
    assert language_of_path(page.url) == "uk"
    assert page.locator("html").get_attribute("lang") == "uk"

    # One click further through the main menu: still in Ukrainian.
    page.locator(".main-nav a").first.click()
    page.wait_for_load_state()
    assert language_of_path(page.url) == "uk"
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator(".main-nav").get_attribute("aria-label") == "Головне меню"

    switch_to(page, "Čeština")
    assert language_of_path(page.url) == "cs"
    assert page.locator("html").get_attribute("lang") == "cs"


def test_switching_to_a_translation_lands_on_it(page, live_site):
    platform = czech(PlatformPage).get(slug="regionalni-poradni-platforma")
    page.goto(live_site.url(platform))
    switch_to(page, "English")
    assert page.url == live_site.url(platform, "en")
    assert page.locator("h1").inner_text().startswith("EN ")
    assert page.locator(".language-fallback").count() == 0


def test_a_fallback_page_has_the_visitors_chrome_and_marks_the_czech_part(page, live_site):
    concept = czech(ConceptPage).get()
    page.goto(live_site.url(concept, "en"))
    assert page.locator("html").get_attribute("lang") == "en"
    header = page.locator("header.page-header")
    assert header.get_attribute("lang") == "cs"
    notice = header.locator(".language-fallback")
    assert notice.get_attribute("lang") == "en"
    assert "not been translated yet" in notice.inner_text()
    assert header.locator("h1").inner_text() == concept.title
    assert page.locator(".skip-link").inner_text() == "Skip to content"
    # The switcher marks the untranslated language, and every menu and breadcrumb link stays
    # in English.
    english = page.locator('.language-switcher__nav a[lang="en"]')
    assert english.get_attribute("aria-current") == "true"
    links = page.locator(".main-nav a, .breadcrumbs a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert links and all(language_of_path(href) == "en" for href in links), links


def test_the_icp_site_in_ukrainian_links_its_meetings_in_ukrainian(page, live_site):
    icp_home = Site.objects.get(hostname="icp.localhost").root_page
    page.goto(live_site.url(icp_home, "uk"))
    page.locator(".main-nav a").first.click()
    page.wait_for_load_state()
    meeting_link = page.locator(".meeting-list__title").first
    meeting_link.click()
    page.wait_for_load_state()
    assert language_of_path(page.url) == "uk"
    assert urlsplit(page.url).hostname == "icp.localhost"
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("h1").count() == 1
