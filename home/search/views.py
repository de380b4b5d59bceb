"""The sites' search page: /<language>/search/?q= (templates/home/search.html)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

from home.api.web import SiteMap
from home.localization import reader_chain, reader_language, request_snapshot

from .query import MAX_QUERY_LENGTH, normalise_query, search_pages

PER_PAGE = 20


@require_safe
def search(request):
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    site = Site.find_for_request(request)
    context = {"q": q, "results": None, "page_obj": None}
    if q and normalise_query(q) and site is not None:
        sites = SiteMap()
        with request_snapshot():
            pages = search_pages(q, reader_chain(), sites.site_paths(site))
        paginator = Paginator(pages, PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        language = reader_language()
        context["results"] = [
            {
                "page": page,
                "url": next(
                    (u["url"] for u in sites.urls(page) if u["site"] == site.hostname), None
                ),
                "language": page.locale.language_code,
                "fallback": page.locale.language_code != language,
            }
            for page in page_obj.object_list
        ]
        context["page_obj"] = page_obj
        context["count"] = paginator.count
    response = render(request, "home/search.html", context)
    response.headers["Cache-Control"] = "no-cache"  # private queries are not kept in caches
    return response
