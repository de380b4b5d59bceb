"""Record changes and removals of API objects in ContentChange (see its docstring)."""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_unpublished


def record_change(instance, deleted=False):
    from .models import ContentChange

    now = timezone.now()
    change, created = ContentChange.objects.get_or_create(
        model=instance._meta.label_lower,
        translation_key=instance.translation_key,
        language=instance.locale.language_code,
        defaults={"created": now, "modified": now, "deleted": deleted},
    )
    if not created:
        change.modified = now
        change.deleted = deleted
        change.save(update_fields=["modified", "deleted"])


def on_save(sender, instance, raw=False, **kwargs):
    # Pages carry their own publishing times; drafts saved on them must not count as changes.
    if not raw and not isinstance(instance, Page):
        record_change(instance)


def on_remove(sender, instance, **kwargs):
    record_change(instance, deleted=True)


def connect():
    for label in getattr(settings, "API_TRACKED_MODELS", []):
        model = apps.get_model(label)
        uid = f"content-change-{label}"
        post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(on_remove, sender=model, dispatch_uid=f"{uid}-delete")
        if issubclass(model, Page):
            page_unpublished.connect(on_remove, sender=model, dispatch_uid=f"{uid}-unpublish")
