"""axe-core finds no WCAG 2.1 A/AA violation on any page template, in any content language.

Each template is checked in cs, en and uk: at its translation's address where one is live,
otherwise at the untranslated page's /en/… or /uk/… address. The per-language totals are printed
at the end of the run ("axe WCAG 2.1 A/AA [uk]: …")."""

import pytest
from django.conf import settings
from wagtail.models import Site

from concept.models import ActionPlanPage, AreaPage, ConceptPage, PriorityPage, RecommendationPage
from home.models import ContentPage
from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage, SharedPlatformPage

from .axe import describe, record, run_axe
from .content import live_translation

pytestmark = pytest.mark.browser


def czech(model):
    return model.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)


def rpp():
    return czech(PlatformPage).get(slug="regionalni-poradni-platforma")


def template_pages():
    """(template, Czech source page) for every page type."""
    return [
        ("MHMP home", Site.objects.get(hostname="mhmp.localhost").root_page.specific),
        ("ICP home", Site.objects.get(hostname="icp.localhost").root_page.specific),
        ("content page", czech(ContentPage).first()),
        ("platform index", czech(PlatformIndexPage).first()),
        ("platform", rpp()),
        ("meeting", czech(MeetingPage).child_of(rpp()).order_by("-date").first()),
        ("ICP Síťování", czech(SharedPlatformPage).first()),
        ("Concept", czech(ConceptPage).first()),
        ("priority", czech(PriorityPage).first()),
        ("area", czech(AreaPage).first()),
        ("recommendation", czech(RecommendationPage).first()),
        ("action plan", czech(ActionPlanPage).first()),
    ]


def addresses(live_site, language):
    """(template, URL) of every template in `language`, the ICP meeting route and a 404."""
    pages = dict(template_pages())
    for name, page in pages.items():
        yield name, live_site.url(page, language)
    # The route lists the meetings in the language of the Síťování page it is served by.
    networking, meeting = pages["ICP Síťování"], pages["meeting"]
    served = live_translation(networking, language) or networking
    meeting = live_translation(meeting, served.locale.language_code) or meeting
    route = live_site.url(networking, language)
    yield "ICP meeting route", f"{route}setkani/{meeting.pk}/"
    yield "404", f"{live_site.origin()}/{language}/tato-stranka-neexistuje/"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_template_has_no_wcag_21_aa_violations(page, live_site, language):
    problems = []
    for name, url in addresses(live_site, language):
        response = page.goto(url)
        if response.status >= 500:
            problems.append(f"{name} {url}: HTTP {response.status}")
        violations = run_axe(page)
        record(language, url, response.status, violations)
        problems += [f"{name} {url}: {line}" for line in describe(violations)]
    assert problems == []


def test_axe_reports_what_it_finds(page):
    # The checks above pass only if axe runs and sees problems where there are some.
    page.set_content(
        '<html><body><main><img src="x.png"><p style="color:#ccc;background:#fff">pale</p>'
        "</main></body></html>"
    )
    ids = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= ids
