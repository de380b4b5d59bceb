"""Full URLs of many pages from their url_path alone, without a Page instance each.

Wagtail's Page.get_full_url does a reverse() under a translation override for every page: about
0.1 ms a page, seconds for a sitemap of 10,000 pages with their alternates. FullUrls gives the same
answer as Page.get_full_url on a plain (not .specific()) page, but reverses once per language and
then only appends the page's path below its site root. ReaderUrls adds what Page.get_url and the
reader's language add on top (a relative URL on the request's site, the reader's language prefix).
"""

from urllib.parse import quote

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.coreutils import WAGTAIL_APPEND_SLASH, get_supported_content_language_variant
from wagtail.models import Site

from home.routing import for_reader

# What reverse() leaves unquoted in a URL path (django.urls.resolvers._reverse_with_prefix).
SAFE = RFC3986_SUBDELIMS + "/~:@"


class FullUrls:
    """Callable: url_path -> the page's full URL (None where Wagtail gives None)."""

    def __init__(self, request=None):
        self.request = request
        # The same site root paths (and the same cache on the request) as Page.get_url_parts.
        try:
            self.roots = request._wagtail_cached_site_root_paths
        except AttributeError:
            self.roots = Site.get_site_root_paths()
            if request is not None:
                request._wagtail_cached_site_root_paths = self.roots
        self.prefixes = {}

    def __call__(self, url_path):
        possible = [root for root in self.roots if url_path.startswith(root.root_path)]
        if not possible:
            return None
        site_id, root_path, root_url, language_code = possible[0]
        if len({root[0] for root in possible}) > 1 and isinstance(self.request, HttpRequest):
            site = self.current_site()
            if site:
                for root in possible:
                    if root[0] == site.pk:
                        site_id, root_path, root_url, language_code = root
                        break
        prefix = self.prefix(language_code)
        if prefix is None:  # wagtail_serve not routable in this language
            return None
        page_path = prefix + quote(url_path[len(root_path) :], safe=SAFE)
        if not WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return root_url + page_path

    def current_site(self):
        if not hasattr(self, "_site"):
            self._site = Site.find_for_request(self.request)
        return self._site

    def prefix(self, language_code):
        """wagtail_serve's path for the site root in this language ("/cs/"), as get_url_parts
        reverses it (the active language wins when it is a variant of the page's)."""
        if language_code not in self.prefixes:
            language = language_code
            try:
                active = translation.get_language()
                if get_supported_content_language_variant(active) == language_code:
                    language = active
            except LookupError:
                pass
            try:
                with translation.override(language):
                    self.prefixes[language_code] = reverse("wagtail_serve", args=("",))
            except NoReverseMatch:
                self.prefixes[language_code] = None
        return self.prefixes[language_code]


class ReaderUrls:
    """Callable: (url_path, language) -> home.routing.reader_url of that page, for many pages
    read as rows: the same relative-or-full choice as Page.get_url, with one reverse() per
    language (FullUrls) instead of one per page."""

    def __init__(self, request=None):
        self.full = FullUrls(request)
        # Page.get_url: the path alone on the request's site, or when there is only one site.
        roots = self.full.roots
        current = Site.find_for_request(request) if request is not None else None
        if len({root[0] for root in roots}) == 1:
            self.local_root = roots[0][2] + "/"
        else:
            self.local_root = current.root_url + "/" if current is not None else None

    def __call__(self, url_path, language):
        url = self.full(url_path)
        if url and self.local_root and url.startswith(self.local_root):
            url = url[len(self.local_root) - 1 :]
        return for_reader(url, language)
