"""Which language a request asks for, and the chain of languages to fall back on."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.exceptions import ValidationError

from home.localization import content_languages


def negotiate_language(request):
    """`?locale=` if given (an unknown one is a 400), else the best Accept-Language match."""
    available = content_languages()
    requested = request.query_params.get("locale")
    if requested is not None:
        if requested not in available:
            raise ValidationError(
                {
                    "locale": [
                        _("Neznámý jazyk %(locale)r; použijte jeden z: %(available)s.")
                        % {"locale": requested, "available": ", ".join(available)}
                    ]
                }
            )
        return requested
    # Django bounds a long header itself, cutting at a comma; a cut of our own could split a tag
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        code = code.lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in available:
                return candidate
    return settings.LANGUAGE_CODE
