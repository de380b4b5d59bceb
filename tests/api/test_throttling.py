"""Issue 10: anonymous API throttling is one count per client, shared by every worker (the
default cache: Redis when REDIS_URL is set), for API v1 and Wagtail's API v2 alike; a refusal
is a 429 problem with Retry-After."""

from unittest import skipUnless

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from home.api.throttling import AnonymousThrottle

from .base import ApiTestCase

CLIENT = "198.51.100.23"


class Worker:
    """Another application process: its own Redis client, built from the same settings."""

    def __init__(self):
        config = settings.CACHES["default"]
        self.cache = RedisCache(
            config["LOCATION"],
            {"KEY_PREFIX": config["KEY_PREFIX"], "OPTIONS": config.get("OPTIONS", {})},
        )

    def throttle(self, ip):
        """The throttle's verdict on an anonymous request from `ip`, counted in this worker."""
        throttle = AnonymousThrottle()
        throttle.cache = self.cache
        request = Request(APIRequestFactory().get("/api/v1/venues/", REMOTE_ADDR=ip))
        return throttle.allow_request(request, view=None), throttle


@override_settings(API_THROTTLE_RATE="3/min")
class ThrottlingTests(ApiTestCase):
    def assert_throttled(self, response):
        self.assertEqual(response.status_code, 429, response.content[:500])
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["status"], 429)
        self.assertGreater(int(response.headers["Retry-After"]), 0)

    def get_as(self, url, forwarded_for):
        return self.client.get(url, headers={"x-forwarded-for": forwarded_for})

    def test_a_forged_forwarded_for_does_not_reset_the_count(self):
        for n in range(3):
            self.get("/api/v1/venues/", x_forwarded_for=f"192.0.2.{n}")
        self.assert_throttled(self.get_as("/api/v1/venues/", "192.0.2.99"))

    @override_settings(CLIENT_IP_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_each_client_has_its_own_count(self):
        for _ in range(3):
            self.get("/api/v1/venues/", x_forwarded_for=CLIENT)
        self.assert_throttled(self.get_as("/api/v1/venues/", CLIENT))
        # What a client writes before the proxy's own entry is not trusted.
        self.assert_throttled(self.get_as("/api/v1/venues/", f"203.0.113.1, {CLIENT}"))
        self.get("/api/v1/venues/", x_forwarded_for="203.0.113.1")

    def test_wagtail_api_v2_is_throttled_alike(self):
        statuses = [self.client.get("/api/v2/pages/").status_code for _ in range(3)]
        self.assertNotIn(429, statuses)
        self.assert_throttled(self.client.get("/api/v2/pages/"))

    @skipUnless(settings.REDIS_URL, "REDIS_URL is unset: no shared cache between workers")
    def test_two_workers_share_one_count(self):
        worker = Worker()
        self.assertIsNot(worker.cache._cache, Worker().cache._cache)  # separate clients
        # This process serves two requests; the other worker sees them and counts a third …
        self.client.get("/api/v1/venues/", REMOTE_ADDR=CLIENT)
        self.client.get("/api/v1/venues/", REMOTE_ADDR=CLIENT)
        allowed, _ = worker.throttle(CLIENT)
        self.assertTrue(allowed)
        # … which this process sees: the fourth is refused here, and there.
        self.assert_throttled(self.client.get("/api/v1/venues/", REMOTE_ADDR=CLIENT))
        allowed, throttle = Worker().throttle(CLIENT)
        self.assertFalse(allowed)
        self.assertGreater(throttle.wait(), 0)
        # Another client is counted apart.
        self.assertTrue(worker.throttle("203.0.113.9")[0])
