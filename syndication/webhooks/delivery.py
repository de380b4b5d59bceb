"""Sending one delivery: sign, POST, record the outcome; retry later with exponential backoff
(WEBHOOK_RETRY_DELAYS-style: base × 2^(attempt-1)) until WEBHOOK_MAX_ATTEMPTS."""

import datetime
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import signing
from .addresses import check_url

logger = logging.getLogger(__name__)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (a failure), never followed: it could point anywhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url, body, headers, timeout):
    """POST `body`; returns the HTTP status (raises OSError on network failure)."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            **headers,
            "Content-Type": "application/json",
            "User-Agent": "praha-integrace-webhooks/1",
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def backoff(attempts):
    """Seconds to wait after the `attempts`-th failed attempt: base, 2·base, 4·base…"""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1)


@task()
def deliver(delivery_id):
    attempt(delivery_id)


def enqueue(delivery, run_after=None):
    if run_after is None:
        deliver.enqueue(delivery.pk)
    elif deliver.get_backend().supports_defer:
        deliver.using(run_after=run_after).enqueue(delivery.pk)
    # else (tests' immediate backend): the delivery stays pending with next_attempt_at.


def attempt(delivery_id, now=None):
    """One attempt at a pending delivery; returns it (None if it is gone or not pending)."""
    from syndication.models import WebhookDelivery

    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscriber")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:  # delivered meanwhile (a replay and a retry racing), or deleted
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now or timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
    body = delivery.body.encode()
    status, error = None, ""
    try:
        check_url(delivery.subscriber.url)
        status = post(
            delivery.subscriber.url,
            body,
            signing.headers(delivery.subscriber.secret, delivery.message_id, body),
            settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except (OSError, ValueError) as exc:  # refused, timeout, TLS, DNS, a bad secret
        error = f"{type(exc).__name__}: {exc}"
    delivery.response_status = status
    delivery.last_error = error[:2000]
    now = timezone.now()
    run_after = None
    if not error:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at, delivery.next_attempt_at = now, None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        logger.warning("Webhook %s failed for good: %s", delivery.message_id, error)
    else:
        run_after = now + datetime.timedelta(seconds=backoff(delivery.attempts))
        delivery.next_attempt_at = run_after
    delivery.save(
        update_fields=[
            "status",
            "response_status",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if run_after is not None:
        enqueue(delivery, run_after)
    return delivery


def replay(delivery):
    """Send a delivery again from scratch (the admin's replay button)."""
    delivery.status = delivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: enqueue(delivery))
