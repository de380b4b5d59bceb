"""Absolute URLs of rendered pages on each site, computed from one snapshot of the site roots
(a fixed number of queries, unlike Page.get_url which may query per page)."""

from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

URL_SAFE = "/~:@!$&'()*+,;="  # what Django's reverse() leaves unquoted in a path


@dataclass(frozen=True)
class SiteRoot:
    site: Site
    language: str
    path: str
    url_path: str


class SiteMap:
    def __init__(self):
        self._prefixes = {}
        self.sites = list(Site.objects.select_related("root_page").order_by("pk"))
        keys = {site.root_page.translation_key for site in self.sites}
        by_key = {}
        for root in Page.objects.filter(translation_key__in=keys).values(
            "translation_key", "path", "url_path", "locale__language_code"
        ):
            by_key.setdefault(root["translation_key"], []).append(root)
        self.roots = [
            SiteRoot(site, root["locale__language_code"], root["path"], root["url_path"])
            for site in self.sites
            for root in by_key.get(site.root_page.translation_key, [])
        ]

    def roots_of(self, page):
        language = page.locale.language_code
        return [
            root
            for root in self.roots
            if root.language == language and page.path.startswith(root.path)
        ]

    def urls(self, page, suffix=""):
        """[{"site": hostname, "url": …}] for each site whose tree holds the page."""
        return [
            {"site": root.site.hostname, "url": self.url(page.url_path, root, suffix)}
            for root in self.roots_of(page)
        ]

    def url(self, url_path, root, suffix=""):
        rest = url_path[len(root.url_path) :] + suffix
        return self.prefix(root) + quote(rest, safe=URL_SAFE)

    def prefix(self, root):
        """Site root URL + language prefix ("http://host/cs/"), reversed once per root."""
        if root not in self._prefixes:
            with translation.override(root.language):
                path = reverse("wagtail_serve", args=("",))
            self._prefixes[root] = root.site.root_url + path
        return self._prefixes[root]

    def home_urls(self, site):
        return {
            root.language: self.url(root.url_path, root)
            for root in self.roots
            if root.site.pk == site.pk
        }

    def site_for(self, value):
        """A site by id or hostname, or None."""
        for site in self.sites:
            if str(site.pk) == value or site.hostname == value:
                return site
        return None

    def site_paths(self, site):
        return [root.path for root in self.roots if root.site.pk == site.pk]
