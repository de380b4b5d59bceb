"""Form input must be UTF-8. Django decodes bad bytes quietly: U+FFFD for a multipart field, and
a urlencoded body that is not UTF-8 as Latin-1, so an admin form POST with `\\xff` bytes would
publish "�" or "ÿ". This middleware answers 400 instead, before any view stores anything."""

from urllib.parse import parse_qsl

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REPLACEMENT = "\ufffd"


def is_valid_utf8_form(request):
    """Whether every field name and value of a form POST is real UTF-8 text. A U+FFFD in a
    multipart field is Django's mark of an undecodable byte (it is never typed on purpose)."""
    if request.content_type == FORM_TYPES[0]:
        try:
            text = request.body.decode("utf-8")
            parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return False
        return True
    return not any(
        REPLACEMENT in key or any(REPLACEMENT in value for value in values)
        for key, values in request.POST.lists()
    )


class Utf8FormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type in FORM_TYPES
            and not is_valid_utf8_form(request)
        ):
            return HttpResponseBadRequest(
                _(
                    "Formulář obsahuje bajty, které nejsou platný text v UTF-8; nic nebylo "
                    "uloženo. (The form contains bytes that are not valid UTF-8 text; nothing "
                    "was saved.)"
                ),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
