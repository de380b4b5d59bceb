"""Home resources: sites, organisations (actors), people (contacts), and the API root."""

import django_filters
from django.db.models import OuterRef
from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse as api_reverse
from rest_framework.routers import APIRootView
from wagtail.models import Site

from home.localization import best_instances
from home.models import Organisation, Person
from home.resources import resource

from .base import (
    ContentSerializer,
    ContentViewSet,
    EmbeddedSerializer,
    EnumFilter,
    SnippetFilterSet,
    SnippetViewSet,
    changed,
    component,
    detail_url,
    exact_filter,
    ordering_filter,
    reference,
    search_filter,
)
from .caching import conditional
from .web import SiteMap


class ApiRootView(APIRootView):
    """The discovery document: every resource, the calendar, schema and docs."""

    authentication_classes = []

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in (
            ("calendar", "meeting-calendar"),
            ("search", "search-list"),
            ("schema", "api-schema"),
            ("docs", "api-docs"),
        ):
            response.data[name] = api_reverse(url_name, request=request)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        """ETag, Last-Modified and 304 like every resource (it is polled too)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional(request, response, content=False)


# --- sites ---------------------------------------------------------------------------------------
class SiteSerializer(serializers.ModelSerializer):
    home = serializers.SerializerMethodField(help_text="The site's home page URL per language.")
    root_url = serializers.CharField(read_only=True)

    class Meta:
        model = Site
        fields = ["id", "hostname", "site_name", "is_default_site", "root_url", "home"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_home(self, site):
        return self.context["sites"].home_urls(site)


@resource("sites", basename="site")
class SiteViewSet(ContentViewSet):
    """The sites (MHMP, ICP) this CMS serves; their ids are the values of the `site` filter."""

    model = Site
    serializer_class = SiteSerializer
    filterset_class = None
    filter_backends = []
    lookup_field = "pk"
    lookup_value_regex = "[0-9]{1,9}"

    def get_queryset(self):
        return Site.objects.select_related("root_page").order_by("pk")

    def get_object(self):
        site = self.get_queryset().filter(pk=self.kwargs["id"]).first()
        if site is None:
            raise self.not_found(gettext_noop("Web s id %(id)s neexistuje."), id=self.kwargs["id"])
        return site

    def bulk(self, objects):
        return {"sites": SiteMap()}

    def retrieve(self, request, *args, **kwargs):
        return Response(self.serialize(self.get_object(), many=False))


# --- organisations -------------------------------------------------------------------------------
class OrganisationFilter(SnippetFilterSet):
    category = EnumFilter(
        choices=Organisation.Category.choices,
        component="OrganisationCategory",
        label="Category of organisation.",
    )
    q = django_filters.CharFilter(
        method=search_filter("name", "short_name"),
        label="Search in name and short name, in any language.",
    )
    name = django_filters.CharFilter(
        method=exact_filter("name", "short_name"),
        label="Exactly this name or short name (any language, ignoring case).",
    )
    ordering = ordering_filter({"name": ["name", "pk"], "-name": ["-name", "-pk"]}, "name")

    class Meta:
        model = Organisation
        fields = ["category", "q", "name", "ordering", "modified_since"]


class OrganisationSerializer(ContentSerializer):
    class Meta:
        model = Organisation
        fields = ContentSerializer.COMMON_FIELDS + ["name", "short_name", "category", "website"]


class OrganisationDetailSerializer(OrganisationSerializer):
    responsibilities = serializers.SerializerMethodField(
        help_text="What the organisation is responsible for, by kind (e.g. recommendations, "
        "action_plan_items)."
    )

    class Meta(OrganisationSerializer.Meta):
        fields = OrganisationSerializer.Meta.fields + ["responsibilities"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "array"}})
    def get_responsibilities(self, obj):
        return self.context["responsibilities"]


@resource("organisations", basename="organisation")
class OrganisationViewSet(SnippetViewSet):
    """Actors: city, districts, state bodies, NGOs… The detail lists what each is responsible
    for (contributed by other apps through `responsibility_providers`)."""

    model = Organisation
    filterset_class = OrganisationFilter
    ordering = ["name", "pk"]
    # Callables (viewset, organisation) -> {kind: [items]}; apps that give organisations
    # responsibilities register here (home does not depend on them).
    responsibility_providers = []
    # Callables () -> [SQL expressions] of when those responsibilities last changed.
    modified_part_providers = []

    def modified_parts(self):
        parts = super().modified_parts()
        for provider in self.modified_part_providers:
            parts += provider()
        return parts

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OrganisationDetailSerializer
        return OrganisationSerializer

    def bulk(self, objects):
        data = super().bulk(objects)
        if self.action == "retrieve":
            data["responsibilities"] = {}
            for provider in self.responsibility_providers:
                data["responsibilities"].update(provider(self, objects[0]))
        return data


class OrganisationRefSerializer(EmbeddedSerializer):
    """An organisation embedded in another object (see /organisations/)."""

    name = serializers.CharField()
    short_name = serializers.CharField()
    category = serializers.ChoiceField(choices=Organisation.Category.choices)
    url = serializers.URLField(help_text="The organisation in the API.")


class PersonRefSerializer(EmbeddedSerializer):
    """A contact person embedded in another object (see /people/)."""

    name = serializers.CharField()
    role = serializers.CharField()
    email = serializers.CharField(help_text="An e-mail address, or empty.")
    phone = serializers.CharField()
    organisation = OrganisationRefSerializer(allow_null=True)


# --- people ------------------------------------------------------------------------------------
class PersonFilter(SnippetFilterSet):
    organisation = django_filters.UUIDFilter(
        field_name="organisation__translation_key", label="Organisation id."
    )
    q = django_filters.CharFilter(
        method=search_filter("name", "role"), label="Search in name and role, in any language."
    )
    name = django_filters.CharFilter(
        method=exact_filter("name"), label="Exactly this name (ignoring case)."
    )
    ordering = ordering_filter({"name": ["name", "pk"], "-name": ["-name", "-pk"]}, "name")

    class Meta:
        model = Person
        fields = ["organisation", "q", "name", "ordering", "modified_since"]


class PersonSerializer(ContentSerializer):
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ContentSerializer.COMMON_FIELDS + [
            "name",
            "role",
            "email",
            "phone",
            "organisation",
        ]

    @extend_schema_field(component(OrganisationRefSerializer, nullable=True))
    def get_organisation(self, person):
        return organisation_reference(person.organisation, self.context)


def organisation_reference(organisation, context):
    """An organisation embedded in another object, in the request's best language."""
    if organisation is None:
        return None
    organisation = context["organisations"].get(organisation.translation_key)
    if organisation is None:
        return None  # not published
    return reference(
        organisation,
        context,
        name=organisation.name,
        short_name=organisation.short_name,
        category=organisation.category,
        url=detail_url(context["request"], "organisation", organisation.translation_key),
    )


def localized_organisations(organisations, chain):
    """{translation_key: Organisation in the best language} for embedding (one query)."""
    keys = {org.translation_key for org in organisations if org is not None}
    if not keys:
        return {}
    return best_instances(Organisation.objects.select_related("locale"), keys, chain)


@resource("people", basename="person")
class PersonViewSet(SnippetViewSet):
    """Public work contacts."""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    ordering = ["name", "pk"]

    def optimise(self, queryset):
        return queryset.select_related("organisation")

    def modified_parts(self):
        key = OuterRef("organisation__translation_key")
        return [*super().modified_parts(), changed(Organisation, translation_key=key)]

    def bulk(self, objects):
        data = super().bulk(objects)
        data["organisations"] = localized_organisations(
            [person.organisation for person in objects], self.chain
        )
        return data
