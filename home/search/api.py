"""/api/v1/search/?q=: one search across the API's resources (pages of every type, organisations,
people, venues), live public content only, each hit with the resource and URL that serve it."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from wagtail.models import Page

from concept.models import ConceptPage
from home.api.base import (
    ContentViewSet,
    SiteFilter,
    WebLinkSerializer,
    component,
    error_language,
)
from home.api.pages import RESOURCE_OF_MODEL, RESOURCE_URL_NAMES
from home.api.web import SiteMap
from home.models import Organisation, Person
from platforms.models import Venue

from .query import MAX_QUERY_LENGTH, normalise_query, search_pages, search_snippets

SNIPPETS = {"organisations": Organisation, "people": Person, "venues": Venue}
RESOURCES = sorted(set(RESOURCE_OF_MODEL.values()))


class SearchResultSerializer(serializers.Serializer):
    """One hit: what it is, which resource serves it, in which language it matched."""

    id = serializers.UUIDField(help_text="The object's id in its resource.")
    resource = serializers.ChoiceField(choices=RESOURCES)
    type = serializers.CharField(help_text="Model, e.g. platforms.meetingpage, home.person.")
    title = serializers.CharField()
    locale = serializers.CharField()
    fallback = serializers.BooleanField()
    url = serializers.URLField(help_text="The object in its resource (/api/v1/<resource>/<id>/).")
    web = serializers.SerializerMethodField()

    @extend_schema_field(component(WebLinkSerializer, many=True))
    def get_web(self, hit):
        return hit["web"]


class SearchFilter(django_filters.FilterSet):
    """The parameters (the search itself is not a queryset filter)."""

    q = django_filters.CharFilter(
        required=True,
        max_length=MAX_QUERY_LENGTH,
        label="Words to find (all of them; case and diacritics do not matter).",
    )
    resource = django_filters.MultipleChoiceFilter(
        choices=[(name, name) for name in RESOURCES], label="Only hits from this resource."
    )
    site = SiteFilter(label="Only pages of this site (id or hostname); snippets are on both.")

    class Meta:
        model = Page
        fields = ["q", "resource", "site"]


class SearchViewSet(ContentViewSet):
    """Search across resources: pages (any type), organisations, people, venues."""

    model = Page
    filterset_class = SearchFilter
    serializer_class = SearchResultSerializer

    @extend_schema(responses=SearchResultSerializer(many=True))
    def list(self, request, *args, **kwargs):
        sites = SiteMap()
        with translation.override(error_language(request)):  # errors in the caller's language
            cleaned, site = self.parameters(request, sites)
        q = cleaned["q"]
        wanted = set(cleaned["resource"] or RESOURCES)
        site_paths = sites.site_paths(site) if site is not None else None
        hits = []
        if wanted - set(SNIPPETS):
            hits += self.page_hits(search_pages(q, self.chain, site_paths), sites, wanted)
        for resource, model in SNIPPETS.items():
            if resource in wanted:
                hits += [
                    self.hit(obj, resource, obj._meta.label_lower, str(obj), [])
                    for obj in search_snippets(model, q, self.chain)
                ]
        data = SearchResultSerializer(self.paginate_queryset(hits), many=True).data
        return self.with_cursor(self.get_paginated_response(data), data)

    def parameters(self, request, sites):
        """The checked parameters and the site asked for, or a 400 naming every bad one."""
        params = self.filterset_class(request.query_params, queryset=Page.objects.none())
        if not params.is_valid():
            raise ValidationError(params.errors)
        cleaned = params.form.cleaned_data
        if not normalise_query(cleaned["q"]):
            raise ValidationError({"q": [_("Není co hledat.")]})
        site = sites.site_for(cleaned["site"]) if cleaned["site"] else None
        if cleaned["site"] and site is None:
            raise ValidationError({"site": [_("Neznámý web; viz /api/v1/sites/.")]})
        return cleaned, site

    def page_hits(self, pages, sites, wanted):
        labels = {
            ct.pk: f"{ct.app_label}.{ct.model}"
            for ct in ContentType.objects.filter(pk__in={page.content_type_id for page in pages})
        }
        concepts = self.concepts_of(pages, labels)
        hits = []
        for page in pages:
            label = labels[page.content_type_id]
            resource = RESOURCE_OF_MODEL.get(label)
            if resource not in wanted:
                continue
            key = page.translation_key
            if label in {"concept.prioritypage", "concept.areapage"}:
                key = concepts.get(page.path[: ConceptPage.steplen * 3])
                if key is None:
                    continue
            hits.append(self.hit(page, resource, label, page.title, sites.urls(page), key))
        return hits

    def concepts_of(self, pages, labels):
        """{concept path: translation key} for priorities and areas (their tree's Concept)."""
        paths = {
            page.path[: ConceptPage.steplen * 3]
            for page in pages
            if labels[page.content_type_id] in {"concept.prioritypage", "concept.areapage"}
        }
        if not paths:
            return {}
        return dict(
            ConceptPage.objects.filter(path__in=paths).values_list("path", "translation_key")
        )

    def hit(self, obj, resource, label, title, web, key=None):
        key = key or obj.translation_key
        language = obj.locale.language_code
        url = self.request.build_absolute_uri(
            reverse(f"{RESOURCE_URL_NAMES[resource]}-detail", args=[key])
        )
        return {
            "id": key,
            "resource": resource,
            "type": label,
            "title": title,
            "locale": language,
            "fallback": language != self.language,
            "url": f"{url}?locale={language}",
            "web": web,
        }
