from wagtail import hooks

from .webhooks.admin import WebhookSubscriberViewSet, admin_urls


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookSubscriberViewSet()


hooks.register("register_admin_urls", admin_urls)
