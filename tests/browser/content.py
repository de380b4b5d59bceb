"""The browser tests' content: the real seed, partly translated into English and Ukrainian through
the agency route (PO export, every text segment filled, import with --publish), so that each
language has translated and untranslated pages."""

import datetime
import re
from io import StringIO

import polib
from django.core.management import call_command
from wagtail.models import Locale, Site

from concept.models import (
    ActionPlanItem,
    ActionPlanPage,
    ConceptPage,
    Measure,
    RecommendationPage,
)
from home.models import ContentPage, Organisation
from home.translation.po import export_translations, import_translations
from platforms.models import PlatformPage, SharedPlatformPage

# Recognisable stand-ins for a translator's work (never passed off as real translations).
MARKERS = {"en": "EN", "uk": "УК"}


def load(port):
    """Seed both sites on `port`, add one test content page, translate part of the content."""
    call_command("load_seed_content", site_port=port, stdout=StringIO())
    Site.objects.update(port=port)
    add_test_pages()

    rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma", locale__language_code="cs")
    networking = SharedPlatformPage.objects.get(locale__language_code="cs")
    first_recommendation = RecommendationPage.objects.filter(locale__language_code="cs").first()
    # English: the platform with its meetings and the ICP "Síťování" page; the Concept stays Czech.
    translate("en", [(rpp, True), (networking, False)])
    # Ukrainian: the platform with its meetings and one recommendation (its Concept, priority and
    # area come along as its untranslated ancestors); the action plan and other platforms do not.
    translate("uk", [(rpp, True), (first_recommendation, False)])


def add_test_pages():
    """The page types the seed has no real content for, with obviously-test text."""
    mhmp_home = Site.objects.get(hostname="mhmp.localhost").root_page.specific
    publish(mhmp_home, ContentPage(title="Testovací textová stránka", slug="test-stranka"))
    plan = ActionPlanPage(title="Testovací akční plán", slug="test-akcni-plan", year=2099)
    plan.items = [
        ActionPlanItem(
            measure=Measure.objects.filter(locale__language_code="cs").first(),
            responsible=Organisation.objects.filter(locale__language_code="cs").first(),
            deadline=datetime.date(2099, 12, 31),
            status=ActionPlanItem.Status.IN_PROGRESS,
            note="Testovací položka",
        )
    ]
    publish(ConceptPage.objects.get(locale__language_code="cs"), plan)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()


def translate(language, roots):
    """Export the PO files of `roots` [(page, with_subtree)], fill every text segment (slugs keep
    the Czech value), import and publish."""
    locale = Locale.objects.get(language_code=language)
    files = []
    for page, subtree in roots:
        files += export_translations(locale, [page], include_subtree=subtree)
    named = {f.name: fill(f.content, MARKERS[language]) for f in files}
    import_translations(sorted(named.items()), locale, publish=True)


def fill(po_text, marker):
    po = polib.pofile(po_text)
    for entry in po:
        if entry.msgctxt != "slug":
            entry.msgstr = tagged(entry.msgid, marker)
    return str(po)


def tagged(text, marker):
    """The source text with `marker` before each run of text; markup kept."""
    return re.sub(r"(^|>)([^<]+)", lambda m: f"{m.group(1)}{marker} {m.group(2)}", text)


def live_translation(page, language):
    """The live translation of `page` in `language`, or None."""
    translation = page.get_translation_or_none(Locale.objects.get(language_code=language))
    return translation if translation is not None and translation.live else None
