"""Small filters for the public templates."""

import re

from django import template
from django.utils.html import format_html
from wagtail.models import Page

from home.localization import is_fallback, language_of, localize, localize_all
from home.routing import reader_url

register = template.Library()


@register.filter
def localized(obj):
    """The object's translation in the active language (snippets, pages), else the object; None
    for an unpublished snippet.

    Synchronised foreign keys (a contact's person, an actor's organisation) point at the Czech
    source; this shows the reader's language when a translation exists.
    """
    if obj is None or not hasattr(obj, "translation_key"):
        return obj
    return localize(obj)


@register.filter
def localized_all(objects):
    """`localized` for each object of a list or queryset, in one query per model; objects
    readers may not see (unpublished snippets) are left out."""
    return [obj for obj in localize_all(objects) if obj is not None]


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
    """URL of a meeting in the reader's language: through the frame page's "meeting" route when
    it is shown on another site (SharedPlatformPage), else the meeting page's own URL. Empty,
    never "None", when the page has no address."""
    request = context.get("request")
    if frame:
        base = reader_url(frame, request)
        if base:
            return base + frame.reverse_subpage("meeting", args=[meeting.pk])
    # A page outside every site has no URL (get_url() is None): never render "None" or fail.
    return reader_url(meeting, request) or ""


@register.filter
def lang_attr(obj):
    """` lang="cs"` on an element showing `obj` when the reader sees it in another language than
    the page's (a fallback), so screen readers switch voice exactly there; else nothing."""
    if obj is None or not hasattr(obj, "locale_id") or not is_fallback(obj):
        return ""
    return format_html(' lang="{}"', language_of(obj))


@register.filter
def is_fallback_for_reader(obj):
    """Whether the reader sees `obj` in another language than the one they asked for."""
    return obj is not None and hasattr(obj, "locale_id") and is_fallback(obj)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The full URL search engines should index for what is shown: the page's own address, an
    alias's original. A meeting shown through another site's frame (SharedPlatformPage's
    "meeting" route) is rendered as `page` itself, so it points to the site that keeps it."""
    page = context.get("page")
    if not isinstance(page, Page) or page.pk is None:
        return None
    if page.alias_of_id:
        page = page.alias_of
    return page.get_full_url(context.get("request"))
