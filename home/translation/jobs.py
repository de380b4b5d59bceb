"""Starting and syncing translations.

A page and its subtree are one job (`start_translation(..., include_subtree=True)`); missing parent
pages in the target language are created as real (draft) translations, never as aliases, because
an alias would serve Czech under /uk/ (see `convert_alias_parent`).
"""

from django.conf import settings
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
    if isinstance(instance, Page):
        instance = instance.specific
    creator = DraftSafeTranslationCreator(user, list(locales))
    creator.create_translations(instance)
    if isinstance(instance, Page) and include_subtree:
        for page in instance.get_descendants().specific().order_by("path"):
            creator.create_translations(page)
    return [t for group in creator.mappings.values() for t in group]


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
