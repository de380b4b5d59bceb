"""Seed content of the site level: locales, the two sites and their home pages, the actors.

Only what the seed pages and shared/data say; everything else is left for editors. Each step
creates what is missing and leaves what exists (editors' changes survive a re-run).
"""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .models import AccessibilityStatementPage, HomePage, Organisation, SiteSettings

MHMP = "mhmp"
ICP = "icp"
SITES = {
    MHMP: {
        "title": "Integrace cizinců",
        "hostname": "mhmp.localhost",
        "site_name": "Magistrát hl. m. Prahy – integrace cizinců",
        "organisation_name": "Magistrát hlavního města Prahy",
        "default": True,
    },
    ICP: {
        "title": "Integrační centrum Praha",
        "hostname": "icp.localhost",
        "site_name": "Integrační centrum Praha",
        "organisation_name": "Integrační centrum Praha, o. p. s.",
        "default": False,
    },
}

Category = Organisation.Category
DISTRICTS = [f"Praha {n}" for n in range(1, 23)] + ["Praha-Libuš"]
ORGANISATIONS = [
    # (name, short name, category) — as named in the seed pages and shared/data
    ("Magistrát hlavního města Prahy", "MHMP", Category.CITY),
    ("oddělení národnostních menšin a cizinců MHMP", "odd. NMC", Category.CITY_DEPARTMENT),
    ("odbor školství a mládeže MHMP", "", Category.CITY_DEPARTMENT),
    ("Integrační centrum Praha, o. p. s.", "ICP", Category.NGO),
    ("Ministerstvo vnitra České republiky", "MV ČR", Category.STATE_BODY),
] + [(name, "", Category.CITY_DISTRICT) for name in DISTRICTS]


def source_locale():
    return Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]


def ensure_locales():
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def organisation(name):
    return Organisation.objects.get(locale=source_locale(), name=name)


def published_snippet(model, defaults, **lookup):
    """(snippet, created): the Czech snippet matching `lookup`, or a new one published as an
    editor would (a revision, publishing times), so readers see it. An existing one is left
    as it is, drafts included."""
    obj = model.objects.filter(locale=source_locale(), **lookup).first()
    if obj is not None:
        return obj, False
    obj = model(locale=source_locale(), live=False, **lookup, **defaults)
    obj.save()
    obj.save_revision().publish()
    return obj, True


def home_page(key):
    return HomePage.objects.get(locale=source_locale(), slug=key)


def create_page(parent, page):
    """Add `page` under `parent` unless a page with its slug is there; publish it."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific, False
    page.locale = parent.locale
    page.show_in_menus = isinstance(parent.specific, HomePage)  # site sections form the menu
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _remove_wagtail_welcome_page():
    """Wagtail's initial migration leaves a placeholder page and site; ours replace them."""
    for page in Page.objects.filter(depth=2, content_type__model="page", slug="home"):
        Site.objects.filter(root_page=page).delete()
        page.delete()


def _ensure_sites(stats, port):
    root = Page.get_first_root_node()
    for key, spec in SITES.items():
        home, created = create_page(root, HomePage(title=spec["title"], slug=key))
        stats["pages"] += created
        site = Site.objects.filter(root_page=home).first()
        if site is None:
            site = Site.objects.create(
                hostname=spec["hostname"],
                port=port,
                root_page=home,
                site_name=spec["site_name"],
                is_default_site=spec["default"],
            )
            stats["sites"] += 1
        site_settings = SiteSettings.for_site(site)
        if not site_settings.organisation_name:
            site_settings.organisation_name = spec["organisation_name"]
            site_settings.save()


def _ensure_accessibility_statements(stats):
    """An empty draft statement under each site's Czech home: the facts it states (status,
    dates, contacts, the supervisory authority) are official, so editors fill them in and
    publish it; the footer links to it only then."""
    for key in SITES:
        home = home_page(key)
        if AccessibilityStatementPage.objects.child_of(home).exists():
            continue
        page = AccessibilityStatementPage(
            title="Prohlášení o přístupnosti", slug="prohlaseni-o-pristupnosti", live=False
        )
        page.locale = home.locale
        home.add_child(instance=page)
        page.save_revision()
        stats["pages"] += 1


def _ensure_organisations(stats):
    for name, short_name, category in ORGANISATIONS:
        _obj, created = published_snippet(
            Organisation, {"short_name": short_name, "category": category}, name=name
        )
        stats["organisations"] += created


def load(stats, site_port=80, **options):
    ensure_locales()
    _remove_wagtail_welcome_page()
    _ensure_sites(stats, site_port)
    _ensure_accessibility_statements(stats)
    _ensure_organisations(stats)
