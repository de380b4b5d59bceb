"""Small filters for the public templates."""

import re

from django import template

from home.localization import localize, localize_all

register = template.Library()


@register.filter
def localized(obj):
    """The object's translation in the active language (snippets, pages), else the object.

    Synchronised foreign keys (a contact's person, an actor's organisation) point at the Czech
    source; this shows the reader's language when a translation exists.
    """
    if obj is None or not hasattr(obj, "translation_key"):
        return obj
    return localize(obj)


@register.filter
def localized_all(objects):
    """`localized` for each object of a list or queryset, in one query per model."""
    return localize_all(objects)


def _natural_key(text):
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


@register.filter
def natural_sort(objects, attr="name"):
    """Sort by an attribute with numbers in order: Praha 2 before Praha 10."""
    return sorted(objects, key=lambda obj: _natural_key(str(getattr(obj, attr, obj) or "")))


@register.filter
def tel_href(number):
    """A phone number for a tel: link: "+420 236 002 570" -> "+420236002570".

    Nine-digit numbers without a prefix are Czech and get +420, so the link also works from a
    foreign SIM card (many readers have one).
    """
    if not number:
        return ""
    number = str(number).strip()
    digits = re.sub(r"\D", "", number)
    if number.startswith("+"):
        return f"+{digits}"
    if number.startswith("00"):
        return f"+{digits[2:]}"
    if len(digits) == 9:
        return f"+420{digits}"
    return digits


@register.simple_tag(takes_context=True)
def meeting_url(context, meeting, frame=None):
    """URL of a meeting: through the frame page's "meeting" route when it is shown on another
    site (SharedPlatformPage), else the meeting page's own URL."""
    request = context.get("request")
    frame_url = frame.get_url(request) if frame else None
    if frame_url:
        return frame_url + frame.reverse_subpage("meeting", args=[meeting.pk])
    # A page outside every site has no URL (get_url() is None): never render "None" or fail.
    return meeting.get_url(request) or ""
