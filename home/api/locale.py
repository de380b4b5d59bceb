"""Which language a request asks for, and the chain of languages to fall back on."""

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.exceptions import ValidationError

from home.translation_status import content_languages


def fallback_chain(language):
    """[language, …fallbacks…, source]: from settings.API_FALLBACK_CHAINS, source always last."""
    available = content_languages()
    chain = [language]
    for code in settings.API_FALLBACK_CHAINS.get(language, []):
        if code in available and code not in chain:
            chain.append(code)
    if settings.LANGUAGE_CODE not in chain:
        chain.append(settings.LANGUAGE_CODE)
    return chain


def negotiate_language(request):
    """`?locale=` if given (an unknown one is a 400), else the best Accept-Language match."""
    available = content_languages()
    requested = request.query_params.get("locale")
    if requested is not None:
        if requested not in available:
            raise ValidationError(
                {"locale": [f"Unknown locale {requested!r}; use one of {', '.join(available)}."]}
            )
        return requested
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header[:255]):
        code = code.lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in available:
                return candidate
    return settings.LANGUAGE_CODE
