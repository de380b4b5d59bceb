"""One search over everything readers may see, used by the site search page and the API."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.api.content import visible_pages
from home.localization import rank, readable

from .folding import fold

MAX_QUERY_LENGTH = 200
# Matches considered per model, best first. A search is for finding, not for export: a larger
# page of results is never served (the API says `count` and pages through these).
MAX_MATCHES = 500


@dataclass
class Hit:
    obj: object
    kind: str  # "page" or a snippet model label
    languages: list = field(default_factory=list)


def normalise_query(q):
    return " ".join(fold(q).split())


def search_pages(q, chain, site_paths=None):
    """Live, public pages matching `q`, each once (its best language of `chain`), in relevance
    order. `site_paths`: only pages under these tree paths (one site)."""
    pages = visible_pages(Page).filter(locale__language_code__in=chain)
    if site_paths is not None:
        condition = Q(pk__in=[])
        for path in site_paths:
            condition |= Q(path__startswith=path)
        pages = pages.filter(condition)
    # The backend checks filters against index.FilterFields; the visibility rules are plain SQL,
    # so they go in as a subquery on the primary key.
    results = get_search_backend().search(
        normalise_query(q),
        Page.objects.filter(pk__in=pages.values("pk")).select_related("locale"),
        operator="and",
    )
    return best_of(list(results[:MAX_MATCHES]), chain)


def search_snippets(model, q, chain):
    shown = readable(model.objects.filter(locale__language_code__in=chain))
    results = get_search_backend().search(
        normalise_query(q),
        model.objects.filter(pk__in=shown.values("pk")).select_related("locale"),
        operator="and",
    )
    return best_of(list(results[:MAX_MATCHES]), chain)


def best_of(objects, chain):
    """One object per translation key, in the best language of `chain` that matched, keeping
    the order of each object's first (most relevant) match."""
    best, order = {}, []
    for obj in objects:
        current = best.get(obj.translation_key)
        if current is None:
            order.append(obj.translation_key)
            best[obj.translation_key] = obj
        elif rank(obj, chain) < rank(current, chain):
            best[obj.translation_key] = obj
    return [best[key] for key in order]


def search_backend_name():
    return settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
