"""Fail soft: with the database or the cache down, readers get a 503 that says "try again later",
never a 500, and the platform recovers by itself when the service is back.

One middleware (ServiceAvailabilityMiddleware, right after SecurityMiddleware) answers for
errors raised in views; Django turns an error raised in another middleware (sessions, Wagtail's
redirects) into a call of ``handler500`` instead, so cms/urls.py points ``handler500`` at
``server_error`` below, which gives the same answer. /api/… gets application/problem+json,
pages a short static HTML page (templates/503.html: no database, no cache) in the language of
the URL prefix. Both carry Retry-After and are never cached.

Recovery: a broken database connection is closed at once (with CONN_MAX_AGE>0 Django would
otherwise keep reusing it), so the next request opens a new one; redis-py reconnects by itself.
Each outage is logged once per process at ERROR with its cause, and its end at WARNING: while a
service is marked down, a request that succeeds runs the /readyz probe of that service.
"""

import logging
import sys
import time
import uuid

import redis.exceptions
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as django_server_error

from home.api.errors import PROBLEM_CONTENT_TYPE, problem

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
CACHE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
OUTAGE_ERRORS = DATABASE_ERRORS + CACHE_ERRORS
# Paths whose success says nothing about the services (they use neither).
NOT_A_SIGN_OF_RECOVERY = ("/healthz", "/static/")

_down_since = {}  # service -> time.monotonic() of the first failure, per process


def service_of(error):
    return "database" if isinstance(error, DATABASE_ERRORS) else "cache"


class ServiceAvailabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if (
            _down_since
            and response.status_code < 500
            and not path.startswith(NOT_A_SIGN_OF_RECOVERY)
        ):
            # Not every answer needs the service (/api/v1/ does not); confirm with a probe.
            for service in list(_down_since):
                PROBES[service]()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return outage_response(request, exception)
        return None


def server_error(request, *args, **kwargs):
    """handler500: Django calls it inside the `except` that caught an error of any middleware."""
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGE_ERRORS):
        return outage_response(request, error)
    return django_server_error(request, *args, **kwargs)


def outage_response(request, error):
    service = service_of(error)
    service_down(service, error)
    if service == "database":
        close_broken_connections()
    if request.path_info.startswith("/api/"):
        return unavailable_problem(f"The {service} is unavailable. Try again later.")
    return unavailable_page(request)


def unavailable_problem(detail, **extra):
    body = problem(503, detail) | extra
    response = JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)
    return retry_later(response)


def unavailable_page(request):
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = loader.get_template("503.html").render({"language": language})
    return retry_later(HttpResponse(html, status=503, headers={"Content-Language": language}))


def retry_later(response):
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER)
    add_never_cache_headers(response)  # a cache must not keep serving the outage
    # The outage is logged once (service_down); Django would log every answer as an error.
    response._has_been_logged = True
    return response


def close_broken_connections():
    """Close every database connection that no longer answers, so the next use reconnects."""
    for wrapper in connections.all(initialized_only=True):
        if wrapper.connection is not None and not wrapper.is_usable():
            wrapper.close()


def probe_database():
    """ "ok" if the database answers `SELECT 1`, else what failed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS as error:
        service_down("database", error)
        close_broken_connections()
        return f"unavailable: {error.__class__.__name__}"
    service_recovered("database")
    return "ok"


def probe_cache():
    """ "ok" if the cache gives back what was stored in it, else what failed."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except CACHE_ERRORS as error:
        service_down("cache", error)
        return f"unavailable: {error.__class__.__name__}"
    if answered != value:
        return "unavailable: the value read back differs"
    service_recovered("cache")
    return "ok"


PROBES = {"database": probe_database, "cache": probe_cache}


def service_down(service, error):
    if service not in _down_since:
        _down_since[service] = time.monotonic()
        cause = f"{type(error).__module__}.{type(error).__name__}: {error}"
        logger.error("The %s is unavailable, answering 503. %s", service, cause)


def service_recovered(service):
    since = _down_since.pop(service, None)
    if since is not None:
        logger.warning("The %s is back after %.1f s", service, time.monotonic() - since)
