"""The sitemap of one site in every language, each page with its hreflang alternates.

Wagtail's stock sitemap lists one language tree without alternates. Only canonical addresses are
listed (each page's `rel=canonical` is its own URL, see site_tags.canonical_url): alias pages (a
language tree synced from another, still in the source language) are left out, and so are pages
under a language home that is not readable, because Wagtail then routes that language through the
Czech tree, and pages under an expired or unpublished page (readers get a 404 there). Routes of
a RoutablePage (the ICP's meetings of an MHMP platform) are not pages, so they never appear:
their canonical address is the meeting's on the MHMP site.

/sitemap.xml is a sitemap index of the sections /sitemap-pages.xml, /sitemap-pages.xml?p=2, …
(cms/urls.py), each listing at most MultilingualSitemap.limit pages in tree order.
"""

import html
from collections import defaultdict

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.localization import outside_hidden_subtrees, readable
from home.page_urls import FullUrls


class MultilingualSitemap(Sitemap):
    # URLs per section (/sitemap-pages.xml?p=N): a section of 1,000 pages is built, cached and
    # served fast, where the whole site in one document was 4 MB. Google allows 50,000.
    limit = 1000

    def items(self):
        # Once per request: the count, a section's rows and its alternates read the same pages.
        if not hasattr(self, "_listed"):
            self._listed = listed_pages(self.get_wagtail_site())
        return self._listed

    def get_latest_lastmod(self):
        """No <lastmod> in the index: the newest page of a section does not date it (a page
        removed, or one added in an earlier section shifting its rows, changes it too), and
        Django's default reads every page of the site."""
        return None

    def _urls(self, page, protocol, domain):
        """The section's pages as pre-rendered <url> elements (template home/sitemap.xml), from
        one flat query of the columns needed for the section's rows and one for the other
        language versions of those pages: a Page instance, a reverse() and a template loop per
        page took seconds at 10,000 pages. Same bytes as Wagtail's Sitemap with Django's
        template, alternates added."""
        listed = self.paginator.page(page)  # 404s for a bad ?p= as before
        rows = self.items().values_list(
            "translation_key",
            "url_path",
            Coalesce("last_published_at", "latest_revision_created_at"),
        )
        rows = list(rows[max(listed.start_index() - 1, 0) : listed.end_index()])
        location = _Locations(self.request)
        by_key = self.versions({key for key, _, _ in rows}, location)
        urls, days = [], {}
        for key, url_path, lastmod in rows:
            if lastmod not in days:
                days[lastmod] = lastmod_day(lastmod)
            urls.append({"xml": url_element(location(url_path), days[lastmod], by_key[key])})
        # No self.latest_lastmod (a Last-Modified header): it would not date the section either
        # (see get_latest_lastmod); the response cache sets the content version's instead.
        return urls

    def versions(self, keys, location):
        """{translation_key: [(language, escaped URL), …]} of the listed pages with these keys,
        in tree order: each page's alternates, whichever section the other versions are in."""
        by_key = defaultdict(list)
        rows = self.items().filter(translation_key__in=keys)
        for key, url_path, language in rows.values_list(
            "translation_key", "url_path", "locale__language_code"
        ):
            by_key[key].append((language, location(url_path)))
        return by_key


SECTIONS = {"pages": MultilingualSitemap}  # /sitemap-<name>.xml (cms/urls.py)


def listed_pages(site):
    """The pages a site's sitemap lists (see the module docstring), in tree order."""
    roots = readable(site.root_page.get_translations(inclusive=True))
    in_site = Q()
    for root in roots:
        in_site |= Q(path__startswith=root.path)
    pages = readable(Page.objects.filter(in_site, alias_of__isnull=True))
    return (
        outside_hidden_subtrees(pages)  # e.g. the meetings of an expired platform
        .public()
        .select_related("locale")
        .order_by("path")
    )


def section_paths(site, spare=0):
    """Every section address of a site's sitemap: /sitemap-pages.xml, then ?p=2, ?p=3, …, and
    `spare` more past the last one (one query per section kind: a count)."""
    paths = []
    for name, sitemap in SECTIONS.items():
        path = reverse("sitemap-section", kwargs={"section": name})
        count = Paginator(listed_pages(site), sitemap.limit).num_pages + spare
        paths += [path] + [f"{path}?p={number}" for number in range(2, count + 1)]
    return paths


class _Locations:
    """url_path -> the page's full URL, escaped; each once, since a page's address is also an
    alternate of its other language versions."""

    def __init__(self, request):
        self.full_url = FullUrls(request)
        self.known = {}

    def __call__(self, url_path):
        if url_path not in self.known:
            self.known[url_path] = _escape(self.full_url(url_path))
        return self.known[url_path]


def _escape(text):
    """Django's escape() without its lazy-string wrapper (the same characters), which cost more
    than the escaping at 80,000 calls for a sitemap of 10,000 pages."""
    return html.escape(str(text))


def lastmod_day(lastmod):
    """The template's |date: the day in the current time zone, or None."""
    if not lastmod:
        return None
    day = localtime(lastmod)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def url_element(location, day, versions):
    """What Django's sitemap.xml template renders for one url (autoescaped, {% spaceless %}),
    with hreflang alternates when the page exists in more than one language. `location` and
    the URLs of `versions` come escaped."""
    parts = [f"<url><loc>{location}</loc>"]
    if day:
        parts.append(f"<lastmod>{day}</lastmod>")
    if len(versions) > 1:
        alternates = list(versions)
        source = next((url for lang, url in versions if lang == settings.LANGUAGE_CODE), None)
        if source:
            alternates.append(("x-default", source))
        parts.extend(
            f'<xhtml:link rel="alternate" hreflang="{_escape(lang)}" href="{url}"/>'
            for lang, url in alternates
        )
    parts.append("</url>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
