"""Anonymous throttling of the APIs (v1 and Wagtail's v2): one count per client address."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from home.security.client_ip import client_ip


class AnonymousThrottle(AnonRateThrottle):
    """Per-address limit for anonymous readers; off while settings.API_THROTTLE_RATE is unset.

    The count lives in the default cache, shared by every worker when REDIS_URL is set. The
    address is home.security's rule, so a client cannot dodge the limit by sending its own
    X-Forwarded-For (DRF's default trusts that header whole)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_ident(self, request):
        return client_ip(request)
