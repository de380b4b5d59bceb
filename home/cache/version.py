"""The content version: a token in the default cache, replaced by every change a reader can see.

Stored as (token, moment): `moment` is when the version last moved, in whole seconds. It is the
floor of every cached answer's Last-Modified: a view restriction or an expiry changes no
timestamp in the database, but it moves the version, so a client's If-Modified-Since from before
it can never keep removed content.

The cache may be down: reads then give None (the caller serves uncached) and a bump that could not
be written is retried by this process at its next read, so entries cached before the outage are
not served under the old version once the cache is back."""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import transaction

from home.operations.availability import CACHE_ERRORS

logger = logging.getLogger(__name__)

KEY = "content-version"
_pending = []  # reasons of bumps this process could not write (cache down)


def _write(moment):
    cache.set(KEY, (uuid.uuid4().hex[:16], moment), timeout=None)


def _bump(reason):
    try:
        _write(int(time.time()))
    except CACHE_ERRORS as error:
        if not _pending:
            logger.warning("Content version not bumped (%s), will retry: %s", reason, error)
        _pending.append(reason)
        return
    _pending.clear()


def bump_content_version(reason=None):
    """Move the content version: every cached response is stale from now on.

    Inside a transaction it moves now (this request's own next read sees it) and again on commit,
    so that a reader who cached the state before the commit under the first version doesn't keep
    it under the second."""
    _bump(reason)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(reason))


def reset_content_version(moment=None):
    """Start a new version whose moment is `moment` (None: no change is known since the database
    was made, e.g. a test's fresh database)."""
    cache.set(KEY, (uuid.uuid4().hex[:16], moment), timeout=None)


def content_version(request=None):
    """(token, moment or None) of the current version, or None while the cache is down. Read once
    per request (remembered on it)."""
    if request is not None and hasattr(request, "_content_version"):
        return request._content_version
    try:
        if _pending:
            _bump(_pending[-1])
            if _pending:
                raise ConnectionError("content version still pending")
        version = cache.get(KEY)
        if version is None:
            # Lost (a flushed or new cache): nothing says what changed before, so the moment is
            # now, the safe side for If-Modified-Since.
            cache.add(KEY, (uuid.uuid4().hex[:16], int(time.time())), timeout=None)
            version = cache.get(KEY)
    except (*CACHE_ERRORS, ConnectionError):
        version = None
    if request is not None:
        request._content_version = version
    return version


def content_version_moment(request=None):
    """When the version last moved (epoch seconds), or None."""
    version = content_version(request)
    return version[1] if version else None


def content_version_and(request, key):
    """(version, the cached value of `key`) in one round trip to the cache: a hit of the response
    cache costs one. Raises the cache's errors."""
    if _pending or hasattr(request, "_content_version"):
        version = content_version(request)
        return version, (cache.get(key) if version else None)
    found = cache.get_many([KEY, key])
    if KEY not in found:
        return content_version(request), None
    request._content_version = found[KEY]
    return found[KEY], found.get(key)
