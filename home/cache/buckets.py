"""Time buckets: the next moment at which some answer changes without any edit.

A meeting that ends stops being `upcoming` and the platform's next meeting moves on; content whose
`expire_at` passes is gone for readers at once (home.localization.past_expiry). A cached answer
must not outlive the next such moment, so every entry expires at it: the bucket is the interval
between two boundaries, and the version plus the bucket say which answer is current.

Apps add their boundaries with `register` (platforms: the end of the next meeting). The moment is
computed once per version and bucket and kept in the cache until it passes."""

import time

from django.core.cache import cache
from django.db.models import Subquery
from django.utils import timezone
from wagtail.models import DraftStateMixin, Locale, Page

_sources = []


def register(source):
    """`source(now)` returns the next aware datetime after `now` at which its output changes by
    itself, or None."""
    if source not in _sources:
        _sources.append(source)


def next_expiry(now):
    """The next `expire_at` of live pages and snippets, in one query (a subquery per model)."""
    from django.apps import apps

    models = [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]
    firsts = {
        f"m{number}": Subquery(
            model.objects.filter(live=True, expire_at__gt=now)
            .order_by("expire_at")
            .values("expire_at")[:1]
        )
        for number, model in enumerate(models)
    }
    row = Locale.objects.annotate(**firsts).values(*firsts).first()  # any row will do
    return min((m for m in (row or {}).values() if m is not None), default=None)


register(next_expiry)


def next_boundary(version):
    """Epoch seconds of the next moment some answer changes by itself under `version`, or None.
    Read from the cache; computed (a few small queries) when the bucket is new."""
    key = f"content-boundary:{version[0]}"
    now = time.time()
    stored = cache.get(key)
    if stored is not None and (stored[0] is None or stored[0] > now):
        return stored[0]
    boundary = compute_boundary(timezone.now())
    timeout = 86400 if boundary is None else max(1, int(boundary - now) + 1)
    cache.set(key, (boundary,), timeout=timeout)
    return boundary


def compute_boundary(now):
    moments = [source(now) for source in _sources]
    moments = [m for m in moments if m is not None and m > now]
    return min(moments).timestamp() if moments else None
