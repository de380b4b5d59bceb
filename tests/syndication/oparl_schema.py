"""JSON Schemas for the OParl 1.1 objects this project serves, written for these tests from the
OParl 1.1 specification (https://oparl.org/spezifikation/, chapter "Schema"): the required
properties, types, formats and type URIs of System, Body, Organization, Meeting, AgendaItem,
Person, Membership, File, Location and object lists. The official schema files are not published
on PyPI or npm; this is a subset written from the specification, not a copy of them."""

BASE = "https://schema.oparl.org/1.1/"

URL = {"type": "string", "format": "uri", "pattern": "^https?://"}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE_OR_DATE_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}(T.*)?$"}
URLS = {"type": "array", "items": URL}
STRINGS = {"type": "array", "items": {"type": "string"}}


def typed(name, required, properties):
    return {
        "type": "object",
        "required": ["id", "type", *required],
        "properties": {
            "id": URL,
            "type": {"const": BASE + name},
            "created": DATE_TIME,
            "modified": DATE_TIME,
            "deleted": {"type": "boolean"},
            "keyword": STRINGS,
            "web": URL,
            "license": URL,
            **properties,
        },
    }


LOCATION = typed(
    "Location",
    [],
    {
        "description": {"type": "string"},
        "streetAddress": {"type": "string"},
        "room": {"type": "string"},
    },
)
FILE = typed(
    "File",
    ["accessUrl"],
    {
        "name": {"type": "string"},
        "fileName": {"type": "string"},
        "mimeType": {"type": "string", "pattern": r"^[\w.+-]+/[\w.+-]+$"},
        "size": {"type": "integer", "minimum": 0},
        "accessUrl": URL,
        "downloadUrl": URL,
        "date": {"type": "string", "format": "date"},
    },
)
AGENDA_ITEM = typed(
    "AgendaItem",
    [],
    {
        "meeting": URL,
        "number": {"type": "string"},
        "order": {"type": "integer"},
        "name": {"type": "string"},
        "public": {"type": "boolean"},
        "start": DATE_TIME,
        "end": DATE_TIME,
        "auxiliaryFile": {"type": "array", "items": FILE},
    },
)
MEMBERSHIP = typed(
    "Membership",
    [],
    {
        "person": URL,
        "organization": URL,
        "role": {"type": "string"},
        "votingRight": {"type": "boolean"},
        "startDate": {"type": "string", "format": "date"},
        "endDate": {"type": "string", "format": "date"},
    },
)
PERSON = typed(
    "Person",
    [],
    {
        "body": URL,
        "name": {"type": "string"},
        "email": STRINGS,
        "phone": STRINGS,
        "membership": {"type": "array", "items": MEMBERSHIP},
    },
)
MEETING = typed(
    "Meeting",
    [],
    {
        "name": {"type": "string"},
        "meetingState": {"type": "string"},
        "cancelled": {"type": "boolean"},
        "start": DATE_OR_DATE_TIME,
        "end": DATE_TIME,
        "location": LOCATION,
        "organization": URLS,
        "participant": URLS,
        "invitation": FILE,
        "resultsProtocol": FILE,
        "verbatimProtocol": FILE,
        "auxiliaryFile": {"type": "array", "items": FILE},
        "agendaItem": {"type": "array", "items": AGENDA_ITEM},
    },
)
ORGANIZATION = typed(
    "Organization",
    [],
    {
        "body": URL,
        "name": {"type": "string"},
        "shortName": {"type": "string"},
        "membership": URLS,
        "meeting": URL,
        "organizationType": {"type": "string"},
        "classification": {"type": "string"},
        "startDate": {"type": "string", "format": "date"},
        "endDate": {"type": "string", "format": "date"},
        "website": URL,
        "location": LOCATION,
    },
)
BODY = typed(
    "Body",
    ["name", "organization", "person", "meeting", "paper", "legislativeTerm"],
    {
        "system": URL,
        "name": {"type": "string", "minLength": 1},
        "shortName": {"type": "string"},
        "website": URL,
        "organization": URL,
        "person": URL,
        "meeting": URL,
        "paper": URL,
        "legislativeTerm": {"type": "array"},
    },
)
SYSTEM = typed(
    "System",
    ["oparlVersion", "body"],
    {
        "oparlVersion": {"const": BASE},
        "body": URL,
        "name": {"type": "string"},
        "website": URL,
        "otherOparlVersions": URLS,
    },
)


def object_list(item):
    return {
        "type": "object",
        "required": ["data", "pagination", "links"],
        "properties": {
            "data": {"type": "array", "items": item},
            "pagination": {
                "type": "object",
                "properties": {
                    name: {"type": "integer", "minimum": 0}
                    for name in ("totalElements", "elementsPerPage", "currentPage", "totalPages")
                },
            },
            "links": {
                "type": "object",
                "required": ["first"],
                "properties": {name: URL for name in ("first", "prev", "next", "last")},
            },
        },
    }
