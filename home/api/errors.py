"""Errors as RFC 9457 problem details (application/problem+json), never HTML, never a 500 for
bad input."""

from http import HTTPStatus

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(status, detail, invalid_params=None):
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    body["detail"] = detail
    if invalid_params:
        body["invalid_params"] = invalid_params
    return body


def problem_exception_handler(exc, context):
    """DRF's handler (status, headers such as Retry-After), with the body as a problem."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    from .base import error_language  # (base imports this module)

    with translation.override(error_language(context["request"])):
        return _as_problem(response)


def _as_problem(response):
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body = problem(response.status_code, str(data["detail"]))
    else:
        body = problem(
            response.status_code, _("Neplatné parametry požadavku."), _invalid_params(data)
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _invalid_params(data):
    if isinstance(data, dict):
        return [{"name": name, "reason": _reason(reasons)} for name, reasons in data.items()]
    return [{"name": "", "reason": _reason(data)}]


def _reason(reasons):
    if isinstance(reasons, list | tuple):
        return " ".join(str(reason) for reason in reasons)
    return str(reasons)


def not_found(request, *args, **kwargs):
    """An unknown path under /api/v1/ (a known one without its trailing slash is redirected)."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    from .base import error_language  # (base imports this module)

    with translation.override(error_language(request)):
        detail = _("Na %(path)s není žádný zdroj API. Zdroje jsou vypsány na /api/v1/.")
    body = problem(404, detail % {"path": request.path})
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
