"""API resources of the Prague Concept: concepts (detail = the whole tree), recommendations,
measures and the yearly action plans; and what each organisation is responsible for."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Prefetch, Q
from django.db.models.functions import Length, Substr
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.models import Page

from home.api.base import (
    ContentFilterSet,
    ContentSerializer,
    ContentViewSet,
    DocumentFileSerializer,
    EmbeddedSerializer,
    EnumFilter,
    IntegerFilter,
    PageSerializer,
    PageViewSet,
    RichTextField,
    WebLinkSerializer,
    below,
    changed,
    component,
    detail_url,
    document_data,
    exact_filter,
    ordering_filter,
    page_published,
    reference,
    search_filter,
)
from home.api.content import visible_pages
from home.api.views import (
    OrganisationDetailSerializer,
    OrganisationRefSerializer,
    OrganisationViewSet,
    localized_organisations,
    organisation_reference,
)
from home.api.web import SiteMap
from home.localization import best_instances, in_best_language
from home.models import Organisation
from home.resources import resource
from home.rows import rows
from home.translation_status import translation_states

from .models import (
    ActionPlanItem,
    ActionPlanPage,
    AreaPage,
    ConceptPage,
    Measure,
    PriorityPage,
    RecommendationActor,
    RecommendationPage,
    recommendation_parts,
)
from .monitoring import Progress, Rollups, rollups_for


# --- progress (action-plan monitoring, concept.monitoring) ----------------------------------------
class ProgressCountsSerializer(serializers.Serializer):
    planned = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    done = serializers.IntegerField()
    postponed = serializers.IntegerField()
    cancelled = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    """Action-plan items by status. For a Concept and a priority each measure counts once, with
    its status in the latest action plan it is in; for an action plan, its own items."""

    counts = ProgressCountsSerializer(help_text="Number of items in each status.")
    total = serializers.IntegerField(help_text="All items counted.")
    done = serializers.IntegerField(help_text="Items in status done.")
    share_done = serializers.FloatField(help_text="done / total, 0–1 (0 without items).")


def progress_data(progress):
    return ProgressSerializer(progress.as_dict()).data


# --- components ------------------------------------------------------------------------------
class ConceptRefSerializer(EmbeddedSerializer):
    """The Concept an object belongs to (see /concepts/)."""

    title = serializers.CharField()
    url = serializers.URLField(help_text="The Concept in the API.")


class PriorityRefSerializer(EmbeddedSerializer):
    """A priority of the Concept."""

    title = serializers.CharField()
    number = serializers.IntegerField()


class AreaRefSerializer(EmbeddedSerializer):
    """An area of a priority."""

    title = serializers.CharField()
    code = serializers.CharField(help_text="E.g. 1.A.")


class ActorSerializer(serializers.Serializer):
    """An organisation taking part in a recommendation, with its role."""

    role = serializers.ChoiceField(choices=RecommendationActor.Role.choices)
    organisation = OrganisationRefSerializer()


class MeasureRefSerializer(EmbeddedSerializer):
    """A measure embedded in another object (see /measures/)."""

    code = serializers.CharField()
    text = serializers.CharField()


class ActionPlanRefSerializer(EmbeddedSerializer):
    """An action plan embedded in another object (see /action-plans/)."""

    title = serializers.CharField()
    year = serializers.IntegerField()
    url = serializers.URLField(help_text="The action plan in the API.")


class RecommendationRefSerializer(EmbeddedSerializer):
    """A recommendation embedded in another object (see /recommendations/)."""

    title = serializers.CharField()
    code = serializers.CharField()
    url = serializers.URLField(help_text="The recommendation in the API.")


class MeasureProgressSerializer(EmbeddedSerializer):
    """A measure's item in one yearly action plan."""

    deadline = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ActionPlanItem.Status.choices)
    note = serializers.CharField()
    responsible = OrganisationRefSerializer(allow_null=True)
    action_plan = ActionPlanRefSerializer()


class ActionPlanItemSerializer(MeasureProgressSerializer):
    """An item of a yearly action plan: a measure, who is responsible, deadline, status."""

    measure = MeasureRefSerializer()


class ApprovalSerializer(serializers.Serializer):
    """An approval of the Concept by a body of the city."""

    body = serializers.CharField()
    resolution_number = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class TranslationStatusSerializer(serializers.Serializer):
    """One content language of a node of the Concept tree and the state of its translation."""

    language = serializers.CharField()
    status = serializers.ChoiceField(choices=["up_to_date", "outdated", "in_progress", "missing"])
    source = serializers.BooleanField()


class TreeNodeSerializer(EmbeddedSerializer):
    title = serializers.CharField()
    translations = TranslationStatusSerializer(many=True)
    web = WebLinkSerializer(many=True)


class RecommendationNodeSerializer(TreeNodeSerializer):
    """A recommendation in the Concept tree."""

    code = serializers.CharField()
    url = serializers.URLField(help_text="The recommendation in the API.")
    description = serializers.CharField(help_text="HTML.")
    actors = ActorSerializer(many=True)
    measures = MeasureRefSerializer(many=True)


class AreaNodeSerializer(TreeNodeSerializer):
    """An area in the Concept tree."""

    code = serializers.CharField()
    recommendations = RecommendationNodeSerializer(many=True)


class PriorityNodeSerializer(TreeNodeSerializer):
    """A priority in the Concept tree."""

    number = serializers.IntegerField()
    goal = serializers.CharField(help_text="HTML.")
    areas = AreaNodeSerializer(many=True)
    progress = ProgressSerializer()


class RecommendationResponsibilitySerializer(RecommendationRefSerializer):
    """A recommendation an organisation is an actor of, with its role."""

    role = serializers.ChoiceField(choices=RecommendationActor.Role.choices)


class ResponsibilitiesSerializer(serializers.Serializer):
    """What an organisation is responsible for."""

    recommendations = RecommendationResponsibilitySerializer(many=True)
    action_plan_items = ActionPlanItemSerializer(many=True)
    progress = ProgressSerializer(help_text="Its action-plan items by status, all years.")


def actor_organisation_changes(**relation):
    """SQL: when an organisation that is an actor (by `relation`) last changed."""
    keys = Organisation.objects.filter(**relation).values("translation_key")
    return changed(Organisation, translation_key__in=keys)


def ancestors_published():
    """SQL: when the Concept, priority or area above a page (its tree) was last published."""
    above = Substr(OuterRef(OuterRef("path")), 1, Length("path"))
    return [
        page_published(
            translation_key__in=model.objects.filter(path=above).values("translation_key")
        )
        for model in (ConceptPage, PriorityPage, AreaPage)
    ]


def under(model, **filters):
    """Q: pages below any language's instance of the `model` pages matching `filters`."""
    condition = Q(pk__in=[])
    for path in model.objects.filter(**filters).values_list("path", flat=True):
        condition |= Q(path__startswith=path)
    return condition


def prefixed(condition, prefix):
    """Re-root a Q on pages (path lookups) onto a relation, e.g. measures' `page__`."""
    copy = Q.create(connector=condition.connector, negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            copy.children.append(prefixed(child, prefix))
        else:
            copy.children.append((f"{prefix}{child[0]}", child[1]))
    return copy


def actor_list(actors, context):
    """A recommendation's actors (objects with `role` and `organisation`) for embedding. Each
    organisation's reference is built once per response (a reverse() each): hundreds of
    recommendations share a few dozen organisations."""
    references = context.setdefault("organisation_references", {})
    found = []
    for actor in actors:
        key = getattr(actor.organisation, "translation_key", None)
        if key not in references:
            references[key] = organisation_reference(actor.organisation, context)
        if references[key] is not None:  # published ones
            found.append({"role": actor.role, "organisation": references[key]})
    return found


def actor_organisations(recommendations):
    return [actor.organisation for rec in recommendations for actor in rec.actors.all()]


class Ancestors:
    """Concept, priority and area of pages, in the pages' own language (three queries)."""

    def __init__(self, pages):
        paths = {page.path[: depth * 4] for page in pages for depth in range(1, page.depth)}
        self.by_path = {}
        for model in (ConceptPage, PriorityPage, AreaPage):
            for page in model.objects.filter(path__in=paths).select_related("locale"):
                self.by_path[page.path] = page

    def of(self, page, model):
        for depth in range(page.depth - 1, 0, -1):
            found = self.by_path.get(page.path[: depth * 4])
            if isinstance(found, model):
                return found
        return None


def page_reference(page, context, basename=None, **fields):
    if page is None:
        return None
    if basename:
        fields["url"] = detail_url(context["request"], basename, page.translation_key)
    return reference(page, context, title=page.title, **fields)


# --- recommendations -----------------------------------------------------------------------------
class ConceptScopedFilter(ContentFilterSet):
    """Filters by position in a Concept (works for pages; measures re-root them on `page__`)."""

    path_prefix = ""
    concept = django_filters.UUIDFilter(method="filter_concept", label="Concept id.")
    priority = IntegerFilter(method="filter_priority", label="Priority number.", max_value=99)

    def filter_concept(self, queryset, name, value):
        return queryset.filter(
            prefixed(under(ConceptPage, translation_key=value), self.path_prefix)
        )

    def filter_priority(self, queryset, name, value):
        return queryset.filter(prefixed(under(PriorityPage, number=value), self.path_prefix))


class RecommendationFilter(ConceptScopedFilter):
    area = django_filters.CharFilter(method="filter_area", label="Area code, e.g. 1.A.")
    actor = django_filters.UUIDFilter(method="filter_actor", label="Organisation id.")
    role = EnumFilter(
        choices=RecommendationActor.Role.choices,
        component="ActorRole",
        method="filter_actor",
        label="With `actor`: only where it has this role.",
    )
    q = django_filters.CharFilter(
        method=search_filter("code", "title", "measures__text"),
        label="Search in code, title and measure texts, in any language.",
    )
    code = django_filters.CharFilter(
        method=exact_filter("code"), label="Exactly this code, e.g. 1.A.1."
    )
    ordering = ordering_filter(
        {
            "code": ["path"],
            "-code": ["-path"],
            "title": ["title", "pk"],
            "-title": ["-title", "-pk"],
        },
        "code (position in the Concept)",
    )

    class Meta:
        model = RecommendationPage
        fields = [
            "concept",
            "priority",
            "area",
            "actor",
            "role",
            "q",
            "code",
            "ordering",
            "modified_since",
        ]

    def filter_area(self, queryset, name, value):
        return queryset.filter(under(AreaPage, code=value))

    def filter_actor(self, queryset, name, value):
        if name == "role" and self.form.cleaned_data.get("actor"):
            return queryset  # applied together with the actor
        lookups = {}
        if self.form.cleaned_data.get("actor"):
            lookups["actors__organisation__translation_key"] = self.form.cleaned_data["actor"]
        if self.form.cleaned_data.get("role"):
            lookups["actors__role"] = self.form.cleaned_data["role"]
        return queryset.filter(pk__in=RecommendationPage.objects.filter(**lookups).values("pk"))


def measure_list(measures, context):
    return [
        reference(measure, context, code=measure.code, text=measure.text) for measure in measures
    ]


class RecommendationSerializer(PageSerializer):
    description = RichTextField()
    concept = serializers.SerializerMethodField()
    priority = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()
    actors = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()

    class Meta:
        model = RecommendationPage
        fields = PageSerializer.COMMON_FIELDS + [
            "code",
            "title",
            "description",
            "concept",
            "priority",
            "area",
            "actors",
            "measures",
        ]

    @extend_schema_field(component(ConceptRefSerializer, nullable=True))
    def get_concept(self, obj):
        concept = self.context["ancestors"].of(obj, ConceptPage)
        return page_reference(concept, self.context, "concept")

    @extend_schema_field(component(PriorityRefSerializer, nullable=True))
    def get_priority(self, obj):
        priority = self.context["ancestors"].of(obj, PriorityPage)
        return page_reference(priority, self.context, number=priority and priority.number)

    @extend_schema_field(component(AreaRefSerializer, nullable=True))
    def get_area(self, obj):
        area = self.context["ancestors"].of(obj, AreaPage)
        return page_reference(area, self.context, code=area and area.code)

    @extend_schema_field(component(ActorSerializer, many=True))
    def get_actors(self, obj):
        return actor_list(self.context["recommendation_actors"].get(obj.pk, ()), self.context)

    @extend_schema_field(component(MeasureRefSerializer, many=True))
    def get_measures(self, obj):
        return measure_list(self.context["recommendation_measures"].get(obj.pk, ()), self.context)


@resource("recommendations", basename="recommendation")
class RecommendationViewSet(PageViewSet):
    """Recommendations of the Concept, with their actors (and roles) and measures."""

    model = RecommendationPage
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    ordering = ["path"]

    def modified_parts(self):
        return [
            *super().modified_parts(),
            *ancestors_published(),
            actor_organisation_changes(recommendation_roles__page=OuterRef(OuterRef("pk"))),
        ]

    def bulk(self, objects):
        data = super().bulk(objects)
        data["ancestors"] = Ancestors(objects)
        # Actors and measures as plain rows (concept.models.recommendation_parts): a prefetch
        # through modelcluster clones a queryset per recommendation.
        actors, measures = recommendation_parts([obj.pk for obj in objects])
        data["recommendation_actors"], data["recommendation_measures"] = actors, measures
        data["organisations"] = localized_organisations(
            [actor.organisation for found in actors.values() for actor in found], self.chain
        )
        return data


# --- measures ----------------------------------------------------------------------------------
class MeasureFilter(ConceptScopedFilter):
    path_prefix = "page__"
    recommendation = django_filters.UUIDFilter(
        field_name="page__translation_key", label="Recommendation id."
    )
    actor = django_filters.UUIDFilter(
        method="filter_actor", label="Organisation id (an actor of the recommendation)."
    )
    q = django_filters.CharFilter(
        method=search_filter("code", "text"), label="Search in code and text, in any language."
    )
    code = django_filters.CharFilter(
        method=exact_filter("code"), label="Exactly this code, e.g. 1.A.1.I."
    )

    class Meta:
        model = Measure
        fields = ["concept", "priority", "recommendation", "actor", "q", "code", "modified_since"]

    def filter_actor(self, queryset, name, value):
        pages = RecommendationPage.objects.filter(actors__organisation__translation_key=value)
        return queryset.filter(page__in=pages.values("pk"))


class MeasureSerializer(ContentSerializer):
    recommendation = serializers.SerializerMethodField()
    actors = serializers.SerializerMethodField(help_text="The recommendation's actors.")
    action_plan_items = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = ContentSerializer.COMMON_FIELDS + [
            "code",
            "text",
            "recommendation",
            "actors",
            "action_plan_items",
        ]

    @extend_schema_field(component(WebLinkSerializer, many=True))
    def get_web(self, obj):
        return self.context["sites"].urls(obj.page)

    @extend_schema_field(component(RecommendationRefSerializer))
    def get_recommendation(self, obj):
        return page_reference(obj.page, self.context, "recommendation", code=obj.page.code)

    @extend_schema_field(component(ActorSerializer, many=True))
    def get_actors(self, obj):
        return actor_list(obj.page.actors.all(), self.context)

    @extend_schema_field(component(MeasureProgressSerializer, many=True))
    def get_action_plan_items(self, obj):
        return [
            plan_item_data(item, self.context, with_measure=False)
            for item in self.context["plan_items"].get(obj.translation_key, [])
        ]


@resource("measures", basename="measure")
class MeasureViewSet(ContentViewSet):
    """Measures (opatření) of the recommendations, with their progress in the action plans."""

    model = Measure
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    ordering = ["page__path", "sort_order", "pk"]

    def visible(self):
        return Measure.objects.filter(page__in=visible_pages(RecommendationPage).values("pk"))

    def optimise(self, queryset):
        return queryset.select_related("page__locale").prefetch_related(
            Prefetch(
                "page__actors", queryset=RecommendationActor.objects.select_related("organisation")
            )
        )

    def timestamps(self, obj):
        return obj.page.first_published_at, self.modified(obj)

    def modified_parts(self):
        plans = ActionPlanPage.objects.filter(
            items__measure__translation_key=OuterRef(OuterRef("translation_key"))
        )
        return [
            # Its recommendation (any language): the measure is part of it.
            page_published(translation_key=OuterRef("page__translation_key")),
            actor_organisation_changes(recommendation_roles__page=OuterRef(OuterRef("page_id"))),
            page_published(translation_key__in=plans.values("translation_key")),
            actor_organisation_changes(
                plan_items__measure__translation_key=OuterRef(OuterRef("translation_key"))
            ),
        ]

    def bulk(self, objects):
        data = super().bulk(objects)
        data["sites"] = SiteMap()  # measures are shown on their recommendation's page
        data["organisations"] = localized_organisations(
            actor_organisations([m.page for m in objects]), self.chain
        )
        items = (
            in_best_language(visible_plan_items(), self.chain)
            .filter(measure__translation_key__in=[m.translation_key for m in objects])
            .select_related("locale", "page", "measure", "responsible")
            .order_by("page__year", "sort_order", "pk")
        )
        data["plan_items"] = {}
        for item in items:
            data["plan_items"].setdefault(item.measure.translation_key, []).append(item)
        # Responsible organisations of the items as well.
        data["organisations"].update(
            localized_organisations(
                [
                    i
                    for item_list in data["plan_items"].values()
                    for i in (item.responsible for item in item_list)
                ],
                self.chain,
            )
        )
        return data


def visible_plan_items():
    return ActionPlanItem.objects.filter(page__in=visible_pages(ActionPlanPage).values("pk"))


def plan_item_data(item, context, with_measure=True):
    data = reference(
        item,
        context,
        deadline=item.deadline,
        status=item.status,
        note=item.note,
        responsible=organisation_reference(item.responsible, context),
    )
    data["action_plan"] = page_reference(item.page, context, "actionplan", year=item.page.year)
    if with_measure:
        measure = context["measures"].get(item.measure.translation_key, item.measure)
        data["measure"] = reference(measure, context, code=measure.code, text=measure.text)
    return data


# --- action plans ------------------------------------------------------------------------------
class ActionPlanFilter(ConceptScopedFilter):
    priority = None
    year = IntegerFilter(label="Year of the plan.")
    status = EnumFilter(
        choices=ActionPlanItem.Status.choices,
        component="ActionPlanItemStatus",
        method="filter_items",
        label="Plans with an item in this status.",
    )
    actor = django_filters.UUIDFilter(
        method="filter_items", label="Plans with an item this organisation is responsible for."
    )
    q = django_filters.CharFilter(
        method=search_filter("title"), label="Search in title, in any language."
    )
    ordering = ordering_filter({"year": ["year", "pk"], "-year": ["-year", "pk"]}, "-year")

    class Meta:
        model = ActionPlanPage
        fields = ["concept", "year", "status", "actor", "q", "ordering", "modified_since"]

    def filter_items(self, queryset, name, value):
        lookup = "status" if name == "status" else "responsible__translation_key"
        items = ActionPlanItem.objects.filter(**{lookup: value})
        return queryset.filter(pk__in=items.values("page_id"))


class ActionPlanSerializer(PageSerializer):
    intro = RichTextField()
    document = serializers.SerializerMethodField()
    concept = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlanPage
        fields = PageSerializer.COMMON_FIELDS + [
            "title",
            "year",
            "intro",
            "document",
            "concept",
            "items",
            "progress",
        ]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, obj):
        # prefetched; status is the same in every language
        return progress_data(Progress.of(obj.items.all()))

    @extend_schema_field(component(DocumentFileSerializer, nullable=True))
    def get_document(self, obj):
        return document_data(obj.document, self.context["request"])

    @extend_schema_field(component(ConceptRefSerializer, nullable=True))
    def get_concept(self, obj):
        return page_reference(
            self.context["ancestors"].of(obj, ConceptPage), self.context, "concept"
        )

    @extend_schema_field(component(ActionPlanItemSerializer, many=True))
    def get_items(self, obj):
        return [plan_item_data(item, self.context) for item in obj.items.all()]


@resource("action-plans", basename="actionplan")
class ActionPlanViewSet(PageViewSet):
    """Yearly action plans: measures with the responsible actor, deadline and status."""

    model = ActionPlanPage
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilter
    ordering = ["-year", "pk"]

    def optimise(self, queryset):
        items = ActionPlanItem.objects.select_related("locale", "measure", "responsible")
        return queryset.select_related("document").prefetch_related(
            Prefetch("items", queryset=items.order_by("sort_order", "pk"))
        )

    def modified_parts(self):
        recommendations = RecommendationPage.objects.filter(
            measures__plan_items__page=OuterRef(OuterRef("pk"))
        )
        return [
            *super().modified_parts(),
            ancestors_published()[0],  # the Concept
            actor_organisation_changes(plan_items__page=OuterRef(OuterRef("pk"))),
            page_published(translation_key__in=recommendations.values("translation_key")),
        ]

    def bulk(self, objects):
        data = super().bulk(objects)
        items = [item for plan in objects for item in plan.items.all()]
        data["ancestors"] = Ancestors(objects)
        data["organisations"] = localized_organisations([i.responsible for i in items], self.chain)
        data["measures"] = localized_measures([i.measure for i in items], self.chain)
        return data


def localized_measures(measures, chain):
    keys = {measure.translation_key for measure in measures}
    if not keys:
        return {}
    visible = Measure.objects.filter(page__in=visible_pages(RecommendationPage).values("pk"))
    return best_instances(visible.select_related("locale"), keys, chain)


# --- concepts ----------------------------------------------------------------------------------
class ConceptFilter(ContentFilterSet):
    q = django_filters.CharFilter(
        method=search_filter("title", "summary"),
        label="Search in title and summary, in any language.",
    )

    class Meta:
        model = ConceptPage
        fields = ["q", "modified_since"]


class ConceptSerializer(PageSerializer):
    body = RichTextField()
    approvals = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()
    action_plans = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ConceptPage
        fields = PageSerializer.COMMON_FIELDS + [
            "title",
            "period_from",
            "period_to",
            "summary",
            "body",
            "approvals",
            "document",
            "action_plans",
            "progress",
        ]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, obj):
        return progress_data(self.context["progress"](obj).concept)

    @extend_schema_field(component(ApprovalSerializer, many=True))
    def get_approvals(self, obj):
        return [
            {"body": item.body, "resolution_number": item.resolution_number, "date": item.date}
            for item in obj.approvals.all()
        ]

    @extend_schema_field(component(DocumentFileSerializer, nullable=True))
    def get_document(self, obj):
        return document_data(obj.document, self.context["request"])

    @extend_schema_field(component(ActionPlanRefSerializer, many=True))
    def get_action_plans(self, obj):
        return [
            page_reference(plan, self.context, "actionplan", year=plan.year)
            for plan in self.context["action_plans"].get(obj.translation_key, [])
        ]


class ConceptDetailSerializer(ConceptSerializer):
    priorities = serializers.SerializerMethodField()

    class Meta(ConceptSerializer.Meta):
        fields = ConceptSerializer.Meta.fields + ["priorities"]

    @extend_schema_field(component(PriorityNodeSerializer, many=True))
    def get_priorities(self, obj):
        return self.context["tree"]


EMPTY_ROLLUPS = Rollups(Progress(), {}, {}, {}, {}, {}, [])


@resource("concepts", basename="concept", served_inside=(PriorityPage, AreaPage))
class ConceptViewSet(PageViewSet):
    """The Concept; its detail is the whole tree in one response."""

    model = ConceptPage
    filterset_class = ConceptFilter
    ordering = ["-period_from", "pk"]

    def get_serializer_class(self):
        return ConceptDetailSerializer if self.action == "retrieve" else ConceptSerializer

    def optimise(self, queryset):
        return queryset.select_related("document").prefetch_related("approvals")

    def modified_parts(self):
        return [
            *super().modified_parts(),
            # The whole tree and the action plans below it, in this language's tree (ranges of
            # the path index: a LIKE on the outer path scans the page table).
            page_published(below(OuterRef("path"))),
            changed(
                Organisation,
                translation_key__in=Organisation.objects.filter(
                    prefixed(below(OuterRef(OuterRef("path"))), "recommendation_roles__page__")
                ).values("translation_key"),
            ),
        ]

    def bulk(self, objects):
        data = super().bulk(objects)
        data["action_plans"] = self.action_plans(objects)
        found = rollups_for(objects, plans=visible_pages(ActionPlanPage))
        data["progress"] = lambda concept: found.get(concept.translation_key) or EMPTY_ROLLUPS
        if self.action == "retrieve":
            context = {**self.get_serializer_context(), **data}
            data["tree"] = ConceptTree(objects[0], self.chain, context).build()
        return data

    def action_plans(self, concepts):
        keys = [concept.translation_key for concept in concepts]
        plans = (
            in_best_language(visible_pages(ActionPlanPage), self.chain)
            .filter(under(ConceptPage, translation_key__in=keys))
            .select_related("locale")
            .order_by("-year", "pk")
        )
        plans = list(plans)
        ancestors = Ancestors(plans)
        found = {}
        for plan in plans:
            concept = ancestors.of(plan, ConceptPage)
            found.setdefault(concept.translation_key, []).append(plan)
        return found


class ConceptTree:
    """Priorities → areas → recommendations → measures, each node in its best language
    (nodes fall back independently), in a fixed number of queries. Read as plain rows (only the
    columns the tree shows): 500 recommendations with their actors and measures as model
    instances cost most of the answer's time."""

    NODE_FIELDS = ("pk", "translation_key", "path", "url_path", "title")

    def __init__(self, concept, chain, context):
        self.concept = concept
        self.chain = chain
        self.context = context
        self.rich_text = RichTextField()  # one field for every node's HTML

    def nodes(self, model, inside, order, *fields):
        queryset = in_best_language(visible_pages(model), self.chain).filter(inside)
        return rows(
            queryset.order_by(*order),
            *self.NODE_FIELDS,
            *fields,
            language=F("locale__language_code"),
        )

    def build(self):
        inside = under(ConceptPage, translation_key=self.concept.translation_key)
        priorities = self.nodes(PriorityPage, inside, ["number", "pk"], "number", "goal")
        areas = self.nodes(AreaPage, inside, ["code", "pk"], "code")
        recommendations = self.nodes(RecommendationPage, inside, ["path"], "code", "description")
        self.actors, self.measures = recommendation_parts([rec.pk for rec in recommendations])
        # Parents by path, in every language: a node and its parent may be served in
        # different languages.
        levels = ContentType.objects.get_for_models(PriorityPage, AreaPage).values()
        key_of = dict(
            Page.objects.filter(inside, content_type__in=levels).values_list(
                "path", "translation_key"
            )
        )
        self.context["organisations"] = localized_organisations(
            [actor.organisation for actors in self.actors.values() for actor in actors],
            self.chain,
        )
        # One call for the three levels (translation keys are unique across them).
        self.states = translation_states(
            Page, [node.translation_key for node in priorities + areas + recommendations]
        )
        children = {}
        for node in areas + recommendations:
            children.setdefault(key_of.get(node.path[:-4]), []).append(node)
        progress = self.context["progress"](self.concept)
        return [
            self.node(
                priority,
                number=priority.number,
                progress=progress_data(progress.get(priority)),
                goal=self.rich_text.to_representation(priority.goal),
                areas=[
                    self.node(
                        area,
                        code=area.code,
                        recommendations=[
                            self.recommendation(rec)
                            for rec in children.get(area.translation_key, [])
                        ],
                    )
                    for area in children.get(priority.translation_key, [])
                ],
            )
            for priority in priorities
        ]

    def node(self, page, **fields):
        states = self.states.get(page.translation_key, {})
        data = reference(page, self.context, title=page.title)
        data["translations"] = [
            {"language": s.language, "status": s.status, "source": s.source}
            for s in states.values()
        ]
        data["web"] = self.context["sites"].urls(page)
        data.update(fields)
        return data

    def recommendation(self, rec):
        return self.node(
            rec,
            code=rec.code,
            url=detail_url(self.context["request"], "recommendation", rec.translation_key),
            description=self.rich_text.to_representation(rec.description),
            actors=actor_list(self.actors.get(rec.pk, ()), self.context),
            measures=measure_list(self.measures.get(rec.pk, ()), self.context),
        )


# --- what organisations are responsible for ------------------------------------------------------
def organisation_responsibilities(view, organisation):
    """Recommendations the organisation is an actor of, and action-plan items it is responsible
    for, in the request's languages."""
    key = organisation.translation_key
    context = view.get_serializer_context()
    recommendations = (
        in_best_language(visible_pages(RecommendationPage), view.chain)
        .filter(actors__organisation__translation_key=key)
        .annotate(role=F("actors__role"))
        .select_related("locale")
        .order_by("path")
    )
    items = (
        in_best_language(visible_plan_items(), view.chain)
        .filter(responsible__translation_key=key)
        .select_related("locale", "page", "measure", "responsible")
        .order_by("page__year", "sort_order", "pk")
    )
    items = list(items)
    context["measures"] = localized_measures([item.measure for item in items], view.chain)
    context["organisations"] = localized_organisations([organisation], view.chain)
    return {
        "recommendations": [
            page_reference(rec, context, "recommendation", code=rec.code, role=rec.role)
            for rec in recommendations
        ],
        "action_plan_items": [plan_item_data(item, context) for item in items],
        "progress": progress_data(Progress.of(items)),
    }


OrganisationViewSet.responsibility_providers.append(organisation_responsibilities)
extend_schema_field(ResponsibilitiesSerializer)(OrganisationDetailSerializer.get_responsibilities)


def responsibilities_published():
    """SQL: when a recommendation or action plan naming the organisation was last published."""
    key = OuterRef(OuterRef("translation_key"))
    recommendations = RecommendationPage.objects.filter(actors__organisation__translation_key=key)
    plans = ActionPlanPage.objects.filter(items__responsible__translation_key=key)
    return [
        page_published(translation_key__in=recommendations.values("translation_key")),
        page_published(translation_key__in=plans.values("translation_key")),
    ]


OrganisationViewSet.modified_part_providers.append(responsibilities_published)
