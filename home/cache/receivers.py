"""Every event that can change what a reader sees moves the content version (version.py).

Saves and deletions of the models readers see (pages, the API's tracked models, snippets, view
restrictions, locales, sites, settings, images, documents), and Wagtail's publishing signals
(scheduled publishing and expiry run through them too: `publish_scheduled` publishes revisions and
unpublishes expired pages). A save that only records a draft (Wagtail updates a few revision
fields) changes nothing a reader sees and moves nothing."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)
from wagtail.snippets.models import get_snippet_models

from .version import bump_content_version

# Fields Wagtail writes alone when a draft is saved, locked or scheduled: no reader sees them.
DRAFT_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "locked_by_id",
    }
)

_reader_models = None


def reader_models():
    """The model classes whose rows readers see (computed once, after the app registry)."""
    global _reader_models
    if _reader_models is None:
        from wagtail.documents.models import AbstractDocument
        from wagtail.images.models import AbstractImage
        from wagtail.models import Locale, Page, PageViewRestriction, Site

        from home.resources import tracked_models

        tracked = set(tracked_models())
        bases = (Page, PageViewRestriction, Locale, Site, BaseGenericSetting, BaseSiteSetting)
        _reader_models = (*bases, AbstractImage, AbstractDocument, *tracked)
    # Snippets register in wagtail_hooks, possibly after the first save (migrations): not kept.
    return (*_reader_models, *get_snippet_models())


def on_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, reader_models()):
        return
    if update_fields is not None and set(update_fields) <= DRAFT_BOOKKEEPING:
        return
    if created and isinstance(instance, (BaseGenericSetting, BaseSiteSetting)):
        return  # made with its defaults on first read (for_request): what readers already saw
    bump_content_version(f"{sender._meta.label_lower} saved")


def on_delete(sender, instance, **kwargs):
    if isinstance(instance, reader_models()):
        bump_content_version(f"{sender._meta.label_lower} deleted")


def on_signal(sender, **kwargs):
    bump_content_version(f"{sender._meta.label_lower} published, unpublished or moved")


def connect():
    post_save.connect(on_save, dispatch_uid="home.cache.save")
    post_delete.connect(on_delete, dispatch_uid="home.cache.delete")
    for signal in (page_published, page_unpublished, post_page_move, published, unpublished):
        signal.connect(on_signal, dispatch_uid=f"home.cache.{id(signal)}")
