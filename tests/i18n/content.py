"""Small Czech content trees for the translation tests (the seed loader is not needed)."""

import datetime
import re
from pathlib import Path

import polib
from wagtail.models import Locale, Page, Site

from home.models import HomePage, Person
from platforms.models import (
    AgendaItem,
    MeetingPage,
    PlatformContact,
    PlatformIndexPage,
    PlatformPage,
    Venue,
)


def locale(code):
    return Locale.objects.get(language_code=code)


def publish(page):
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def build_site():
    """MHMP home → Poradní platformy → a platform with a contact → two meetings with programmes."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Praha", slug="mhmp", intro="<p>Vítejte</p>"))
    Site.objects.create(hostname="mhmp.localhost", root_page=home, is_default_site=True)
    index = home.add_child(
        instance=PlatformIndexPage(title="Poradní platformy", slug="poradni-platformy")
    )
    venue = Venue.objects.create(
        name="Sál architektů", address="Staroměstská radnice", room="2. patro"
    )
    person = Person.objects.create(name="Jana Nováková", role="koordinátorka", email="j@ex.org")
    platform = PlatformPage(
        title="Regionální poradní platforma",
        slug="regionalni-platforma",
        kind=PlatformPage.Kind.ADVISORY_PLATFORM,
        summary="Platforma pro spolupráci s městskými částmi.",
        description="<p>Platforma sdružuje aktéry integrace.</p><p>Schází se čtyřikrát ročně.</p>",
        usual_venue=venue,
    )
    platform.contacts = [PlatformContact(person=person, role="kontakt pro veřejnost")]
    index.add_child(instance=platform)
    meetings = []
    for day, topic in ((23, "SWOT analýza integrace cizinců v Praze"), (24, "Plán na rok 2021")):
        meeting = MeetingPage(
            title=f"Setkání {day}. 6. 2020",
            slug=f"setkani-2020-06-{day}",
            date=datetime.date(2020, 6, day),
            start_time=datetime.time(13),
            end_time=datetime.time(16),
            venue=venue,
            topic=topic,
        )
        meeting.programme = [AgendaItem(title="Úvodní slovo", presenter="ICP")]
        platform.add_child(instance=meeting)
        meetings.append(meeting)
    for page in (home, index, platform, *meetings):
        publish(page)
    return {
        "home": HomePage.objects.get(pk=home.pk),
        "index": PlatformIndexPage.objects.get(pk=index.pk),
        "platform": PlatformPage.objects.get(pk=platform.pk),
        "meetings": [MeetingPage.objects.get(pk=m.pk) for m in meetings],
        "venue": venue,
        "person": person,
    }


def ukrainian(text):
    """A recognisable 'translation': the Czech text tagged, markup kept."""
    return re.sub(r"(^|>)([^<]+)", lambda m: f"{m.group(1)}УК {m.group(2)}", text)


def fill_po_dir(directory, translate=ukrainian, only=None):
    """Fill every empty msgstr of the PO files in `directory` (or only those msgids in `only`)."""
    for path in Path(directory).glob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete or (only is not None and entry.msgid not in only):
                continue
            if not entry.msgstr or only is not None:
                entry.msgstr = translate(entry.msgid)
        po.save(str(path))


def filled_uploads(archive, translate=ukrainian):
    """An agency's answer to an exported ZIP: every file with each `msgstr` filled, as uploads
    for the admin's import form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = []
    for name in archive.namelist():
        po = polib.pofile(archive.read(name).decode())
        for entry in po:
            entry.msgstr = translate(entry.msgid)
        files.append(SimpleUploadedFile(name, str(po).encode()))
    return files
