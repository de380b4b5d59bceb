"""What the API may show (live, public content only) and which language of it to serve."""

import contextvars
from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def visible_pages(model, now=None):
    """Pages of `model` a reader may see: live, in schedule, not an alias copy, and with no
    view restriction and no unpublished or expired page on or above them."""
    now = now or timezone.now()
    queryset = (
        model.objects.filter(live=True, alias_of__isnull=True)
        .exclude(expire_at__lte=now)
        .exclude(go_live_at__gt=now)
    )
    hidden = hidden_subtrees(now)
    if hidden:
        condition = Q()
        for path in hidden:
            condition |= Q(path__startswith=path)
        queryset = queryset.exclude(condition)
    return queryset


_snapshot = contextvars.ContextVar("hidden_subtrees", default=None)


@contextmanager
def request_snapshot():
    """Within it, hidden subtrees are looked up once (one query per request, not per use)."""
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def hidden_subtrees(now):
    cache = _snapshot.get()
    if cache is None:
        return _hidden_subtrees(now)
    if "paths" not in cache:
        cache["paths"] = _hidden_subtrees(now)
    return cache["paths"]


def _hidden_subtrees(now):
    """Tree paths of pages that hide themselves and everything below them (one query; few, like
    Wagtail's own PageQuerySet.public()). Only pages with children matter for being unpublished
    or expired: the others are excluded by their own state."""
    paths = sorted(
        Page.objects.filter(
            Q(live=False, numchild__gt=0)
            | Q(expire_at__lte=now, numchild__gt=0)
            | Q(pk__in=PageViewRestriction.objects.values("page_id"))
        ).values_list("path", flat=True)
    )
    tops = []
    for path in paths:  # sorted: an ancestor comes before its descendants
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tops
