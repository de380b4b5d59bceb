"""What the API may show (live, public content only) and which language of it to serve."""

import contextvars
from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from home.draft_state import readable


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


def in_best_language(visible, chain):
    """One instance per translation_key: the first language of `chain` it is visible in.

    Plain SQL (no per-object queries): an instance in the n-th language qualifies only if the
    object is visible in none of the languages before it.
    """
    condition = Q()
    for index, language in enumerate(chain):
        here = Q(locale__language_code=language)
        if index:
            earlier = visible.filter(locale__language_code__in=chain[:index])
            here &= ~Q(translation_key__in=earlier.values("translation_key"))
        condition |= here
    return visible.filter(condition)


def best_instances(queryset, keys, chain):
    """{translation_key: instance in the best readable language of `chain`} for the given keys;
    an object readable in no language of the chain (a draft) is left out."""
    found = {}
    for obj in readable(queryset).filter(
        translation_key__in=set(keys), locale__language_code__in=chain
    ):
        current = found.get(obj.translation_key)
        if current is None or rank(obj, chain) < rank(current, chain):
            found[obj.translation_key] = obj
    return found


def rank(obj, chain):
    return chain.index(obj.locale.language_code)
