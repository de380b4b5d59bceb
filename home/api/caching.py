"""Conditional GET for API responses: strong ETag from the body, Last-Modified from the latest
change of any content (or the content version's last move, if later), 304s, Cache-Control.
The shared response cache (home/cache/responses.py) stores these validators with the body."""

from django.conf import settings
from django.db.models import Max
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from wagtail.models import Page

from home.cache.version import content_version_moment
from home.models import ContentChange


def latest_change_moment(request=None):
    """When any content was last published, changed or removed (full precision; None when
    nothing was ever published). Remembered on the request: the list's sync cursor and
    Last-Modified are the same moment, read once.

    Global on purpose: a list can change because an object left it, which its own objects'
    timestamps would not show."""
    if request is not None and hasattr(request, "_api_latest_change"):
        return request._api_latest_change
    candidates = [
        Page.objects.aggregate(latest=Max("last_published_at"))["latest"],
        ContentChange.objects.aggregate(latest=Max("modified"))["latest"],
    ]
    candidates = [moment for moment in candidates if moment is not None]
    moment = max(candidates) if candidates else None
    if request is not None:
        request._api_latest_change = moment
    return moment


def latest_change(request=None):
    """latest_change_moment in whole seconds (HTTP dates have no fractions)."""
    moment = latest_change_moment(request)
    return int(moment.timestamp()) if moment is not None else None


def last_modified(request=None):
    """Last-Modified: the latest change, or the content version's last move when later. A view
    restriction or an expiry changes no timestamp but moves the version, so a client's
    If-Modified-Since from before it never keeps what was removed."""
    moments = [latest_change(request), content_version_moment(request)]
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def conditional(request, response, content=True):
    """Add validators and caching headers to a 200 response; 304 if the client is current.
    `content=False`: the body shows no content (the discovery document), so no Last-Modified
    and no database read: it answers during a database outage too."""
    patch_vary_headers(response, ("Accept-Language",))
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    set_response_etag(response)
    modified = last_modified(request) if content else None
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
    return get_conditional_response(
        request,
        etag=response.headers["ETag"],
        last_modified=modified,
        response=response,
    )
