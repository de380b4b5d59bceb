"""Starting and syncing translations.

A page and its subtree are one job (`start_translation(..., include_subtree=True)`); missing parent
pages in the target language are created as real (draft) translations, never as aliases, because
an alias would serve Czech under /uk/ (see `convert_alias_parent`).
"""

import contextlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import DraftStateMixin, Page, TranslatableMixin
from wagtail.signals import page_published
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import TranslationCreator

from home.localization import is_readable


class DraftSafeTranslationCreator(TranslationCreator):
    """wagtail-localize's TranslationCreator, minus one side effect: submitting an object re-saves
    the existing translations of the snippets it uses with ``publish=False``, which for a snippet
    with draft state means ``live = False``; translating a second page that shows the same venue
    would take the venue's published translation offline. A snippet's published translations are
    left alone here (`sync_source` keeps them current); its drafts and new languages are created
    as usual."""

    def create_translations(self, instance, include_related_objects=True):
        if isinstance(instance, Page) or not isinstance(instance, DraftStateMixin):
            return super().create_translations(instance, include_related_objects)
        live = set(
            type(instance)
            .objects.filter(translation_key=instance.translation_key, live=True)
            .values_list("locale_id", flat=True)
        )
        all_locales = self.target_locales
        self.target_locales = [locale for locale in all_locales if locale.pk not in live]
        try:
            return super().create_translations(instance, include_related_objects)
        finally:
            self.target_locales = all_locales


@transaction.atomic
def start_translation(instance, locales, include_subtree=False, user=None):
    """Submit `instance` (and with `include_subtree` every page below it) for translation into
    `locales`; returns the `Translation` records of the job (snippets the pages use included).

    Pages and snippets are created as drafts (WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is
    off): nobody reads them in the target language until someone publishes them."""
    return start_objects(job_objects(instance, include_subtree), locales, user=user)


def start_objects(instances, locales, user=None):
    """What wagtail-localize's TranslationCreator does for each of `instances` (Czech pages in
    tree order, or snippets), for a batch: sources and translation records in a constant number
    of queries (home/translation/bulk.py), then a draft for every object not yet translated into
    a locale (snippets the pages use first, so the drafts point at them; pages in bulk,
    home/translation/drafts.py). Objects already translated keep their target as it is, so a
    rerun only finishes the rest."""
    from wagtail_localize.models import RelatedObjectSegment

    from .bulk import ensure_sources
    from .drafts import create_page_drafts

    locales = list(locales)
    sources = ensure_sources(instances)
    related = {}
    for object_id, content_type_id in (
        RelatedObjectSegment.objects.filter(source__in=list(sources.values()))
        .values_list("object_id", "object__content_type_id")
        .distinct()
    ):
        related.setdefault(content_type_id, set()).add(object_id)
    snippets = []
    locale_ids = {i.locale_id for i in instances}
    for content_type_id, keys in related.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        snippets += model.objects.filter(translation_key__in=keys, locale_id__in=locale_ids)
    snippet_sources = ensure_sources(snippets)
    ordered = [
        *snippet_sources.values(),
        *(s for k, s in sources.items() if k not in snippet_sources),
    ]
    translations = ensure_translations(ordered, locales)
    exists = existing_targets(ordered, locales)
    pages = []
    for translation in translations:
        key = (translation.source.object_id, translation.target_locale_id)
        if key in exists:
            continue
        model = ContentType.objects.get_for_id(
            translation.source.specific_content_type_id
        ).model_class()
        if issubclass(model, Page):
            pages.append(translation)  # after the snippets, in tree order, in bulk
            continue
        publish = not issubclass(model, DraftStateMixin)
        with contextlib.suppress(ValidationError):
            translation.save_target(user=user, publish=publish)
    create_page_drafts(pages, user=user)
    return translations


def ensure_translations(sources, locales):
    """Enabled Translation records of `sources` into `locales`, in the order of `sources`
    (a constant number of queries)."""
    from wagtail_localize.models import Translation

    found = {
        (t.source_id, t.target_locale_id): t
        for t in Translation.objects.filter(source__in=sources, target_locale__in=locales)
    }
    disabled = [t.pk for t in found.values() if not t.enabled]
    if disabled:
        Translation.objects.filter(pk__in=disabled).update(enabled=True)
    missing = [
        Translation(source=source, target_locale=locale, enabled=True)
        for source in sources
        for locale in locales
        if source.locale_id != locale.pk and (source.pk, locale.pk) not in found
    ]
    if missing:
        Translation.objects.bulk_create(missing)
        found.update(
            {
                (t.source_id, t.target_locale_id): t
                for t in Translation.objects.filter(source__in=sources, target_locale__in=locales)
            }
        )
    by_source = {s.pk: s for s in sources}
    result = []
    for source in sources:
        for locale in locales:
            translation = found.get((source.pk, locale.pk))
            if translation is not None:
                translation.enabled = True
                translation.source = by_source[source.pk]
                translation.target_locale = locale
                result.append(translation)
    return result


def existing_targets(sources, locales):
    """{(translation_key, locale_id)} of the objects that exist in `locales` already: one query
    per translatable base model (Page for all pages)."""
    by_model = {}
    for source in sources:
        model = ContentType.objects.get_for_id(source.specific_content_type_id).model_class()
        if model is None:
            continue
        base = model.get_translation_model()
        by_model.setdefault(base, set()).add(source.object_id)
    found = set()
    for model, keys in by_model.items():
        targets = model.objects.filter(translation_key__in=keys, locale__in=locales)
        if issubclass(model, Page):
            targets = targets.filter(alias_of__isnull=True)  # an alias is converted, not kept
        found.update(targets.values_list("translation_key", "locale_id"))
    return found


def job_objects(instance, include_subtree):
    """The source objects of a job: the object itself, its subtree's pages if asked."""
    if isinstance(instance, Page):
        instance = instance.specific
        if include_subtree:
            return [instance, *instance.get_descendants().specific().order_by("path")]
    return [instance]


def convert_alias_parent(sender, source_obj, target_obj, **kwargs):
    """wagtail-localize creates missing parents of a translated page as aliases of the Czech
    parent, which go live with it and serve Czech under /uk/. Turn such an alias into a draft
    translation of its own right instead."""
    if not isinstance(target_obj, Page) or not target_obj.alias_of_id:
        return
    if target_obj.locale_id == source_obj.locale_id:
        return  # an alias on another site (same language) is intended
    if target_obj.locale.language_code == settings.LANGUAGE_CODE:
        return
    source = source_obj.specific
    TranslationCreator(None, [target_obj.locale]).create_translations(
        source, include_related_objects=False
    )
    page = Page.objects.get(pk=target_obj.pk)
    if page.live:
        page.unpublish(log_action=False)


def sync_source(instance, user=None):
    """Re-extract a changed Czech source into its TranslationSource, keeping every unchanged
    segment's translation. Translations whose segments are all still translated are re-saved
    and published at once (their synchronised fields, e.g. dates, follow the source); the others
    keep their live version and show as outdated until a translator finishes them.

    Returns the TranslationSource, or None when the object was never submitted for translation."""
    if isinstance(instance, Page):
        instance = instance.specific
    if not isinstance(instance, TranslatableMixin):
        return None
    source = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    if source is None:
        return None
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    for translation in source.translations.filter(enabled=True).select_related("target_locale"):
        total, done = translation.get_progress()
        if total != done or not has_live_target(translation):
            continue  # a draft stays a draft until someone publishes it
        translation.source = source
        translation.save_target(user=user, publish=True)
    return source


def sync_sources(sources, user=None, force=False):
    """`sync_source` for many sources (TranslationSource rows of Czech objects) at once: their
    objects are loaded with one query per model, re-extracted in bulk (only those that changed,
    or all with `force`), and the complete, live translations of the changed ones re-published.
    Returns the number of sources re-extracted."""
    from .bulk import ensure_sources

    sources = list(sources)
    by_model = {}
    for source in sources:
        by_model.setdefault(source.specific_content_type_id, []).append(source)
    instances = []
    for content_type_id, group in by_model.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for locale_id in {s.locale_id for s in group}:
            instances += model.objects.filter(
                translation_key__in=[s.object_id for s in group if s.locale_id == locale_id],
                locale_id=locale_id,
            )
    before = {s.object_id: s.last_updated_at for s in sources}
    synced = ensure_sources(instances, update=True, force=force)
    changed = [s for key, s in synced.items() if s.last_updated_at != before.get(key)]
    if changed:
        publish_complete_translations(changed, user=user)
    return len(changed)


def publish_complete_translations(sources, user=None):
    """After a sync: translations whose segments are all still translated and that readers see
    are re-saved and published (their synchronised fields follow the source); drafts stay
    drafts. Only live targets are looked at, found with one query per model."""
    from wagtail_localize.models import Translation

    live = live_targets(sources)
    for translation in Translation.objects.filter(source__in=sources, enabled=True).select_related(
        "source", "target_locale"
    ):
        if (translation.source.object_id, translation.target_locale_id) not in live:
            continue
        total, done = translation.get_progress()
        if total != done:
            continue
        translation.save_target(user=user, publish=True)


def live_targets(sources):
    """{(translation_key, locale_id)} of the published translations of `sources`."""
    by_model = {}
    for source in sources:
        model = ContentType.objects.get_for_id(source.specific_content_type_id).model_class()
        if model is not None:
            by_model.setdefault(model.get_translation_model(), set()).add(source.object_id)
    found = set()
    for model, keys in by_model.items():
        rows = model.objects.filter(translation_key__in=keys).exclude(
            locale_id__in={s.locale_id for s in sources}
        )
        if issubclass(model, DraftStateMixin):
            rows = rows.filter(live=True)
        if issubclass(model, Page):
            rows = rows.filter(alias_of__isnull=True)
        found.update(rows.values_list("translation_key", "locale_id"))
    return found


def has_live_target(translation):
    """Whether readers see the translation's target (it exists and is published)."""
    try:
        target = translation.get_target_instance()
    except Exception:  # noqa: BLE001 - target deleted
        return False
    return is_readable(target)


def sync_on_publish(sender, instance, signal=None, **kwargs):
    """`page_published` and `published` receiver: sync translations when a Czech source is
    published (a draft saved on it changes nothing readers see). Wagtail sends pages both
    signals; they are synced once, on `page_published`."""
    if not getattr(settings, "TRANSLATION_SYNC_ON_PUBLISH", True):
        return
    if not isinstance(instance, TranslatableMixin):
        return
    if isinstance(instance, Page) and signal is not page_published:
        return
    if instance.locale.language_code != settings.LANGUAGE_CODE:
        return
    sync_source(instance, user=getattr(kwargs.get("revision"), "user", None))
