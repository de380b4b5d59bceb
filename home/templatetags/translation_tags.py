"""Language switcher and hreflang alternates for rendered pages.

Only versions a reader can actually open are offered: live, public, not an alias (an alias would
serve Czech under another language), and with a live root in that language (otherwise Wagtail
routes /uk/… through the Czech tree and the link would 404).
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from wagtail.models import Page

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    language: str
    name: str  # the language named in itself
    url: str
    full_url: str
    current: bool


def language_name(code):
    return settings.KNOWN_LANGUAGES.get(code, code)


def page_alternates(page, request=None):
    """The page's readable versions, in the order of CONTENT_LANGUAGES."""
    if not isinstance(page, Page) or not page.pk:
        return []
    languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    candidates = list(
        page.get_translations(inclusive=True)
        .live()
        .public()
        .filter(alias_of__isnull=True, locale__language_code__in=languages)
        .select_related("locale")
    )
    root_paths = {p.path[: Page.steplen * 2] for p in candidates}
    live_roots = set(
        Page.objects.filter(path__in=root_paths, live=True).values_list("path", flat=True)
    )
    alternates = []
    for version in candidates:
        if version.path[: Page.steplen * 2] not in live_roots:
            continue
        url = version.get_url(request)
        if not url:
            continue
        code = version.locale.language_code
        alternates.append(
            Alternate(
                language=code,
                name=language_name(code),
                url=url,
                full_url=version.get_full_url(request),
                current=version.pk == page.pk,
            )
        )
    alternates.sort(key=lambda a: languages.index(a.language))
    return alternates


@register.simple_tag(takes_context=True)
def page_translations(context, page=None):
    """`{% page_translations page as alternates %}`: list of Alternate for the switcher."""
    page = page if page is not None else context.get("page")
    return page_alternates(page, context.get("request"))


@register.simple_tag
def x_default(alternates):
    """The alternate used as `x-default`: the source language version, else the first."""
    for alternate in alternates:
        if alternate.language == settings.LANGUAGE_CODE:
            return alternate
    return alternates[0] if alternates else None
