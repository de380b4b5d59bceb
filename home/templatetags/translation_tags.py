"""Language switcher and hreflang alternates for rendered pages.

hreflang alternates list only real translations a reader can open: live, public, not an alias (an
alias would serve Czech under another language), and with a live root in that language. The
language switcher offers every content language on every page: the translation where one is live,
otherwise the same address in that language, where the reader gets the page along their fallback
chain with the site's chrome in their language (home.routing), marked as not yet translated.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from wagtail.models import Page

from home.localization import fallback_chain, readable, reader_language
from home.routing import request_in_language

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
    """The page's readable versions, in the order of CONTENT_LANGUAGES. Computed once per page
    and request: the switcher and the hreflang links in <head> both ask."""
    if not isinstance(page, Page) or not page.pk:
        return []
    if request is None:
        return _page_alternates(page, request)
    found = request.__dict__.setdefault("_page_alternates", {})
    if page.pk not in found:
        found[page.pk] = _page_alternates(page, request)
    return found[page.pk]


def _page_alternates(page, request):
    languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    candidates = list(
        readable(page.get_translations(inclusive=True))  # not an expired translation
        .public()
        .filter(alias_of__isnull=True, locale__language_code__in=languages)
        .select_related("locale")
    )
    root_paths = {p.path[: Page.steplen * 2] for p in candidates}
    live_roots = set(
        readable(Page.objects.filter(path__in=root_paths)).values_list("path", flat=True)
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


def view_alternates(request, languages):
    """Alternates of a view that is not a page (an actor page): the same address in each of
    `languages` (those its content really exists in), in the order of CONTENT_LANGUAGES."""
    current = reader_language()
    return [
        Alternate(
            language=code,
            name=language_name(code),
            url=request_in_language(request, code),
            full_url=request.build_absolute_uri(request_in_language(request, code)),
            current=code == current,
        )
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
        if code in languages
    ]


@register.simple_tag(takes_context=True)
def page_translations(context, page=None):
    """`{% page_translations page as alternates %}`: list of Alternate for the switcher."""
    page = page if page is not None else context.get("page")
    return page_alternates(page, context.get("request"))


@dataclass(frozen=True)
class LanguageOption:
    language: str
    name: str  # the language named in itself
    url: str
    current: bool  # the reader's language
    translated: bool | None  # None: no page to be translated (e.g. a 404)


def language_options(request, page=None, framed=False):
    """One option per content language, in the order of CONTENT_LANGUAGES.

    A page shown in another site's frame (the ICP route) keeps its address in every language:
    its own translations live on the other site."""
    reader = reader_language()
    translated = {a.language: a.url for a in page_alternates(page, request)} if page else {}
    options = []
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        url = translated.get(code)
        if page is not None and not any(c in translated for c in fallback_chain(code)):
            # Nothing of this page is readable in that language's chain (e.g. its Czech source
            # is not published): the visitor lands on that language's home instead of a 404.
            url = f"/{code}/"
        elif url is None or framed:
            url = request_in_language(request, code)
        options.append(
            LanguageOption(
                language=code,
                name=language_name(code),
                url=url,
                current=code == reader,
                translated=(code in translated) if page is not None else None,
            )
        )
    return options


@register.simple_tag(takes_context=True)
def language_switcher_options(context):
    """`{% language_switcher_options as options %}` for includes/language_switcher.html."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    return language_options(request, page, framed=context.get("frame_page") is not None)


@register.simple_tag
def x_default(alternates):
    """The alternate used as `x-default`: the source language version, else the first."""
    for alternate in alternates:
        if alternate.language == settings.LANGUAGE_CODE:
            return alternate
    return alternates[0] if alternates else None
