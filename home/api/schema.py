"""The OpenAPI schema of /api/v1/ says exactly what the API does (schemathesis checks it in
tests/api/test_contract.py): every status it answers, the bounds and formats it enforces."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from home.localization import content_languages

from .errors import PROBLEM_CONTENT_TYPE

# DRF renders times as ISO 8601 local wall-clock times (Europe/Prague). JSON Schema's `time`
# format demands an offset (RFC 3339 full-time), which a wall-clock time cannot honestly have:
# it depends on the date (CET/CEST). The instant with offset is in `start`/`end`.
LOCAL_TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$",
    "description": "Local wall-clock time in Prague (Europe/Prague), HH:MM:SS, no offset.",
    "example": "16:00:00",
}


NO_NUL_PATTERN = r"^[^\u0000]*$"


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error as RFC 9457 problem details (home/api/errors.py)."""

    type = serializers.CharField(help_text="Always about:blank.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What was wrong, for a developer.")
    invalid_params = InvalidParamSerializer(
        many=True, required=False, help_text="With a 400: each rejected parameter and why."
    )

    class Meta:
        ref_name = "Problem"


ERRORS = {
    "400": "Invalid parameters: unknown, empty, malformed or out of range (see invalid_params).",
    "404": "No such object (or it is not published), or a malformed id.",
    "429": "Too many requests (only when API_THROTTLE_RATE is set); see Retry-After.",
    "503": "The database or the cache is down (home/operations/availability.py); see Retry-After.",
}


class ApiAutoSchema(AutoSchema):
    """Documents the parameters every endpoint takes besides its filters, and its errors."""

    def get_auth(self):
        """Public reads: no security requirement at all (not `[{}]`, "optionally anonymous",
        which makes generated clients ask for an authenticated client)."""
        return []

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

    def get_filter_backends(self):
        """Filters of every action that filters (the list and the calendar feed)."""
        if getattr(self.view, "action", None) in getattr(self.view, "filtered_actions", ()):
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        if getattr(self.view, "lookup_field", None) == "translation_key":
            for parameter in parameters:
                if parameter["name"] == self.view.lookup_url_kwarg:
                    parameter["schema"] = {"type": "string", "format": "uuid"}
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            del schema["format"]
            schema = {**LOCAL_TIME_SCHEMA, **schema}
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        options = schema.get("oneOf", [])
        if len(options) == 2 and options[1] == {"type": "string", "maxLength": 0}:
            # A blank URL or e-mail: drf-spectacular says oneOf(format, ""), and "" matches both,
            # so every strict validator rejects it. A string that may be empty; no format.
            formatted = schema.pop("oneOf")[0]
            schema["type"] = "string"
            if "maxLength" in formatted:
                schema["maxLength"] = formatted["maxLength"]
            kind = {"uri": "A URL", "email": "An e-mail address"}.get(formatted.get("format"))
            if kind and "description" not in schema:
                schema["description"] = f"{kind}, or empty."

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            responses.setdefault(
                "304",
                {
                    "description": "Not Modified: the If-None-Match or If-Modified-Since of the "
                    "request still holds; use your copy."
                },
            )
        for code, description in ERRORS.items():
            if code == "404" and "{" not in self.path:
                continue  # a list answers 200 (maybe empty) or 400, never 404
            responses.setdefault(code, self._problem_response(code, description, direction))
        return responses

    def _problem_response(self, code, description, direction):
        response = self._get_response_for_code(
            ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction
        )
        response["description"] = description
        if code in {"429", "503"}:
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                }
            }
        return response


class ApiFilterExtension(DjangoFilterExtension):
    """django-filter parameters as ContentViewSet checks them: an empty value or a NUL is a 400, a
    filter with an `openapi_schema()` (bounds, values read from the database) says so itself."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            if hasattr(filter_field, "openapi_schema"):
                parameter["schema"] = filter_field.openapi_schema()
            schema = parameter["schema"]
            if schema.get("type") == "string" and not {"enum", "format"} & set(schema):
                schema["minLength"] = 1  # (an enum or a format already excludes "")
                # Django's form fields reject NUL (PostgreSQL text cannot hold it): a 400.
                schema["pattern"] = NO_NUL_PATTERN
        return parameters


def components(result, generator, request, public):
    """Components referenced from hand-written schemas (the paginated lists' tombstones)."""
    from .base import TombstoneSerializer

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Tombstone",
        {
            "type": "object",
            "description": TombstoneSerializer.__doc__,
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "deleted": {"type": "boolean"},
                "modified": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "deleted", "modified"],
        },
    )
    # One named enum per shared parameter, not one class per operation in generated clients.
    for name, component in (("locale", "Language"), ("site", "SiteSelector")):
        for item in result.get("paths", {}).values():
            for operation in item.values():
                for parameter in operation.get("parameters", []):
                    if parameter["name"] == name and "enum" in parameter["schema"]:
                        schemas[component] = {"type": "string", **parameter["schema"]}
                        parameter["schema"] = {"$ref": f"#/components/schemas/{component}"}
    return result


def only_api_v1(endpoints, **kwargs):
    """The schema documents /api/v1/ only (Wagtail's API v2 and admin APIs are not ours)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
