from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from home.localization import content_languages


class ApiAutoSchema(AutoSchema):
    """Documents the parameters every endpoint takes besides its filters."""

    def get_override_parameters(self):
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "locale",
                str,
                enum=content_languages(),
                description="Language to serve (default: from Accept-Language, else cs). Objects "
                "missing in it fall back along settings.LANGUAGE_FALLBACK_CHAINS and say so.",
            ),
            OpenApiParameter(
                "Accept-Language",
                str,
                OpenApiParameter.HEADER,
                description="Used when there is no ?locale=.",
            ),
        ]


def only_api_v1(endpoints, **kwargs):
    """The schema documents /api/v1/ only (Wagtail's API v2 and admin APIs are not ours)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
