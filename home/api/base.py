"""The base of every API resource: a read-only viewset over one translatable model that serves
each object (identified by its translation_key) in the best language of the request's fallback
chain, with translations, web URLs and timestamps computed in bulk for the whole page."""

import datetime
import mimetypes
import uuid

import django_filters
from django import forms
from django.conf import settings
from django.db.models import DateTimeField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from home.localization import fallback_chain, in_best_language, is_readable, readable
from home.models import ContentChange
from home.translation_status import translation_states

from .caching import conditional, latest_change_moment
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


# --- components: the embedded shapes, named and fully typed in the schema ----------------------
class DocumentFileSerializer(serializers.Serializer):
    """A downloadable file."""

    title = serializers.CharField()
    url = serializers.URLField()
    size = serializers.IntegerField(allow_null=True, help_text="Size in bytes.")
    type = serializers.CharField(help_text="Media type, e.g. application/pdf.")


class TranslationSerializer(serializers.Serializer):
    """One content language of an object and the state of its translation."""

    language = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["up_to_date", "outdated", "in_progress", "missing"],
        help_text="State of the translation work; the source language is `up_to_date`.",
    )
    source = serializers.BooleanField(help_text="True for the source language (Czech).")
    available = serializers.BooleanField(
        help_text="True when `url` serves the object in this language (published, and shown)."
    )
    url = serializers.URLField(
        allow_null=True, help_text="This object in this language; null when not available."
    )


class WebLinkSerializer(serializers.Serializer):
    """The rendered page of an object on one site."""

    site = serializers.CharField(help_text="The site's hostname.")
    url = serializers.URLField()


class TombstoneSerializer(serializers.Serializer):
    """An object deleted or unpublished since `modified_since`."""

    id = serializers.UUIDField()
    deleted = serializers.BooleanField()
    modified = serializers.DateTimeField()


class EmbeddedSerializer(serializers.Serializer):
    """Fields of every embedded object: its id and the language it is served in."""

    id = serializers.UUIDField(help_text="The object's id (the same in every language).")
    locale = serializers.CharField(help_text="The language it is served in.")
    fallback = serializers.BooleanField(
        help_text="True when it is not available in the requested language."
    )


def component(serializer_class, nullable=False, many=False):
    """A schema-only use of a component serializer in @extend_schema_field."""
    if many:
        return serializer_class(many=True)
    return serializer_class(allow_null=nullable) if nullable else serializer_class()


def reference(obj, context, **fields):
    """An embedded object: its id and the language it is served in, plus `fields`."""
    if obj is None:
        return None
    language = obj.locale.language_code
    data = {"id": str(obj.translation_key), "locale": language}
    data["fallback"] = language != context["language"]
    data.update(fields)
    return data


KEY_SLOT = "00000000-0000-0000-0000-00000000000f"  # stands for a translation_key in a URL


def detail_url(request, basename, key):
    """Absolute URL of an object of resource `basename` in the API: one reverse() and
    build_absolute_uri() per resource and request (kept on the request), however many objects
    a response links to."""
    patterns = request.__dict__.setdefault("_api_detail_urls", {})
    if basename not in patterns:
        patterns[basename] = request.build_absolute_uri(
            reverse(f"{basename}-detail", args=[KEY_SLOT])
        )
    return patterns[basename].replace(KEY_SLOT, str(key))


# --- when a response last changed --------------------------------------------------------------
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)  # "never": the neutral element


def latest(queryset, field):
    """SQL: the latest `field` in `queryset` (EPOCH when none), for Greatest()."""
    rows = queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1]
    return Coalesce(
        Subquery(rows, output_field=DateTimeField()), Value(EPOCH, output_field=DateTimeField())
    )


def page_published(*conditions, **filters):
    """SQL: when any page (any language) matching `conditions` and `filters` was last
    published."""
    return latest(Page.objects.filter(*conditions, **filters), "last_published_at")


def below(path):
    """Q: pages strictly below the tree path `path` (an OuterRef), as a range of the path index.
    `path__startswith=OuterRef(…)` compiles to a LIKE on an escaped column, which no index
    serves: a scan of the page table per outer row (100 ms for 50 platforms at bench scale).
    Treebeard paths use 0-9A-Z, all sorting below "[" (Wagtail gives `path` the C collation)."""
    return Q(path__gt=path, path__lt=Concat(path, Value("[")))


def changed(model, **filters):
    """SQL: when any object of `model` matching `filters` (any language) last changed, was
    unpublished or deleted (home.ContentChange)."""
    return latest(
        ContentChange.objects.filter(model=model._meta.label_lower, **filters), "modified"
    )


def greatest(parts):
    return parts[0] if len(parts) == 1 else Greatest(*parts)


def as_time(moment):
    return None if moment is None or moment <= EPOCH else moment


# --- serializers -------------------------------------------------------------------------------
class ContentSerializer(serializers.ModelSerializer):
    # (Comments, not a docstring: a docstring would become every model's description.) Fields
    # every object has; lookups for a whole page of objects come from the context (see
    # ContentViewSet.bulk).

    COMMON_FIELDS = ["id", "locale", "fallback", "translations", "web", "created", "modified"]

    id = serializers.UUIDField(source="translation_key", read_only=True)
    locale = serializers.SerializerMethodField()
    fallback = serializers.SerializerMethodField(
        help_text="True when the object is not available in the requested language and is "
        "served in a fallback language (see `locale`)."
    )
    translations = serializers.SerializerMethodField()
    web = serializers.SerializerMethodField()
    created = serializers.SerializerMethodField(help_text="When it was first published.")
    modified = serializers.SerializerMethodField(
        help_text="When anything this response shows of the object last changed: the object, "
        "its translations, or anything it embeds (or a time-dependent field such as "
        "`next_meeting`). `?modified_since=` selects on this."
    )

    def get_locale(self, obj) -> str:
        return obj.locale.language_code

    def get_fallback(self, obj) -> bool:
        return obj.locale.language_code != self.context["language"]

    @extend_schema_field(component(TranslationSerializer, many=True))
    def get_translations(self, obj):
        states = self.context["states"].get(obj.translation_key, {})
        url = self.context["view"].detail_url(obj)
        shown = self.context["shown"]
        return [
            {
                "language": state.language,
                "status": state.status,
                "source": state.source,
                "available": _shown(state, shown),
                "url": f"{url}?locale={state.language}" if _shown(state, shown) else None,
            }
            for state in states.values()
        ]

    @extend_schema_field(component(WebLinkSerializer, many=True))
    def get_web(self, obj):
        return []

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_created(self, obj):
        return self.timestamps(obj)[0]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_modified(self, obj):
        return self.timestamps(obj)[1]

    def timestamps(self, obj):
        """The view's (created, modified), computed once for both fields."""
        if "_api_timestamps" not in obj.__dict__:
            obj._api_timestamps = self.context["view"].timestamps(obj)
        return obj._api_timestamps


class PageSerializer(ContentSerializer):
    title = serializers.CharField()

    @extend_schema_field(component(WebLinkSerializer, many=True))
    def get_web(self, obj):
        return self.context["sites"].urls(obj)


def _shown(state, shown):
    """Whether the API serves the object in this state's language: the instance exists and is
    one the resource shows (readable, nothing hidden above it; see ContentViewSet.visible)."""
    instance = state.instance
    return instance is not None and is_readable(instance) and instance.pk in shown


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
        """Objects whose response changed since `value` (see ContentViewSet.modified_parts)."""
        return Q(api_modified__gte=value)


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


def _in_any_language(queryset, condition):
    """The objects of `queryset` that match `condition` in any of their readable languages
    (served in the requested one: the match selects the object, not the language)."""
    matching = readable(queryset.model.objects.all()).filter(condition)
    return queryset.filter(translation_key__in=matching.values("translation_key"))


def search_filter(*fields):
    """`q`: case-insensitive substring search in the given fields, in any language."""

    def method(queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return _in_any_language(queryset, condition)

    return method


def exact_filter(*fields):
    """An exact (case-insensitive) match of the whole value in any of `fields`, any language:
    `name=Praha 1` finds Praha 1, not Praha 10."""

    def method(queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__iexact": value})
        return _in_any_language(queryset, condition)

    return method


class EnumFilter(django_filters.ChoiceFilter):
    """A choice whose values are a named enum of the schema (ENUM_NAME_OVERRIDES)."""

    def __init__(self, *args, component, **kwargs):
        self.component = component
        super().__init__(*args, **kwargs)

    def openapi_schema(self):
        return {"$ref": f"#/components/schemas/{self.component}"}


class BooleanFilter(django_filters.TypedChoiceFilter):
    """true or false, nothing else (a typo is a 400, not "no filter")."""

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        super().__init__(*args, **kwargs)

    def openapi_schema(self):
        return {"type": "boolean"}


def ordering_filter(orders, default):
    """`ordering`: one of `orders` ({value: order_by fields}); `default` is the list's order."""

    def method(queryset, name, value):
        return queryset.order_by(*orders[value])

    keys = sorted(orders)
    return EnumlessOrdering(
        choices=[(key, key) for key in keys],
        method=method,
        label=f"Order of the results (default: {default}); a leading - is descending.",
    )


class EnumlessOrdering(django_filters.ChoiceFilter):
    def openapi_schema(self):
        return {"type": "string", "enum": [value for value, _label in self.extra["choices"]]}


def error_language(request):
    """The language of error messages: `?locale` (when it is one), then Accept-Language, else
    English, the API's working language for machines (not the site default, Czech)."""
    available = {code for code, _name in settings.LANGUAGES}
    requested = request.GET.get("locale")
    if requested in available:
        return requested
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header[:255]):
        for candidate in (code.lower(), code.lower().split("-")[0]):
            if candidate in available:
                return candidate
    return "en"


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
    # Actions whose representation has no `translations` and no `modified` field (a calendar
    # feed): bulk() skips the translation states of every language, the costliest lookup of a
    # page of objects, and get_queryset() selects no modified time (only filters by it).
    untranslated_actions = ("calendar",)

    # --- request ---
    def dispatch(self, request, *args, **kwargs):
        with request_snapshot():
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # Parameter errors in the caller's language; content (rich-text link URLs) stays as the
        # locale middleware set it.
        with translation.override(error_language(request)):
            self.check_request(request, *args, **kwargs)

    def check_request(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:  # a method no action answers (TRACE…): 405 before any 400
            raise MethodNotAllowed(request.method)
        errors = self.parameter_errors(request)
        try:
            self.language = negotiate_language(request)
        except ValidationError as error:
            errors.update(error.detail)
            self.language = settings.LANGUAGE_CODE
        self.chain = fallback_chain(self.language)
        errors.update(self.filter_errors(request, errors))
        if errors:  # every invalid parameter at once, not one per round trip
            raise ValidationError(errors)

    def filter_errors(self, request, known):
        """What the filters and paging would reject (the same checks they make later)."""
        errors = {}
        if self.action in self.filtered_actions and self.filterset_class:
            params = request.query_params.copy()
            for name in known:
                params.pop(name, None)
            filterset = self.filterset_class(
                params, queryset=self.model.objects.none(), request=request
            )
            if not filterset.is_valid():
                errors.update(filterset.errors)
        if self.action == "list":
            for check in (self.paginator.get_limit, self.paginator.get_offset):
                try:
                    check(request)
                except ValidationError as error:
                    errors.update(error.detail)
        return errors

    def allowed_params(self):
        params = {"locale"}
        if self.action in self.filtered_actions:
            params |= set(self.filterset_class.base_filters) if self.filterset_class else set()
        if self.action == "list":
            params |= PAGINATION_PARAMS
        return params

    def parameter_errors(self, request):
        """Unknown and empty parameters are a 400: `?year=` is a mistake (a form sent unfilled),
        not "no filter", and answering it with everything would hide the mistake."""
        errors = {}
        allowed = ", ".join(sorted(self.allowed_params()))
        for name in sorted(set(request.query_params) - self.allowed_params()):
            errors[name] = [
                _("Neznámý parametr; tento endpoint přijímá: %(allowed)s.") % {"allowed": allowed}
            ]
        for name, values in request.query_params.lists():
            if "" in values and name not in errors:
                errors[name] = [
                    _("Prázdná hodnota; parametr vynechte, nechcete-li podle něj filtrovat.")
                ]
        return errors

    # --- querysets ---
    def visible(self):
        """Every instance (any language) that may be shown."""
        return self.model.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no request
            return self.model.objects.none()
        queryset = in_best_language(self.visible(), self.chain).select_related("locale")
        modified = greatest(self.modified_parts())
        if self.action in self.untranslated_actions:  # only for ?modified_since=, not selected
            queryset = self.optimise(queryset).alias(api_modified=modified)
        else:
            queryset = self.optimise(queryset).annotate(api_modified=modified)
        return queryset.order_by(*self.ordering)

    def modified_parts(self):
        """SQL expressions (one per thing the response shows) of when each last changed; the
        object's `modified` is the latest of them, so it moves when anything it embeds changes.
        Subclasses add what they embed."""
        return [changed(self.model, translation_key=OuterRef("translation_key"))]

    def optimise(self, queryset):
        """select_related / prefetch_related for what the serializer embeds."""
        return queryset

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg]
        try:
            key = uuid.UUID(str(value))
        except ValueError:
            raise self.not_found(gettext_noop("„%(value)s“ není id."), value=value) from None
        obj = self.get_queryset().filter(translation_key=key).first()
        if obj is None:
            raise self.not_found(
                gettext_noop("V %(resource)s není žádný zveřejněný objekt s id %(id)s."),
                resource=reverse(f"{self.basename}-list"),
                id=key,
            )
        return obj

    def not_found(self, message, **values):
        """A 404 whose message (a Czech msgid) is in the caller's language (error_language):
        DRF turns the message into text when the exception is made, so it is made in that
        language."""
        with translation.override(error_language(self.request)):
            return NotFound(_(message) % values)

    # --- bulk lookups for a page of objects ---
    def bulk(self, objects):
        """Lookups the serializer needs, computed once for all `objects` (fixed query count)."""
        if self.action in self.untranslated_actions:
            return {}
        keys = [obj.translation_key for obj in objects]
        shown = set(
            self.visible().filter(translation_key__in=keys).values_list("pk", flat=True)
            if keys
            else ()
        )
        return {"states": translation_states(self.model, keys), "shown": shown}

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
        return obj.first_published_at, self.modified(obj)

    def modified(self, obj):
        return as_time(getattr(obj, "api_modified", None))

    def detail_url(self, obj, language=None):
        url = detail_url(self.request, self.basename, obj.translation_key)
        return f"{url}?locale={language}" if language else url

    # --- actions ---
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.serialize(page, many=True)
        response = self.get_paginated_response(data)
        since = getattr(request, "api_modified_since", None)
        if since is not None:
            response.data["tombstones"] = self.tombstones(since)
        return self.with_cursor(response, data)

    def with_cursor(self, response, data):
        """A list's `cursor` and `valid_until` (the earliest of its items')."""
        # The sync cursor: the latest change of any content, as of this answer. Sent back as
        # ?modified_since= it returns whatever changed after this answer was made (and the
        # last change again: "at or after"). Content, not the clock, so the ETag holds.
        cursor = latest_change_moment(self.request)
        response.data["cursor"] = serializers.DateTimeField().to_representation(cursor or EPOCH)
        until = sorted(item["valid_until"] for item in data if item.get("valid_until"))
        response.data["valid_until"] = until[0] if until else None
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

    def modified_parts(self):
        key = OuterRef("translation_key")
        return [*super().modified_parts(), page_published(translation_key=key)]

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
        created = self._changes.get((obj.translation_key, obj.locale.language_code), (None,))[0]
        return created, self.modified(obj)


class SnippetFilterSet(ContentFilterSet):
    pass
