from wagtail import hooks

from .webhooks.admin import WebhookSubscriberViewSet, admin_urls


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookSubscriberViewSet()


hooks.register("register_admin_urls", admin_urls)


# Headless preview: a page header button opening the consumer's preview with a signed token.
from django.urls import path  # noqa: E402

from . import preview  # noqa: E402

hooks.register("register_page_header_buttons", preview.header_buttons)


@hooks.register("register_admin_urls")
def preview_urls():
    return [path("headless-preview/<int:page_id>/", preview.admin_preview, name="headless_preview")]
