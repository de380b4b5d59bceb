"""What a reader of a language sees: the one rule, shared by pages, the API, the calendar, the
sitemap and the JSON-LD.

A reader of language X is served each object in the first language of X's fallback chain
(settings.LANGUAGE_FALLBACK_CHAINS, e.g. uk → en → cs; the source language always ends a chain) in
which the object is readable: live (pages and snippets with draft state), and for pages not an
alias copy in another language (an alias would serve Czech under /uk/ as if it were Ukrainian).

Synchronised foreign keys (a contact's person, an actor's organisation, an action-plan item's
measure) point at the Czech source; lists are localized with ``localize_all``: at most one query
per model, none when every object is already in the reader's language.
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import request_started
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from wagtail.models import DraftStateMixin, Locale, Page, PageViewRestriction


def content_languages():
    """Codes of the content languages, source first (settings.CONTENT_LANGUAGES)."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def fallback_chain(language):
    """[language, …fallbacks…, source]: from settings.LANGUAGE_FALLBACK_CHAINS; the source
    language always ends the chain, languages that are not content languages are skipped."""
    available = content_languages()
    chain = [language]
    for code in settings.LANGUAGE_FALLBACK_CHAINS.get(language, []):
        if code in available and code not in chain:
            chain.append(code)
    if settings.LANGUAGE_CODE not in chain:
        chain.append(settings.LANGUAGE_CODE)
    return chain


def reader_language():
    """The language the reader asked for (the active one: /uk/… for pages)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in content_languages() else settings.LANGUAGE_CODE


def reader_chain():
    return fallback_chain(reader_language())


# --- Locales, cached per request (a handful of rows) ------------------------------------------
_locales = {}


def _locale_codes():
    if "codes" not in _locales:
        _locales["codes"] = dict(Locale.objects.values_list("pk", "language_code"))
    return _locales["codes"]


def language_of(obj):
    """The language code an object is written in, without a query per object."""
    cached = obj._state.fields_cache.get("locale")
    if cached is not None:  # select_related("locale"): no query at all
        return cached.language_code
    codes = _locale_codes()
    if obj.locale_id not in codes:  # a locale created during this request
        _locales.clear()
        codes = _locale_codes()
    return codes[obj.locale_id]


def _forget_locales(**kwargs):
    _locales.clear()


request_started.connect(_forget_locales, dispatch_uid="home.localization.forget_locales")
post_save.connect(_forget_locales, sender=Locale, dispatch_uid="home.localization.locale_saved")
post_delete.connect(_forget_locales, sender=Locale, dispatch_uid="home.localization.locale_gone")


# --- Expiry and hidden subtrees ----------------------------------------------------------------
def past_expiry(now=None):
    """The expiry condition, the only one: a page (or snippet) whose `expire_at` has passed is
    gone for readers at once, on every channel, even before `publish_scheduled` unpublishes it."""
    return Q(expire_at__lte=now or timezone.now())


_snapshot = contextvars.ContextVar("hidden_subtrees", default=None)


@contextmanager
def request_snapshot():
    """Within it, hidden subtrees are looked up once (one query per request, not per use)."""
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def hidden_subtrees(now=None):
    """Tree paths of the pages that hide themselves and everything below them: unpublished,
    expired or view-restricted (an expired platform hides its live meetings)."""
    cache = _snapshot.get()
    if cache is None:
        return _hidden_subtrees(now or timezone.now())
    if "paths" not in cache:
        cache["paths"] = _hidden_subtrees(now or timezone.now())
    return cache["paths"]


def _hidden_subtrees(now):
    """One query; few rows, like Wagtail's own PageQuerySet.public(). Only pages with children
    matter: the others are excluded by their own state."""
    paths = sorted(
        Page.objects.filter(
            (Q(numchild__gt=0) & (Q(live=False) | past_expiry(now)))  # index page_parents
            | Q(pk__in=PageViewRestriction.objects.values("page_id"))
        ).values_list("path", flat=True)
    )
    tops = []
    for path in paths:  # sorted: an ancestor comes before its descendants
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    return tops


def outside_hidden_subtrees(queryset, now=None):
    """`queryset` (of pages) without the pages below a hidden page (see `hidden_subtrees`)."""
    hidden = hidden_subtrees(now)
    if not hidden:
        return queryset
    below = Q()
    for path in hidden:
        below |= Q(path__startswith=path)
    return queryset.exclude(below)


# --- Choosing the version a reader sees -------------------------------------------------------
def readable(queryset, now=None):
    """Only versions a reader may be served: live, not past their expiry (even before
    `publish_scheduled` unpublishes them), and no alias copy in another language."""
    model = queryset.model
    if issubclass(model, Page):
        # An alias in its own language (a synced copy left as is) is a real version; EXISTS
        # rather than a join: the planner then reads the aliased page only for an alias,
        # instead of hashing the whole page table for every query.
        same_language = Page.objects.filter(pk=OuterRef("alias_of_id"), locale=OuterRef("locale"))
        return (
            queryset.filter(live=True)
            .exclude(past_expiry(now))
            .filter(Q(alias_of__isnull=True) | Exists(same_language))
        )
    if issubclass(model, DraftStateMixin):  # snippets expire as pages do (their schedule)
        return queryset.filter(live=True).exclude(past_expiry(now))
    return queryset


def rank(obj, chain):
    """Position of an object's language in `chain` (lower is better)."""
    return chain.index(language_of(obj))


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


def localize(obj):
    """The object as the reader sees it (see `localize_all`)."""
    if obj is None:
        return None
    return localize_all([obj])[0]


def localize_all(objects, chain=None):
    """Each object in the best readable language of the reader's chain, or None where it has
    no readable version in the chain (a draft is never shown). One query per model at most."""
    objects = list(objects)
    chain = chain or reader_chain()
    done = tuple(chain)
    wanted = defaultdict(set)
    for obj in objects:
        if obj is None or getattr(obj, "_localized_for", None) == done:
            continue  # already the reader's version: templates may localize it again for free
        if language_of(obj) != chain[0] or not is_readable(obj):
            wanted[type(obj)].add(obj.translation_key)
    found = {}
    for model, keys in wanted.items():
        versions = best_instances(model.objects.all(), keys, chain)
        found.update(((model, key), version) for key, version in versions.items())

    def choose(obj):
        if obj is None or obj.translation_key not in wanted.get(type(obj), ()):
            return obj
        return found.get((type(obj), obj.translation_key))

    chosen = [choose(obj) for obj in objects]
    for obj in chosen:
        if obj is not None:
            obj._localized_for = done
    return chosen


def is_readable(obj):
    """Whether a reader may see `obj`: live where the model has draft state (pages, snippets),
    and not past its expiry."""
    if obj is None or not getattr(obj, "live", True) or getattr(obj, "expired", False):
        return False
    expire_at = getattr(obj, "expire_at", None)
    return expire_at is None or expire_at > timezone.now()


def localize_attribute(items, attribute):
    """Replace `item.<attribute>` by its translation on each item, in one query per model."""
    items = list(items)
    localized = localize_all(getattr(item, attribute) for item in items)
    for item, obj in zip(items, localized, strict=True):
        if obj is not None:
            setattr(item, attribute, obj)
    return items


def is_fallback(obj):
    """Whether the reader sees this object in another language than the one they asked for."""
    return obj is not None and language_of(obj) != reader_language()


def reader_pages(ancestor, model=Page, children_only=False, chain=None):
    """Live, public pages below `ancestor` as the reader sees them: the pages below every version
    of `ancestor`, each in its best readable language, annotated with `source_path` (the path of
    the Czech source, for grouping and ordering as in the source tree) and ordered by it. A reader
    of a translated page still finds what nobody has translated yet (in Czech, marked)."""
    chain = chain or reader_chain()
    versions = list(readable(Page.objects.filter(translation_key=ancestor.translation_key)))
    if not versions:
        return model.objects.none()
    below = Q()
    for version in versions:
        below |= Q(path__startswith=version.path)
    pages = readable(model.objects.filter(below, depth__gt=ancestor.depth))
    if children_only:
        pages = pages.filter(depth=ancestor.depth + 1)
    # Nothing below an expired, unpublished or view-restricted page (an expired area, a private
    # subtree): the request's one lookup of hidden subtrees, not Wagtail's public() (a query of
    # view restrictions at every call, several per rendered page).
    pages = outside_hidden_subtrees(pages)
    source_path = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=settings.LANGUAGE_CODE
    ).values("path")[:1]
    return (
        in_best_language(pages, chain)
        .annotate(source_path=Coalesce(Subquery(source_path), F("path")))
        .order_by("source_path")
    )


def reader_children(parent, model=Page, chain=None):
    """The children of `parent` as the reader sees them (see `reader_pages`)."""
    return reader_pages(parent, model, children_only=True, chain=chain)
