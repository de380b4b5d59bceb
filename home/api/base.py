"""The base of every API resource: a read-only viewset over one translatable model that serves
each object (identified by its translation_key) in the best language of the request's fallback
chain, with translations, web URLs and timestamps computed in bulk for the whole page."""

import datetime
import mimetypes
import uuid

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.rich_text import expand_db_html

from home.localization import fallback_chain, in_best_language, is_readable, readable
from home.models import ContentChange
from home.translation_status import translation_states

from .caching import conditional
from .content import request_snapshot, visible_pages
from .locale import negotiate_language
from .pagination import ApiPagination
from .throttling import AnonymousThrottle
from .web import SiteMap

PAGINATION_PARAMS = {"limit", "offset"}


# --- fields ------------------------------------------------------------------------------------
@extend_schema_field(OpenApiTypes.STR)
class RichTextField(serializers.Field):
    """Rich text as front-end HTML: Wagtail's internal link markup expanded to real URLs."""

    def to_representation(self, value):
        return expand_db_html(value) if value else ""


def document_data(document, request):
    """A downloadable file: URL, size in bytes, media type."""
    if document is None:
        return None
    return {
        "title": document.title,
        "url": request.build_absolute_uri(document.url),
        "size": document.file_size,
        "type": mimetypes.guess_type(document.filename)[0] or "application/octet-stream",
    }


DOCUMENT_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "size": {"type": "integer", "nullable": True},
        "type": {"type": "string"},
    },
}
TRANSLATIONS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "language": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["up_to_date", "outdated", "in_progress", "missing"],
            },
            "source": {"type": "boolean"},
            "url": {"type": "string", "format": "uri", "nullable": True},
        },
    },
}
WEB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"site": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
    },
}
REFERENCE_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "locale": {"type": "string"},
        "fallback": {"type": "boolean"},
    },
    "additionalProperties": True,
}


def reference(obj, context, **fields):
    """An embedded object: its id and the language it is served in, plus `fields`."""
    if obj is None:
        return None
    language = obj.locale.language_code
    data = {"id": str(obj.translation_key), "locale": language}
    data["fallback"] = language != context["language"]
    data.update(fields)
    return data


# --- serializers -------------------------------------------------------------------------------
class ContentSerializer(serializers.ModelSerializer):
    """Fields every object has. Bulk lookups come from the context (see ContentViewSet.bulk)."""

    COMMON_FIELDS = ["id", "locale", "fallback", "translations", "web", "created", "modified"]

    id = serializers.UUIDField(source="translation_key", read_only=True)
    locale = serializers.SerializerMethodField()
    fallback = serializers.SerializerMethodField(
        help_text="True when the object is not available in the requested language and is "
        "served in a fallback language (see `locale`)."
    )
    translations = serializers.SerializerMethodField()
    web = serializers.SerializerMethodField()
    created = serializers.SerializerMethodField()
    modified = serializers.SerializerMethodField()

    def get_locale(self, obj) -> str:
        return obj.locale.language_code

    def get_fallback(self, obj) -> bool:
        return obj.locale.language_code != self.context["language"]

    @extend_schema_field(TRANSLATIONS_SCHEMA)
    def get_translations(self, obj):
        states = self.context["states"].get(obj.translation_key, {})
        url = self.context["view"].detail_url(obj)
        return [
            {
                "language": state.language,
                "status": state.status,
                "source": state.source,
                "url": f"{url}?locale={state.language}" if _shown(state) else None,
            }
            for state in states.values()
        ]

    @extend_schema_field(WEB_SCHEMA)
    def get_web(self, obj):
        return []

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_created(self, obj):
        return self.context["view"].timestamps(obj)[0]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_modified(self, obj):
        return self.context["view"].timestamps(obj)[1]


class PageSerializer(ContentSerializer):
    title = serializers.CharField()

    @extend_schema_field(WEB_SCHEMA)
    def get_web(self, obj):
        return self.context["sites"].urls(obj)


def _shown(state):
    return is_readable(state.instance)


# --- filters -----------------------------------------------------------------------------------
class ContentFilterSet(django_filters.FilterSet):
    """Filters every list has. `modified_since` also makes the list carry tombstones."""

    modified_since = django_filters.IsoDateTimeFilter(
        method="filter_modified_since",
        label="Only objects changed, deleted or unpublished at or after this ISO 8601 time.",
    )

    def filter_modified_since(self, queryset, name, value):
        try:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            # In UTC: PostgreSQL rejects offsets beyond ±15:59 that ISO 8601 allows (+22:27).
            value = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError({name: ["Out of the supported range of times."]}) from None
        self.request.api_modified_since = value
        label = queryset.model._meta.label_lower
        removed = ContentChange.objects.filter(model=label, modified__gte=value)
        return queryset.filter(
            self.changed_since(queryset.model, value)
            | Q(translation_key__in=removed.values("translation_key"))
        )

    def changed_since(self, model, value):
        return Q(last_published_at__gte=value)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number in a range (a year, a priority): anything else is a 400, not a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value=1, max_value=9999, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)

    def openapi_schema(self):
        return {
            "type": "integer",
            "minimum": self.extra["min_value"],
            "maximum": self.extra["max_value"],
        }


class SiteFilter(django_filters.CharFilter):
    """`site`: a site id or hostname (/api/v1/sites/); an unknown one is a 400 (a typo would
    otherwise look like an empty list). The schema lists the values when it is generated."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Site id or hostname (see /api/v1/sites/).")
        super().__init__(*args, **kwargs)

    def openapi_schema(self):
        sites = SiteMap().sites
        values = [str(site.pk) for site in sites] + [site.hostname for site in sites]
        return {"type": "string", "enum": list(dict.fromkeys(values))}


def search_filter(*fields):
    """`q`: case-insensitive substring search in the given fields (served language)."""

    def method(queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        if any("__" in field for field in fields):  # across a relation: no duplicate rows
            return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))
        return queryset.filter(condition)

    return method


# --- viewsets ----------------------------------------------------------------------------------
class ContentViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only list and detail of one translatable model; `id` is the translation_key."""

    model = None
    ordering = ["pk"]
    authentication_classes = []  # public reads; no credentials, no sessions
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]
    lookup_field = "translation_key"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[^/]+"
    filtered_actions = ("list", "calendar")  # actions that take the filterset's parameters

    # --- request ---
    def dispatch(self, request, *args, **kwargs):
        with request_snapshot():
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:  # a method no action answers (TRACE…): 405 before any 400
            raise MethodNotAllowed(request.method)
        self.check_query_params(request)
        self.language = negotiate_language(request)
        self.chain = fallback_chain(self.language)

    def allowed_params(self):
        params = {"locale"}
        if self.action in self.filtered_actions:
            params |= set(self.filterset_class.base_filters) if self.filterset_class else set()
        if self.action == "list":
            params |= PAGINATION_PARAMS
        return params

    def check_query_params(self, request):
        """Unknown and empty parameters are a 400: `?year=` is a mistake (a form sent unfilled),
        not "no filter", and answering it with everything would hide the mistake."""
        unknown = sorted(set(request.query_params) - self.allowed_params())
        if unknown:
            allowed = ", ".join(sorted(self.allowed_params()))
            raise ValidationError(
                {name: [f"Unknown parameter; this endpoint takes: {allowed}."] for name in unknown}
            )
        empty = [name for name, values in request.query_params.lists() if "" in values]
        if empty:
            raise ValidationError(
                {
                    name: ["Empty value; leave the parameter out not to filter by it."]
                    for name in empty
                }
            )

    # --- querysets ---
    def visible(self):
        """Every instance (any language) that may be shown."""
        return self.model.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no request
            return self.model.objects.none()
        queryset = in_best_language(self.visible(), self.chain).select_related("locale")
        return self.optimise(queryset).order_by(*self.ordering)

    def optimise(self, queryset):
        """select_related / prefetch_related for what the serializer embeds."""
        return queryset

    def get_object(self):
        try:
            key = uuid.UUID(str(self.kwargs[self.lookup_url_kwarg]))
        except ValueError:
            raise NotFound(f"{self.kwargs[self.lookup_url_kwarg]!r} is not an id.") from None
        obj = self.get_queryset().filter(translation_key=key).first()
        if obj is None:
            name = self.model._meta.verbose_name
            raise NotFound(f"No published {name} with id {key}.")
        return obj

    # --- bulk lookups for a page of objects ---
    def bulk(self, objects):
        """Lookups the serializer needs, computed once for all `objects` (fixed query count)."""
        keys = [obj.translation_key for obj in objects]
        return {"states": translation_states(self.model, keys)}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["language"] = getattr(self, "language", settings.LANGUAGE_CODE)
        return context

    def serialize(self, objects, many):
        context = self.get_serializer_context()
        context.update(self.bulk(objects if many else [objects]))
        return self.get_serializer_class()(objects, many=many, context=context).data

    def timestamps(self, obj):
        """(created, modified) of an object."""
        return obj.first_published_at, obj.last_published_at

    def detail_url(self, obj, language=None):
        url = self.request.build_absolute_uri(
            reverse(f"{self.basename}-detail", args=[obj.translation_key])
        )
        return f"{url}?locale={language}" if language else url

    # --- actions ---
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(self.serialize(page, many=True))
        since = getattr(request, "api_modified_since", None)
        if since is not None:
            response.data["tombstones"] = self.tombstones(since)
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        response = Response(self.serialize(obj, many=False))
        response.headers["Content-Language"] = obj.locale.language_code
        return response

    def tombstones(self, since):
        """Objects removed (deleted or unpublished) since `since` in every language this
        request could serve them in."""
        removed = ContentChange.objects.filter(
            model=self.model._meta.label_lower,
            deleted=True,
            modified__gte=since,
            language__in=self.chain,
        )
        still_shown = self.visible().filter(locale__language_code__in=self.chain)
        rows = (
            removed.exclude(translation_key__in=still_shown.values("translation_key"))
            .values("translation_key")
            .annotate(latest=Max("modified"))
            .order_by("translation_key")
        )
        return [
            {"id": str(row["translation_key"]), "deleted": True, "modified": row["latest"]}
            for row in rows
        ]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if "Content-Language" not in response.headers and hasattr(self, "language"):
            response.headers["Content-Language"] = self.language
        return conditional(request, response)


class PageViewSet(ContentViewSet):
    """A resource over a page type: only live, public pages."""

    site_map_class = SiteMap  # how pages map to site URLs

    def visible(self):
        return visible_pages(self.model)

    def bulk(self, objects):
        return {**super().bulk(objects), "sites": self.site_map_class()}


class SnippetViewSet(ContentViewSet):
    """A resource over a translatable snippet: only published ones; timestamps come from
    ContentChange."""

    def visible(self):
        return readable(self.model.objects.all())

    def bulk(self, objects):
        data = super().bulk(objects)
        changes = ContentChange.objects.filter(
            model=self.model._meta.label_lower,
            translation_key__in=[obj.translation_key for obj in objects],
        )
        self._changes = {
            (change.translation_key, change.language): (change.created, change.modified)
            for change in changes
        }
        return data

    def timestamps(self, obj):
        return self._changes.get((obj.translation_key, obj.locale.language_code), (None, None))


class SnippetFilterSet(ContentFilterSet):
    def changed_since(self, model, value):
        changed = ContentChange.objects.filter(model=model._meta.label_lower, modified__gte=value)
        return Q(translation_key__in=changed.values("translation_key"))
