"""Which page a reader gets at /<language>/<path>, and the addresses that keep them there.

Wagtail routes /uk/… through the Ukrainian tree only, so a page not (yet) translated is a 404
there, and a link to its Czech version drops the reader into /cs/. Here the path is walked through
every language version of each level at once: a segment may be the slug of any version (a
translated slug, or the Czech one of a page not translated yet), and at each level the reader gets
the best readable version along their fallback chain (home.localization). So the address of an
untranslated page "in Ukrainian" is simply its Czech address with the /uk/ prefix, and a reader
never has to leave their language to read it.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils.html import format_html
from wagtail.models import Page, Site
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from home.localization import (
    fallback_chain,
    language_of,
    localize_all,
    readable,
    reader_language,
    request_snapshot,
)


def best_version(versions, chain):
    """The first of `versions` (pages of one translation_key) in the order of `chain`."""
    ranked = [v for v in versions if language_of(v) in chain]
    return min(ranked, key=lambda v: chain.index(language_of(v)), default=None)


def _versions_of(keys):
    return list(readable(Page.objects.filter(translation_key__in=keys)))


def _child_with_slug(versions, slug, chain):
    """Among the children of every version in `versions`, the one whose slug is `slug`; when
    several pages use that slug, the one in the earliest language of the chain."""
    below = Q()
    for version in versions:
        below |= Q(path__startswith=version.path)
    matches = list(Page.objects.filter(below, depth=versions[0].depth + 1, slug=slug))
    return min(matches, key=lambda p: _chain_index(p, chain), default=None)


def _chain_index(page, chain):
    language = language_of(page)
    return chain.index(language) if language in chain else len(chain)


def route(request, site, path_components, language):
    """RouteResult for `path_components` below `site`'s root as seen by a reader of `language`,
    or Http404. Two queries per level."""
    chain = fallback_chain(language)
    versions = _versions_of([site.root_page.translation_key])
    page = best_version(versions, chain)
    if page is None:
        raise Http404
    remaining = list(path_components)
    while remaining:
        child = _child_with_slug(versions, remaining[0], chain)
        if child is None:
            break  # not a child page: a route of the page itself (RoutablePageMixin), or 404
        versions = _versions_of([child.translation_key])
        page = best_version(versions, chain)
        if page is None:
            raise Http404
        remaining.pop(0)
    page = page.specific
    if remaining:
        return page.route(request, remaining)  # a routable page's own routes, or Http404
    return RouteResult(page)


def serve(request, path):
    """Wagtail's serve view, routed for the reader's language (see the module docstring)."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    components = [c for c in path.split("/") if c]
    with request_snapshot():  # hidden subtrees looked up once for the page and its listings
        try:
            request._wagtail_route_for_request = route(request, site, components, reader_language())
        except Http404:
            request._wagtail_route_for_request = None
        response = wagtail_serve(request, path)
        if not getattr(response, "is_rendered", True):
            response.render()  # the listings are read while rendering
        return response


# --- Addresses in the reader's language -------------------------------------------------------
def in_language(url, language):
    """`url` (absolute or a path) with its language prefix replaced by `language`'s."""
    if not url:
        return url
    parts = urlsplit(url)
    segments = parts.path.split("/")
    codes = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    if len(segments) > 1 and segments[1] in codes:
        segments[1] = language
    return urlunsplit(parts._replace(path="/".join(segments)))


def reader_url(page, request=None):
    """The address of `page` for the reader: its own URL where it is in the reader's language,
    else the same address under the reader's language prefix (served as a fallback there)."""
    url = page.get_url(request)
    return for_reader(url, language_of(page)) if url else url  # no URL: no language to ask


def for_reader(url, language):
    """The URL of a page in `language` as the reader of the current language gets it: as it is
    when the languages match, else under the reader's prefix. (reader_url's rule, also for pages
    read as rows: home.page_urls.ReaderUrls.)"""
    reader = reader_language()
    if not url or language == reader:
        return url
    return in_language(url, reader)


def request_in_language(request, language):
    """The current request's path under `language`'s prefix (query string kept)."""
    return in_language(request.get_full_path(), language)


class ReaderPageLinkHandler(PageLinkHandler):
    """Page links in rich text, in the reader's language: Wagtail's own handler links to the
    page's translation in the active language or else to its Czech address, which takes the
    reader out of their language."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        pages = localize_all(cls.get_many(attrs_list))
        return [
            format_html('<a href="{}">', reader_url(page) or "") if page else "<a>"
            for page in pages
        ]
