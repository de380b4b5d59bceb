"""Translation status of content objects per language, shared by the admin report and the API.

Statuses (the source language is always ``up_to_date`` and flagged ``source``):

- ``missing``: no object in that language (an alias of the Czech page counts as missing: it is
  not a translation).
- ``in_progress``: the translation exists but nothing translated is live yet: a page or snippet
  translation never published (wagtail-localize creates both as drafts).
- ``outdated``: a translated version is live but the source changed since: after a sync some
  segments are untranslated, the published translation predates the last sync of its source, or
  the source changed and was not synced yet (page published after the last sync when syncing on
  publish is off; snippet fields differ from the synced copy).
- ``up_to_date``: live, every segment translated, published after the last sync.

Computed in bulk: three queries for any number of objects (objects, translations with their
segment counts, nothing per object).
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from modelcluster.models import (
    ClusterableModel,
    get_all_child_relations,
    get_serializable_data_for_fields,
)
from wagtail.models import Page

from home.localization import content_languages
from home.rows import Row

UP_TO_DATE = "up_to_date"
OUTDATED = "outdated"
IN_PROGRESS = "in_progress"
MISSING = "missing"
STATUSES = (UP_TO_DATE, OUTDATED, IN_PROGRESS, MISSING)


PAGE_STATE_FIELDS = (
    "pk",
    "translation_key",
    "alias_of_id",
    "live",
    "expired",
    "expire_at",
    "last_published_at",
    "title",
)


class PageRow(Row):
    """A page in one language, read as PAGE_STATE_FIELDS."""


@dataclass(frozen=True)
class TranslationState:
    language: str
    status: str
    instance: object | None = None  # the object in that language (pages: a PageRow), if any
    source: bool = False


def translation_states(model, translation_keys):
    """{translation_key: {language: TranslationState}} for objects of a translatable `model`."""
    keys = set(translation_keys)
    if not keys:
        return {}
    found = defaultdict(dict)
    objects = model.objects.filter(translation_key__in=keys)
    if issubclass(model, Page):
        # Only what a page's state (and is_readable, edit_url) reads, as plain rows: page
        # instances of every language cost most of a Concept tree's time.
        objects = [
            PageRow(**values)
            for values in objects.values(*PAGE_STATE_FIELDS, language=F("locale__language_code"))
        ]
    else:
        objects = objects.select_related("locale")
    for obj in objects:
        found[obj.translation_key][obj.locale.language_code] = obj
    progress = _translation_progress(keys, with_content=not issubclass(model, Page))
    source_language = settings.LANGUAGE_CODE
    return {
        key: {
            language: _state(
                language,
                found[key].get(language),
                found[key].get(source_language),
                progress.get((key, language)),
                language == source_language,
            )
            for language in content_languages()
        }
        for key in keys
    }


@dataclass(frozen=True)
class _Progress:
    total: int
    translated: int
    synced_at: object  # TranslationSource.last_updated_at
    content_json: str


def _translation_progress(keys, with_content):
    """{(translation_key, language): _Progress} for enabled translations of Czech sources."""
    from wagtail_localize.models import StringSegment, StringTranslation, Translation

    segments = StringSegment.objects.filter(source_id=OuterRef("source_id"))
    total = segments.order_by().values("source_id").annotate(n=Count("pk")).values("n")
    translated = (
        segments.filter(
            Exists(
                StringTranslation.objects.filter(
                    translation_of_id=OuterRef("string_id"),
                    context_id=OuterRef("context_id"),
                    locale_id=OuterRef(OuterRef("target_locale_id")),
                    has_error=False,
                )
            )
        )
        .order_by()
        .values("source_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Translation.objects.filter(
            enabled=True,
            source__object_id__in=keys,
            source__locale__language_code=settings.LANGUAGE_CODE,
        )
        .annotate(
            total=Coalesce(Subquery(total, output_field=IntegerField()), 0),
            translated=Coalesce(Subquery(translated, output_field=IntegerField()), 0),
        )
        .values_list(
            "source__object_id",
            "target_locale__language_code",
            "total",
            "translated",
            "source__last_updated_at",
            "source__content_json" if with_content else "source__object_repr",
        )
    )
    return {
        (key, language): _Progress(total, done, synced_at, content_json)
        for key, language, total, done, synced_at, content_json in rows
    }


def _state(language, instance, source_instance, progress, is_source):
    if instance is None:
        return TranslationState(language, MISSING)
    if is_source:
        return TranslationState(language, UP_TO_DATE, instance, source=True)
    if isinstance(instance, PageRow):
        return _page_state(language, instance, source_instance, progress)
    return _snippet_state(language, instance, source_instance, progress)


def _page_state(language, page, source_page, progress):
    if page.alias_of_id:
        return TranslationState(language, MISSING)
    if not page.live:
        return TranslationState(language, IN_PROGRESS, page)
    if progress is None:
        # Translated by hand, outside wagtail-localize: outdated once the source is newer.
        if _later(source_page and source_page.last_published_at, page.last_published_at):
            return TranslationState(language, OUTDATED, page)
        return TranslationState(language, UP_TO_DATE, page)
    outdated = (
        progress.translated < progress.total
        or _later(progress.synced_at, page.last_published_at)
        or (
            not getattr(settings, "TRANSLATION_SYNC_ON_PUBLISH", True)
            and _later(source_page and source_page.last_published_at, progress.synced_at)
        )
    )
    return TranslationState(language, OUTDATED if outdated else UP_TO_DATE, page)


def _snippet_state(language, snippet, source_snippet, progress):
    if not snippet.live:
        return TranslationState(language, IN_PROGRESS, snippet)
    if progress is None:
        return TranslationState(language, UP_TO_DATE, snippet)
    outdated = progress.translated < progress.total or (
        source_snippet is not None and _changed_since_sync(source_snippet, progress.content_json)
    )
    return TranslationState(language, OUTDATED if outdated else UP_TO_DATE, snippet)


def _later(a, b):
    return a is not None and b is not None and a > b


def _changed_since_sync(instance, content_json):
    """Whether a snippet's fields differ from the copy its translation source was synced from
    (snippets have no revisions to compare dates with). No queries: fields only."""
    if isinstance(instance, ClusterableModel) and get_all_child_relations(type(instance)):
        return False  # comparing child relations would cost queries; synced on save instead
    current = json.loads(
        json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)
    )
    synced = json.loads(content_json)
    return any(synced.get(k) != v for k, v in current.items() if k in synced)
