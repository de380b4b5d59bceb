"""Small filters for the public templates."""

import re

from django import template

register = template.Library()


@register.filter
def localized(obj):
    """The object's translation in the active language (snippets, pages), else the object.

    Synchronised foreign keys (a contact's person, an actor's organisation) point at the Czech
    source; this shows the reader's language when a translation exists.
    """
    if obj is None:
        return None
    return getattr(obj, "localized", obj)


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
