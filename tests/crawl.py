"""Crawl the public sites with the Django test client and count what a visitor would hit.

Start from every live page of every site in every content language, request it on its own
host, then follow every internal link found on those pages (redirects included). Reused by
the round-trip test and quotable as figures:

    report = crawl(Client(raise_request_exception=False))  # a 500 is a figure, not a crash
    print(report.summary())
"""

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from wagtail.models import Page, Site

MAX_REDIRECTS = 5
# Not pages: files and the back office. Documents are checked by the document tests.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/")


class _LinkParser(HTMLParser):
    """hrefs of <a> and of <link rel="alternate|canonical"> (what a visitor or crawler follows)."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        followed = tag == "a" or (tag == "link" and {"alternate", "canonical"} & set(rel))
        if followed and "href" in attrs:
            self.hrefs.append(attrs["href"] or "")


@dataclass
class CrawlReport:
    pages: dict = field(default_factory=lambda: defaultdict(int))  # (host, language) -> count
    errors: list = field(default_factory=list)  # (url, status) of live pages not answering 200
    dead_links: list = field(default_factory=list)  # (page url, href, final status)
    links_checked: int = 0

    @property
    def page_count(self):
        return sum(self.pages.values())

    def summary(self):
        counts = sorted(self.pages.items(), key=str)
        per_site = ", ".join(f"{host} {lang}: {n}" for (host, lang), n in counts)
        return (
            f"{self.page_count} live pages × languages ({per_site}); "
            f"{len(self.errors)} errors; {self.links_checked} internal links checked, "
            f"{len(self.dead_links)} dead"
        )

    def details(self, limit=20):
        lines = [f"ERROR {status} {url}" for url, status in self.errors[:limit]]
        lines += [f"DEAD {code} {href} (on {url})" for url, href, code in self.dead_links[:limit]]
        return "\n".join(lines)


def live_page_urls(languages=None):
    """[(host, path, language)] for every live page below a site root, in every language."""
    languages = set(languages or [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES])
    sites = list(Site.objects.select_related("root_page"))
    hosts = {site.pk: site.hostname for site in sites}
    roots = {site.root_page.translation_key: site.hostname for site in sites}
    urls = []
    pages = Page.objects.live().filter(depth__gt=1).select_related("locale").specific()
    for page in pages:
        language = page.locale.language_code
        if language not in languages:
            continue
        parts = page.get_url_parts()
        if parts is None:
            # Wagtail gives no URL (its url_path is outside every site): an error. A visitor
            # still reaches it through the tree's slugs; request that address too.
            urls.append((None, f"page {page.pk} ({page.url_path}) has no URL", language))
            urls.append(_tree_address(page, roots))
            continue
        site_id, _root_url, path = parts
        urls.append((hosts[site_id], path, language))
    return sorted(urls, key=lambda u: (u[0] or "", u[1]))


def _tree_address(page, roots):
    """(host, path, language) of a page as routing reaches it: its ancestors' slugs."""
    ancestors = list(page.get_ancestors(inclusive=True).filter(depth__gt=1))
    host = roots.get(ancestors[0].translation_key)
    slugs = "".join(f"{a.slug}/" for a in ancestors[1:])
    return (host, f"/{page.locale.language_code}/{slugs}", page.locale.language_code)


def fallback_addresses(urls, languages=None):
    """(host, path, language) of every Czech page under every other language's prefix where it
    has no live translation: the address a visitor of that language reads it at."""
    languages = languages or [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    source = settings.LANGUAGE_CODE
    own = {(host, path) for host, path, _language in urls}
    extra = []
    for host, path, language in urls:
        if language != source or host is None:
            continue
        for other in languages:
            moved = path.replace(f"/{source}/", f"/{other}/", 1)
            if other != source and (host, moved) not in own:
                extra.append((host, moved, other))
    return extra


def crawl(client, languages=None, fallbacks=False):
    """Request every live page, then every internal link found on them; return a CrawlReport.
    With `fallbacks`, also every Czech page at its address in each other language."""
    report = CrawlReport()
    hosts = set(Site.objects.values_list("hostname", flat=True))
    checked = {}  # (host, path) -> final status
    urls = live_page_urls(languages)
    if fallbacks:
        urls += fallback_addresses(urls, languages)
    for host, path, language in urls:
        if host is None:
            report.errors.append((path, None))
            continue
        report.pages[(host, language)] += 1
        response = client.get(path, HTTP_HOST=host)
        checked[(host, path)] = response.status_code
        url = f"//{host}{path}"
        if response.status_code != 200:
            report.errors.append((url, response.status_code))
            continue
        for href in _hrefs(response):
            target = _internal(href, host, hosts)
            if target is None:
                continue
            report.links_checked += 1
            if target not in checked:
                checked[target] = _final_status(client, *target)
            if checked[target] != 200:
                report.dead_links.append((url, href, checked[target]))
    return report


def _hrefs(response):
    parser = _LinkParser()
    parser.feed(response.content.decode(response.charset or "utf-8"))
    return parser.hrefs


def _internal(href, host, hosts):
    """(host, path) of an internal link, None for external/skipped ones. `None` or empty hrefs
    count as internal links to nowhere."""
    href = href.strip()
    if href in ("", "None"):
        return (host, href or "<empty>")
    href = urldefrag(href)[0]
    if not href:
        return None  # a jump within the page (#main)
    parts = urlsplit(href)
    if parts.scheme in ("mailto", "tel", "javascript"):
        return None
    if parts.netloc:
        if parts.hostname not in hosts:
            return None
        host = parts.hostname
    elif not parts.path.startswith("/"):
        return (host, href)  # relative hrefs are not used by the templates: report them
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return (host, path)


def _final_status(client, host, path):
    if not path.startswith("/"):
        return None
    for _hop in range(MAX_REDIRECTS):
        response = client.get(path, HTTP_HOST=host)
        if response.status_code not in (301, 302, 303, 307, 308):
            return response.status_code
        location = urlsplit(response["Location"])
        host = location.hostname or host
        path = location.path + (f"?{location.query}" if location.query else "")
    return response.status_code
