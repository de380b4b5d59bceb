"""Seed content of the site level: locales, the two sites and their home pages, the actors.

Only what the seed pages and shared/data say; everything else is left for editors. Each step
creates what is missing and leaves what exists (editors' changes survive a re-run).
"""

import csv
import json
import uuid
from pathlib import Path

from django.conf import settings
from wagtail.models import Locale, Page, Site

from .models import AccessibilityStatementPage, HomePage, Organisation, SiteSettings

SEED_DATA = Path(__file__).parent / "seed_data"
with open(SEED_DATA / "sites.json", encoding="utf-8") as _handle:
    _SITES_DATA = json.load(_handle)
# The two sites, keyed by the slug of their Czech home page (seed_data/sites.json).
SITES = _SITES_DATA["sites"]
MHMP = "mhmp"
ICP = "icp"

ORGANISATIONS_CSV = SEED_DATA / "organisations.csv"
# Seeded organisations get a translation_key derived from their key in the CSV: a renamed
# organisation is still found (and not created again) by the next run.
SEED_NAMESPACE = uuid.UUID("6f1b7e52-3f8a-4c1e-9a57-2d1c0e7b9a10")


def organisation_rows():
    """(key, name, short name, category) as named in the seed pages and shared/data."""
    with open(ORGANISATIONS_CSV, encoding="utf-8") as handle:
        return [
            (row["key"], row["name"], row["short_name"], row["category"])
            for row in csv.DictReader(handle)
        ]


def seed_translation_key(kind, key):
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}:{key}")


def source_locale():
    return Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]


def ensure_locales():
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def organisation(name):
    """The seeded organisation first named `name`, wherever editors renamed it since."""
    key = next((k for k, n, _s, _c in organisation_rows() if n == name), None)
    found = Organisation.objects.filter(locale=source_locale())
    if key is not None:
        by_key = found.filter(translation_key=seed_translation_key("organisation", key)).first()
        if by_key is not None:
            return by_key
    return found.get(name=name)


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
        spec = _SITES_DATA["accessibility_statement"]
        page = AccessibilityStatementPage(title=spec["title"], slug=spec["slug"], live=False)
        page.locale = home.locale
        home.add_child(instance=page)
        page.save_revision()
        stats["pages"] += 1


def _ensure_organisations(stats):
    """Each organisation of the CSV once: found by its seed key (a renamed one too), or, for
    databases seeded before the keys, by its name; created and published otherwise."""
    existing = Organisation.objects.filter(locale=source_locale())
    for key, name, short_name, category in organisation_rows():
        translation_key = seed_translation_key("organisation", key)
        if existing.filter(translation_key=translation_key).exists():
            continue
        if existing.filter(name=name).exists():
            continue
        obj = Organisation(
            locale=source_locale(),
            translation_key=translation_key,
            name=name,
            short_name=short_name,
            category=category,
            live=False,
        )
        obj.save()
        obj.save_revision().publish()
        stats["organisations"] += 1


def load(stats, site_port=80, **options):
    ensure_locales()
    _remove_wagtail_welcome_page()
    _ensure_sites(stats, site_port)
    _ensure_accessibility_statements(stats)
    _ensure_organisations(stats)
