"""Record changes and removals of API objects in ContentChange (see its docstring)."""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page
from wagtail.signals import page_unpublished, unpublished


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


def on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or isinstance(instance, Page):
        return  # pages carry their own publishing times
    if isinstance(instance, DraftStateMixin) and not (instance.live and update_fields is None):
        # A draft (a new translation, a draft saved on a live snippet: Wagtail then updates only
        # the revision fields) changes nothing readers see; a live row saved whole does.
        return
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
        elif issubclass(model, DraftStateMixin):
            unpublished.connect(on_remove, sender=model, dispatch_uid=f"{uid}-unpublish")
