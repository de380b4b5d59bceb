"""sitemap.xml of one site in every language, each page with its hreflang alternates.

Wagtail's stock sitemap lists one language tree without alternates. Only canonical addresses are
listed (each page's `rel=canonical` is its own URL, see site_tags.canonical_url): alias pages (a
language tree synced from another, still in the source language) are left out, and so are pages
under a language home that is not readable, because Wagtail then routes that language through the
Czech tree, and pages under an expired or unpublished page (readers get a 404 there). Routes of
a RoutablePage (the ICP's meetings of an MHMP platform) are not pages, so they never appear:
their canonical address is the meeting's on the MHMP site.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.localization import outside_hidden_subtrees, readable


class MultilingualSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
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

    def _alternates(self):
        if not hasattr(self, "_by_key"):
            self._by_key = defaultdict(list)
            for page in self.items():
                self._by_key[page.translation_key].append(page)
        return self._by_key

    def _urls(self, page, protocol, domain):
        by_key = self._alternates()
        urls = super()._urls(page, protocol, domain)
        for url, item in zip(urls, self.paginator.page(page).object_list, strict=True):
            versions = by_key[item.translation_key]
            if len(versions) < 2:
                continue
            alternates = [
                {"lang_code": v.locale.language_code, "location": v.get_full_url(self.request)}
                for v in versions
            ]
            source = next((a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
            if source:
                alternates.append({"lang_code": "x-default", "location": source["location"]})
            url["alternates"] = alternates
        return urls
