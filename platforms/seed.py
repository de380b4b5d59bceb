"""Seed content of the advisory platforms: the four bodies with their seed texts, venues,
contacts, the ICP "Síťování" page and the real meetings. Every text and fact is read from
seed_data/platforms.json (the seed pages) and seed_data/meetings.csv (shared/data), where an
editor can read and correct it; this module only turns them into pages and snippets."""

import csv
import datetime
import json
from functools import cache
from pathlib import Path

from home.models import Organisation, Person
from home.seed import (
    ICP,
    MHMP,
    create_page,
    home_page,
    organisation,
    published_snippet,
    source_locale,
)

from .models import (
    AgendaItem,
    MeetingPage,
    PlatformContact,
    PlatformDocument,
    PlatformIndexPage,
    PlatformPage,
    SharedPlatformContact,
    SharedPlatformPage,
    Venue,
)

SEED_DATA = Path(__file__).parent / "seed_data"
PLATFORMS_JSON = SEED_DATA / "platforms.json"
MEETINGS_CSV = SEED_DATA / "meetings.csv"


@cache
def seed_data():
    with open(PLATFORMS_JSON, encoding="utf-8") as handle:
        return json.load(handle)


def paragraphs(texts):
    return "".join(f"<p>{text}</p>" for text in texts)


def _page_fields(spec):
    """A platform's page fields from its data: `x_paragraphs` lists become the rich text `x`,
    ISO dates become dates; `_comment` keys are notes for editors."""
    fields = {}
    for key, value in spec.items():
        if key.startswith("_"):
            continue
        if key.endswith("_paragraphs"):
            fields[key.removesuffix("_paragraphs")] = paragraphs(value)
        elif key == "established_on":
            fields[key] = datetime.date.fromisoformat(value)
        else:
            fields[key] = value
    return fields


def venue(key, stats):
    """The seeded venue named by its key in the data (None for no key)."""
    if not key:
        return None
    spec = dict(seed_data()["venues"][key])
    obj, created = published_snippet(Venue, spec, name=spec.pop("name"))
    stats["venues"] += created
    return obj


def person(contact, stats):
    defaults = {
        "role": contact["role"],
        "email": contact["email"],
        "organisation": organisation(seed_data()["contacts_organisation"]),
    }
    obj, created = published_snippet(Person, defaults, name=contact["name"])
    stats["people"] += created
    return obj


def _platform(index, spec, stats):
    fields = _page_fields(spec)
    contacts = fields.pop("contacts", [])
    documents = fields.pop("documents", [])
    members = fields.pop("members", None)
    if "coordinator" in fields:
        fields["coordinator"] = organisation(fields["coordinator"])
    if "usual_venue" in fields:
        fields["usual_venue"] = venue(fields["usual_venue"], stats)
    page = PlatformPage(**fields)
    for position, contact in enumerate(contacts):
        page.contacts.add(
            PlatformContact(
                person=person(contact, stats), role=contact["role"], sort_order=position
            )
        )
    for position, title in enumerate(documents):
        page.documents.add(PlatformDocument(title=title, sort_order=position))
    if members == "districts":
        page.members.set(
            Organisation.objects.filter(
                locale=source_locale(), category=Organisation.Category.CITY_DISTRICT
            )
        )
    page, created = create_page(index, page)
    stats["pages"] += created
    return page


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _meeting(platform, spec, stats, programme=None):
    fields = {
        "date": datetime.date.fromisoformat(spec["date"]),
        "start_time": _time(spec.get("start_time")),
        "end_time": _time(spec.get("end_time")),
        "venue": venue(spec.get("venue"), stats),
        "topic": spec.get("topic", ""),
    }
    if spec.get("number"):
        fields["number"] = spec["number"]
        title = f"{spec['number']}. setkání – {fields['date']:%-d. %-m. %Y}"
    else:
        title = f"Setkání {fields['date']:%-d. %-m. %Y}"
    if programme:
        fields["registration_deadline"] = datetime.date.fromisoformat(
            programme["registration_deadline"]
        )
    page = MeetingPage(title=title, slug=spec["date"], **fields)
    for position, item in enumerate(programme["items"] if programme else ()):
        page.programme.add(
            AgendaItem(
                sort_order=position,  # without it the order is the database's whim
                start_time=_time(item["start"]),
                end_time=_time(item["end"]),
                title=item["title"],
                presenter=item["presenter"],
            )
        )
    _page, created = create_page(platform, page)
    stats["meetings"] += created


def _csv_meetings():
    """(platform title, meeting data) of each row of meetings.csv."""
    platforms = seed_data()["meetings_csv_platforms"]
    hall = next(
        key
        for key, spec in seed_data()["venues"].items()
        if spec["name"].startswith("Sál architektů")
    )
    with open(MEETINGS_CSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield (
                platforms[row["platform"]],
                {
                    "date": row["date"],
                    "start_time": row["start"],
                    "end_time": row["end"],
                    "number": int(row["number"]) if row["number"] else None,
                    # Uncertain venues are left for editors; the hall of architects is one venue.
                    "venue": hall if row["venue"].startswith("Sál architektů") else None,
                    "topic": row["topic_cs"],
                },
            )


def _programme(title, number):
    return next(
        (
            programme
            for programme in seed_data()["programmes"]
            if programme["platform"] == title and programme["number"] == number
        ),
        None,
    )


def _meetings(platforms, stats):
    seed_page = seed_data()["seed_page_meetings"]
    seeded = {(seed_page["platform"], spec["date"]) for spec in seed_page["meetings"]}
    for spec in seed_page["meetings"]:
        _meeting(platforms[seed_page["platform"]], spec, stats)
    for title, spec in _csv_meetings():
        if (title, spec["date"]) in seeded:
            continue  # the seed page has the full topic of the same meeting
        _meeting(platforms[title], spec, stats, _programme(title, spec["number"]))


def _networking(icp, platforms, stats):
    spec = seed_data()["networking"]
    body = (
        paragraphs(spec["intro_paragraphs"])
        + f"<h2>{spec['districts_heading']}</h2>"
        + paragraphs(spec["districts_paragraphs"])
    )
    page = SharedPlatformPage(
        title=spec["title"], slug=spec["slug"], body=body, platform=platforms[spec["platform"]]
    )
    contact = spec["contact"]
    page.contacts.add(
        SharedPlatformContact(person=person(contact, stats), role=contact["role"], sort_order=0)
    )
    _page, created = create_page(icp, page)
    stats["pages"] += created


def load(stats, **options):
    mhmp, icp = home_page(MHMP), home_page(ICP)
    index_spec = seed_data()["index"]
    index, created = create_page(
        mhmp, PlatformIndexPage(title=index_spec["title"], slug=index_spec["slug"])
    )
    stats["pages"] += created
    platforms = {spec["title"]: _platform(index, spec, stats) for spec in seed_data()["platforms"]}
    _meetings(platforms, stats)
    _networking(icp, platforms, stats)
