"""/api/v1/pages/: every page type that has no resource of its own (site home pages, text pages,
the platform overview, the ICP page presenting a shared platform, the accessibility statement),
with the same contract as the other resources. Together with the other resources a front end can
render any page of either site from the API alone: `?site=&path=` finds a page by its URL and
`children` say where (which resource) each subpage is served."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from wagtail.models import Page

from home import resources
from home.localization import best_instances, reader_children
from home.resources import resource

from .base import (
    ContentFilterSet,
    PageSerializer,
    PageViewSet,
    RichTextField,
    SiteFilter,
    search_filter,
)
from .content import visible_pages
from .web import SiteMap

# The page types this resource serves, and the main rich text field of each.
PAGE_TYPES = {
    "home.homepage": "intro",
    "home.contentpage": "body",
    "home.accessibilitystatementpage": None,
    "platforms.platformindexpage": "intro",
    "platforms.sharedplatformpage": "body",
}
# Which resource serves a model's objects, and each resource's URL name (from the declarations
# in home/resources.py; the pages resource serves PAGE_TYPES).
RESOURCE_OF_MODEL = resources.LabelsOfResources(PAGE_TYPES)
RESOURCE_URL_NAMES = resources.UrlNames()


def page_models():
    return [ContentType.objects.get_by_natural_key(*label.split(".")) for label in PAGE_TYPES]


def label_of(page):
    return ContentType.objects.get_for_id(page.content_type_id).model_class()._meta.label_lower


# --- serializers -------------------------------------------------------------------------------
class PageLinkSerializer(serializers.Serializer):
    """Another object, and where the API serves it."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    type = serializers.CharField(help_text="Page type, e.g. platforms.platformpage.")
    resource = serializers.CharField(help_text="The /api/v1/ resource that serves it.")
    url = serializers.URLField(help_text="Its detail in that resource.")


class AccessibilityStatementSerializer(serializers.Serializer):
    """The facts of an accessibility statement (decree 515/2020 Sb.)."""

    obligated_body = serializers.CharField()
    websites = serializers.ListField(child=serializers.CharField())
    compliance_status = serializers.CharField()
    preparation_method = serializers.CharField()
    assessor = serializers.CharField()
    prepared_on = serializers.DateField(allow_null=True)


class PageResourceSerializer(PageSerializer):
    type = serializers.SerializerMethodField(help_text="The page type.")
    body = serializers.SerializerMethodField(help_text="The page's text (HTML).")
    parent = serializers.SerializerMethodField(help_text="The page above it (null for a home).")
    platform = serializers.SerializerMethodField(
        help_text="For a page presenting a shared platform: that platform."
    )
    accessibility_statement = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = PageSerializer.COMMON_FIELDS + [
            "title",
            "type",
            "slug",
            "seo_title",
            "search_description",
            "body",
            "parent",
            "platform",
            "accessibility_statement",
        ]

    @extend_schema_field(
        {"type": "string", "enum": list(PAGE_TYPES), "description": "The page type."}
    )
    def get_type(self, page):
        return page._meta.label_lower

    @extend_schema_field(RichTextField)
    def get_body(self, page):
        field = PAGE_TYPES.get(page._meta.label_lower)
        return RichTextField().to_representation(getattr(page, field)) if field else ""

    @extend_schema_field(PageLinkSerializer(allow_null=True))
    def get_parent(self, page):
        return self.context["links"].get(page.path[: -Page.steplen])

    @extend_schema_field(PageLinkSerializer(allow_null=True))
    def get_platform(self, page):
        platform_id = getattr(page, "platform_id", None)
        return self.context["platforms"].get(platform_id) if platform_id else None

    @extend_schema_field(AccessibilityStatementSerializer(allow_null=True))
    def get_accessibility_statement(self, page):
        if page._meta.label_lower != "home.accessibilitystatementpage":
            return None
        return {
            "obligated_body": page.obligated_body,
            "websites": [line.strip() for line in page.websites.splitlines() if line.strip()],
            "compliance_status": page.compliance_status,
            "preparation_method": page.preparation_method,
            "assessor": page.assessor,
            "prepared_on": page.prepared_on,
        }


class PageDetailSerializer(PageResourceSerializer):
    children = serializers.SerializerMethodField(
        help_text="Live public subpages in the served language chain, in the source's order."
    )

    class Meta(PageResourceSerializer.Meta):
        fields = PageResourceSerializer.Meta.fields + ["children"]

    @extend_schema_field(PageLinkSerializer(many=True))
    def get_children(self, page):
        return self.context["children"]


# --- filters -----------------------------------------------------------------------------------
class PageFilter(ContentFilterSet):
    site = SiteFilter(method="filter_site")
    path = django_filters.CharFilter(
        method="filter_path",
        label="The page's URL path on the site (with or without the language prefix, in any "
        "language), e.g. /cs/sitovani/. Without `site`: the default site.",
        max_length=2000,
    )
    type = django_filters.ChoiceFilter(
        choices=[(label, label) for label in PAGE_TYPES], method="filter_type"
    )
    q = django_filters.CharFilter(method=search_filter("title"), label="Search in the title.")

    class Meta:
        model = Page
        fields = ["site", "path", "type", "q", "modified_since"]

    def _site(self, value):
        sites = SiteMap()
        site = (
            sites.site_for(value)
            if value
            else next((s for s in sites.sites if s.is_default_site), None)
        )
        if site is None:
            raise ValidationError({"site": [f"Unknown site {value!r}; see /api/v1/sites/."]})
        return sites, site

    def filter_site(self, queryset, name, value):
        if "path" in self.data:
            return queryset  # the path lookup narrows to the site itself
        sites, site = self._site(value)
        condition = Q(pk__in=[])
        for root_path in sites.site_paths(site):
            condition |= Q(path__startswith=root_path)
        return queryset.filter(condition)

    def filter_path(self, queryset, name, value):
        sites, site = self._site(self.data.get("site"))
        parts = [part for part in value.split("/") if part]
        roots = [root for root in sites.roots if root.site.pk == site.pk]
        if parts and parts[0] in {root.language for root in roots}:
            roots = [root for root in roots if root.language == parts[0]]
            parts = parts[1:]
        url_paths = [root.url_path + "".join(f"{part}/" for part in parts) for root in roots]
        keys = Page.objects.filter(url_path__in=url_paths).values("translation_key")
        return queryset.filter(translation_key__in=keys)

    def filter_type(self, queryset, name, value):
        content_type = ContentType.objects.get_by_natural_key(*value.split("."))
        return queryset.filter(content_type=content_type)


# --- viewset -----------------------------------------------------------------------------------
# Not tracked: its pages are of many types, none with an id of its own in another resource;
# a page type that needs tombstones gets a resource of its own.
@resource("pages", basename="page", track=False)
class PagesViewSet(PageViewSet):
    """Pages without a resource of their own: site homes, text pages, the platform overview,
    shared-platform pages, accessibility statements. Find one by URL with `?site=&path=`."""

    model = Page
    filterset_class = PageFilter
    ordering = ["path", "pk"]

    def get_serializer_class(self):
        return PageDetailSerializer if self.action == "retrieve" else PageResourceSerializer

    def visible(self):
        return super().visible().filter(content_type__in=page_models())

    def serialize(self, objects, many):
        """The specific pages (their own fields), one query per page type on the page."""
        pages = list(objects) if many else [objects]
        by_type = {}
        for page in pages:
            if type(page) is Page:  # (a preview passes its draft, already specific)
                by_type.setdefault(page.content_type_id, []).append(page.pk)
        specific = {}
        for content_type_id, pks in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            specific.update(model.objects.select_related("locale").in_bulk(pks))
        pages = [specific.get(page.pk, page) for page in pages]
        return super().serialize(pages if many else pages[0], many)

    def bulk(self, objects):
        data = super().bulk(objects)
        data["links"] = self.parents(objects)
        data["platforms"] = self.platforms(objects)
        if self.action == "retrieve":
            data["children"] = self.children(objects[0])
        return data

    def link(self, page, label=None):
        label = label or label_of(page)
        resource = RESOURCE_OF_MODEL.get(label)
        if resource is None:
            return None
        if label in {"concept.prioritypage", "concept.areapage"}:
            return None  # shown inside the Concept's tree, not on their own
        target = page
        url = self.request.build_absolute_uri(
            reverse(f"{RESOURCE_URL_NAMES[resource]}-detail", args=[target.translation_key])
        )
        return {
            "id": target.translation_key,
            "title": target.title,
            "type": label,
            "resource": resource,
            "url": url,
        }

    def parents(self, objects):
        """{parent path: link}, the parent in the best language of the chain (one query)."""
        paths = {page.path[: -Page.steplen] for page in objects if page.depth > 2}
        if not paths:
            return {}
        parents = list(Page.objects.filter(path__in=paths).only("path", "translation_key"))
        best = best_instances(
            Page.objects.select_related("locale"),
            [page.translation_key for page in parents],
            self.chain,
        )
        links = {}
        for parent in parents:
            shown = best.get(parent.translation_key)
            links[parent.path] = self.link(shown) if shown else None
        return links

    def platforms(self, objects):
        from platforms.models import PlatformPage

        ids = {getattr(page, "platform_id", None) for page in objects} - {None}
        if not ids:
            return {}
        keys = dict(PlatformPage.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
        best = best_instances(
            visible_pages(PlatformPage).select_related("locale"), keys.values(), self.chain
        )
        return {
            pk: self.link(best[key], "platforms.platformpage")
            for pk, key in keys.items()
            if key in best
        }

    def children(self, page):
        children = reader_children(page, chain=self.chain).filter(alias_of__isnull=True)
        return [link for link in (self.link(child) for child in children) if link]
