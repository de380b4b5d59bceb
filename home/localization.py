"""Show objects in the reader's language without a query per object.

Synchronised foreign keys (a contact's person, an actor's organisation, an action-plan item's
measure) point at the Czech source. Wagtail's ``.localized`` looks up the active locale and the
translation one object at a time; lists use ``localize_all``: at most one query per model.
"""

from collections import defaultdict

from django.core.signals import request_started
from django.utils import translation
from wagtail.models import Locale

from home.draft_state import is_readable, readable

_locales = {}


def active_locale():
    """The Locale of the active language, cached for the rest of the request."""
    language = translation.get_language()
    if language not in _locales:
        _locales[language] = Locale.get_active()
    return _locales[language]


def source_locale():
    if "source" not in _locales:
        _locales["source"] = Locale.get_default()
    return _locales["source"]


def _forget_locales(**kwargs):
    _locales.clear()


request_started.connect(_forget_locales, dispatch_uid="home.localization.forget_locales")


def localize(obj):
    """The object in the active language where that is published, else in the Czech source
    where that is; None where neither is (a snippet never published)."""
    if obj is None:
        return None
    return localize_all([obj])[0]


def localize_all(objects):
    """`localize` for many objects: one query per model, none when all are published in the
    language. The result lines up with `objects` (None for what readers may not see).

    An object may already be in the active language and still be a draft: a translated page's
    venue points at the venue's translation, which nobody may have published yet."""
    objects = list(objects)
    chain = list(dict.fromkeys([active_locale().pk, source_locale().pk]))
    wanted = defaultdict(set)
    for obj in objects:
        if obj is not None and not (obj.locale_id == chain[0] and is_readable(obj)):
            wanted[type(obj)].add(obj.translation_key)
    found = {}
    for model, keys in wanted.items():
        candidates = readable(model.objects.filter(locale_id__in=chain, translation_key__in=keys))
        for candidate in sorted(candidates, key=lambda c: chain.index(c.locale_id)):
            found.setdefault((model, candidate.translation_key), candidate)
    return [_best(obj, found, chain) for obj in objects]


def _best(obj, found, chain):
    if obj is None or (obj.locale_id == chain[0] and is_readable(obj)):
        return obj
    best = found.get((type(obj), obj.translation_key))
    return best if best is not None else (obj if is_readable(obj) else None)


def localize_attribute(items, attribute):
    """Replace `item.<attribute>` by its translation on each item, in one query per model (by
    None where readers may not see it; in memory only, for rendering)."""
    items = list(items)
    localized = localize_all(getattr(item, attribute) for item in items)
    for item, obj in zip(items, localized, strict=True):
        setattr(item, attribute, obj)
    return items
