"""One structured log line per request, and a request id that follows it everywhere.

The id comes from the proxy's X-Request-ID header when it sends a sane one (so the proxy's and
our lines can be joined), otherwise it is generated. It is echoed in the response and added to
every log line written while the request runs, e.g. the traceback of a 500.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# What proxies and platforms send (UUIDs, hex, Heroku's and AWS's ids); anything else, e.g. an
# attacker's 10 kB or a line break meant to forge log lines, is replaced by our own id.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:+=@/-]{1,128}")

logger = logging.getLogger("praha.requests")
current_request_id = ContextVar("current_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged during a request (a handler's filter)."""

    def filter(self, record):
        request_id = current_request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def incoming_request_id(request):
    candidate = request.headers.get(HEADER, "")
    return candidate if _ACCEPTED.fullmatch(candidate) else uuid.uuid4().hex


def response_size(response):
    if not response.streaming:
        return len(response.content)
    length = response.get("Content-Length")  # static files (WhiteNoise) stream with a length
    return int(length) if length and length.isdigit() else None


class RequestLogMiddleware:
    """Outermost middleware: it times everything, redirects and static files included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = incoming_request_id(request)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)  # Django turns exceptions into 500s inside
            response[HEADER] = request.request_id
            self.log(request, response, started)
            return response
        finally:
            current_request_id.reset(token)

    @staticmethod
    def log(request, response, started):
        if not logger.isEnabledFor(logging.INFO):
            return
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "host": request.META.get("HTTP_HOST", ""),
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "bytes": response_size(response),
            },
        )
