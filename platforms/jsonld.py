"""schema.org Event data of a meeting, consistent with the API and the iCalendar feed
(same id, times, status, place)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from home.localization import localize

EVENT_STATUS = {
    "cancelled": "https://schema.org/EventCancelled",
    "planned": "https://schema.org/EventScheduled",
    "held": "https://schema.org/EventScheduled",
}


def meeting_event(meeting, request=None):
    venue = localize(meeting.venue)
    platform = meeting.get_parent().specific
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "identifier": str(meeting.translation_key),
        "name": meeting.title,
        "inLanguage": meeting.locale.language_code,
        "startDate": (meeting.start or meeting.date).isoformat(),
        "eventStatus": EVENT_STATUS.get(meeting.status, EVENT_STATUS["planned"]),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": platform.title},
        "url": meeting.get_full_url(request),
    }
    if meeting.end is not None:
        data["endDate"] = meeting.end.isoformat()
    if meeting.topic:
        data["description"] = meeting.topic
    if venue is not None:
        data["location"] = {
            "@type": "Place",
            "name": ", ".join(part for part in (venue.name, venue.room) if part),
            "address": venue.address or venue.name,
        }
    return data


def jsonld_script(data):
    """<script type="application/ld+json">, escaped so the JSON cannot close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
