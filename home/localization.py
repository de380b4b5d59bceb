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


def _forget_locales(**kwargs):
    _locales.clear()


request_started.connect(_forget_locales, dispatch_uid="home.localization.forget_locales")


def localize(obj):
    """The object in the active language where it is translated (and live), else itself; None
    where it is not live in either (a snippet never published)."""
    if obj is None:
        return None
    return localize_all([obj])[0]


def localize_all(objects):
    """`localize` for many objects: one query per model, none when all are in the language.
    The result lines up with `objects` (None for what readers may not see)."""
    objects = list(objects)
    locale = active_locale()
    wanted = defaultdict(set)
    for obj in objects:
        if obj is not None and obj.locale_id != locale.pk:
            wanted[type(obj)].add(obj.translation_key)
    found = {}
    for model, keys in wanted.items():
        translations = readable(model.objects.filter(locale=locale, translation_key__in=keys))
        found.update(((model, t.translation_key), t) for t in translations)
    localized = (
        found.get((type(obj), obj.translation_key), obj) if obj is not None else None
        for obj in objects
    )
    return [obj if is_readable(obj) else None for obj in localized]


def localize_attribute(items, attribute):
    """Replace `item.<attribute>` by its translation on each item, in one query per model (by
    None where readers may not see it; in memory only, for rendering)."""
    items = list(items)
    localized = localize_all(getattr(item, attribute) for item in items)
    for item, obj in zip(items, localized, strict=True):
        setattr(item, attribute, obj)
    return items
