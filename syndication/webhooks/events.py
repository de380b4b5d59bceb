"""Events: which changes make a webhook, and what it says.

A change made in a transaction is announced only once the transaction commits
(transaction.on_commit): a rolled-back publish sends nothing. Then one WebhookDelivery per
interested subscriber is stored and queued for the task runner (delivery.deliver)."""

import json
import uuid

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, published, unpublished

from home.api.pages import RESOURCE_OF_MODEL, RESOURCE_URL_NAMES

EVENT_TYPES = [
    "content.published",
    "translation.published",
    "content.unpublished",
    "content.deleted",
]


def resource_of(instance):
    """(resource, the object it is about) or (None, None) for what the API does not serve."""
    label = instance._meta.label_lower
    resource = RESOURCE_OF_MODEL.get(label)
    if resource is None:
        return None, None
    if label in {"concept.prioritypage", "concept.areapage"}:
        from concept.models import ConceptPage

        levels_up = 2 if label == "concept.areapage" else 1
        concept_path = instance.path[: ConceptPage.steplen * (instance.depth - levels_up)]
        concept = ConceptPage.objects.filter(path=concept_path).first()
        return (resource, concept) if concept else (None, None)
    return resource, instance


def api_base_url():
    base = getattr(settings, "WEBHOOK_API_BASE_URL", "")
    if base:
        return base.rstrip("/")
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def event(event_type, resource, obj):
    language = obj.locale.language_code
    path = reverse(f"{RESOURCE_URL_NAMES[resource]}-detail", args=[obj.translation_key])
    return {
        "type": event_type,
        "resource": resource,
        "id": str(obj.translation_key),
        "locale": language,
        "modified": timezone.now().isoformat(),
        "url": f"{api_base_url()}{path}?locale={language}",
    }


def announce(event_type, instance):
    """Queue the event for after the commit (nothing at all if the transaction rolls back)."""
    if getattr(instance, "alias_of_id", None):
        return  # the API serves each object once; an alias copy is not an object of its own
    resource, obj = resource_of(instance)
    if resource is None:
        return
    if event_type == "content.published":
        if isinstance(obj, Page) and not _visible(obj):
            return  # a private or hidden page: consumers would only get a 404
        if obj.locale.language_code != settings.LANGUAGE_CODE:
            event_type = "translation.published"
    payload = event(event_type, resource, obj)
    transaction.on_commit(lambda: dispatch(payload))


def _visible(page):
    from home.api.content import visible_pages

    return visible_pages(type(page)).filter(pk=page.pk).exists()


def dispatch(payload):
    """Store one delivery per interested subscriber and queue it (runs after the commit)."""
    from syndication.models import WebhookDelivery, WebhookSubscriber

    from .delivery import enqueue

    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    with transaction.atomic():
        deliveries = [
            WebhookDelivery.objects.create(
                subscriber=subscriber,
                message_id=f"msg_{uuid.uuid4().hex}",
                event_type=payload["type"],
                body=body,
            )
            for subscriber in WebhookSubscriber.objects.filter(active=True)
            if subscriber.wants(payload["resource"], payload["locale"])
        ]
    for delivery in deliveries:
        enqueue(delivery)
    return deliveries


# --- signal receivers --------------------------------------------------------------------------
def on_published(sender, instance, **kwargs):
    announce("content.published", instance)


def on_unpublished(sender, instance, **kwargs):
    announce("content.unpublished", instance)


def on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and not instance.live:
        return  # a draft nobody could read: nothing to take back
    announce("content.deleted", instance)


def connect():
    for label in RESOURCE_OF_MODEL:
        model = apps.get_model(label)
        uid = f"webhooks-{label}"
        post_delete.connect(on_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        if issubclass(model, Page):
            page_published.connect(on_published, sender=model, dispatch_uid=f"{uid}-publish")
            page_unpublished.connect(on_unpublished, sender=model, dispatch_uid=f"{uid}-unpub")
        else:
            published.connect(on_published, sender=model, dispatch_uid=f"{uid}-publish")
            unpublished.connect(on_unpublished, sender=model, dispatch_uid=f"{uid}-unpub")
