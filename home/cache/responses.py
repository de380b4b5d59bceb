"""Whole responses from the shared cache, for anonymous readers: the API v1 (JSON and the
calendar), rendered pages and the sitemap.

Key: (scheme, host, path, normalised query, and for the API its representation and language
headers); the entry counts only under the content version it was made under (one round trip to
the cache reads both). The entry keeps the body, the headers, the ETag and Last-Modified, so a
conditional request is answered 304 from the lookup alone, and a 200 without rendering. An entry
expires at the next time boundary (buckets.py) or when an answer says it changes (`valid_until`),
whichever comes first, and RESPONSE_CACHE_TIMEOUT at the latest. A process keeps its own copy of
the entries it served last (local.py) and then reads only the version from the shared cache.

Never cached: other methods, requests with a session (editors, a reader who entered a page
password) or credentials, previews and the admin, answers other than 200, answers that set a
cookie, use a CSRF token or a CSP nonce, vary on anything but the key's headers, or say
private/no-store. A view can refuse with `never_cache_response(request)`. With the cache down
everything is served uncached."""

import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe

from home.operations.availability import CACHE_ERRORS, OUTAGE_ERRORS

from . import local
from .buckets import next_boundary
from .version import content_version, content_version_and

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
NEVER = ("/api/v1/preview/",)  # headless preview: a token, a draft
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Request headers that are part of the key where the answer may depend on them.
API_HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE")
UNPREFIXED_HEADERS = ("HTTP_ACCEPT_LANGUAGE",)  # the sitemaps: language from the header
SITEMAPS = ("/sitemap.xml", "/sitemap-")  # the index and its sections (home/sitemap.py)
# Cookies that make an answer someone's own.
PERSONAL_COOKIES = ("messages",)


def never_cache_response(request):
    """Keep this request's answer out of the shared cache."""
    request._response_cache_refused = True


def served_paths():
    languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return (API_PREFIX, *SITEMAPS, *languages)


def is_page(path):
    """A rendered page, not the API or a sitemap."""
    return not path.startswith((API_PREFIX, *SITEMAPS))


def key_headers(path):
    if is_page(path):
        return ()
    return API_HEADERS if path.startswith(API_PREFIX) else UNPREFIXED_HEADERS


def wanted(request):
    """Whether this request may be answered from (and fill) the shared cache."""
    if settings.RESPONSE_CACHE_TIMEOUT <= 0 or request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    if not path.startswith(served_paths()) or path.startswith(NEVER):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in PERSONAL_COOKIES
    )


def entry_key(request):
    """The key of an answer; the entry holds the version it was made under (one lookup reads
    both, version.content_version_and), and a newer version's answer replaces it."""
    path = request.path_info
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    # Order of parameters doesn't matter to any view; order of one parameter's values might.
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    headers = [request.META.get(name, "") for name in key_headers(path)]
    parts = [request.scheme, request.get_host(), path, query, *headers]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"response:{digest}"


class ResponseCacheMiddleware:
    """Innermost middleware: the outer ones (CORS, CSP, request id, Vary on Origin) still run on a
    cached answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not wanted(request):
            return self.get_response(request)
        try:
            key = entry_key(request)
            version, entry = lookup(request, key)
            if current(entry, version) and self.allowed(request):
                return mark(conditional(request, entry, response_from(entry)), "HIT")
        except CACHE_ERRORS:
            return self.get_response(request)  # uncached, as if there were no cache
        except DisallowedHost:  # the view answers it as it always did (a 400)
            return self.get_response(request)
        if version is None:
            return self.get_response(request)
        # The view renders the full answer for the cache; the client's conditions apply after.
        conditions = {
            name: request.META.pop(name) for name in CONDITIONAL_HEADERS if name in request.META
        }
        response = self.get_response(request)
        request.META.update(conditions)
        entry = self.store(request, version, key, response) if response.status_code == 200 else None
        if entry is None:
            if conditions and response.status_code == 200:  # not cacheable: the view's own 304
                return conditional(request, {"headers": response.items()}, response)
            return response
        return mark(conditional(request, entry, response), "MISS")

    def allowed(self, request):
        """The API's anonymous throttle counts cached answers too (in the shared cache); over the
        limit, the view answers its 429."""
        if not request.path_info.startswith(API_PREFIX):
            return True
        from home.api.throttling import AnonymousThrottle

        return AnonymousThrottle().allow_request(request, None)

    def store(self, request, version, key, response):
        """Cache a fresh 200 when it is the same for every anonymous reader; the entry, or None."""
        if not cacheable(request, response):
            return None
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        now = time.time()
        expires = now + settings.RESPONSE_CACHE_TIMEOUT
        try:
            boundary = next_boundary(version)
        except OUTAGE_ERRORS:  # an answer made without the database (/api/v1/) is still good
            return None
        if boundary is not None:
            expires = min(expires, boundary)
        valid_until = answer_valid_until(response)
        if valid_until is not None:
            expires = min(expires, valid_until)
        if expires - now < 1:
            return None
        if is_page(request.path_info):
            # A page is another answer with a session (editors, page passwords: never cached);
            # SessionMiddleware says so on the miss, the stored headers say it on every hit.
            patch_vary_headers(response, ("Cookie",))
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified") and version[1] is not None:
            response.headers["Last-Modified"] = http_date(version[1])
        entry = {
            "version": version[0],
            "content": response.content,
            "headers": list(response.headers.items()),
            "expires": expires,
        }
        try:
            cache.set(key, entry, timeout=int(expires - now) + 1)
        except CACHE_ERRORS as error:
            logger.warning("Response not cached: %s", error)
            return entry
        local.entries.put(key, entry)
        return entry


def lookup(request, key):
    """(version, entry or None): this process's copy (local.py) when it is current under the
    version read now, else the shared cache's; one round trip either way. Raises the cache's
    errors."""
    mine = local.entries.get(key) if settings.RESPONSE_CACHE_LOCAL_BYTES > 0 else None
    if mine is not None:
        version = content_version(request)
        if current(mine, version):
            return version, mine
    version, shared = content_version_and(request, key)
    if current(shared, version):
        local.entries.put(key, shared)  # the next hit here needs only the version
    return version, shared


def current(entry, version):
    """Made under this content version and in the present time bucket."""
    return (
        entry is not None
        and version is not None
        and entry["version"] == version[0]
        and entry["expires"] > time.time()
    )


def cacheable(request, response):
    if getattr(request, "_response_cache_refused", False) or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if request.META.get("CSRF_COOKIE_USED") or isinstance(
        getattr(request, "_csp_nonce", None), str
    ):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    allowed = {name[5:].replace("_", "-").lower() for name in key_headers(request.path_info)}
    vary = response.get("Vary", "")
    varies = {part.strip().lower() for part in vary.split(",") if part.strip()}
    return varies <= allowed and not has_vary_header(response, "*")


def answer_valid_until(response):
    """The API's own `valid_until` (the first moment its answer changes), as epoch seconds."""
    data = getattr(response, "data", None)
    value = data.get("valid_until") if isinstance(data, dict) else None
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else value
    return moment.timestamp() if moment is not None else None


def mark(response, state):
    """X-Cache: HIT or MISS (the bench and the tests read it); absent when not cacheable."""
    response.headers["X-Cache"] = state
    return response


def response_from(entry):
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    return response


def conditional(request, entry, response):
    """304 when the client's copy is current, from the stored validators alone."""
    headers = {name.lower(): value for name, value in entry["headers"]}  # names are caseless
    last_modified = headers.get("last-modified")
    return get_conditional_response(
        request,
        etag=headers.get("etag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )
