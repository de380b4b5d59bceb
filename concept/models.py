"""The Prague Concept (Koncepce): priorities → areas → recommendations → measures, with the actors
responsible, and the yearly action plans.

Pages down to the recommendation, so that a priority with its subtree is one translation job and
every recommendation has an address; measures and actors are inline children of the recommendation
(translatable children one level deep, see BRIEF section 8).
"""

import re
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, Panel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.localization import (
    best_instances,
    localize_attribute,
    reader_chain,
    reader_children,
    reader_pages,
)
from home.models import PAGE_TRANSLATABLE_FIELDS, RICH_FEATURES, Organisation
from home.page_urls import ReaderUrls
from home.positions import ORDERABLE
from home.rows import Row, rows
from home.translation.permissions import TranslatorAwarePermissionsMixin

# The real numbering: priority 1, area 1.A, recommendation 1.A.1 (numbers run on across areas),
# measure 1.A.1.I (Roman numerals).
AREA_CODE = re.compile(r"^(?P<parent>\d+)\.[A-Z]$")
RECOMMENDATION_CODE = re.compile(r"^(?P<parent>\d+\.[A-Z])\.\d+$")
MEASURE_CODE = re.compile(r"^(?P<parent>\d+\.[A-Z]\.\d+)\.[IVXLC]+$")


class ConceptPage(TranslatorAwarePermissionsMixin, Page):
    """Koncepce: the city's policy for the integration of foreigners for a period."""

    period_from = models.PositiveSmallIntegerField(_("platnost od (rok)"))
    period_to = models.PositiveSmallIntegerField(_("platnost do (rok)"))
    summary = models.TextField(_("shrnutí"), blank=True)
    body = RichTextField(_("text"), blank=True, features=RICH_FEATURES)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("plné znění"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("period_from"), FieldPanel("period_to")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("approvals", heading=_("schválení"), label=_("usnesení")),
        FieldPanel("document"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("period_from"),
        APIField("period_to"),
        APIField("summary"),
        APIField("body"),
        APIField("approvals"),
        APIField("document"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["concept.PriorityPage", "concept.ActionPlanPage"]

    class Meta:
        verbose_name = _("koncepce")
        verbose_name_plural = _("koncepce")

    def clean(self):
        super().clean()
        if self.period_from and self.period_to and self.period_to < self.period_from:
            raise ValidationError({"period_to": _("Konec platnosti musí být po jejím začátku.")})

    def priorities(self):
        return reader_children(self, PriorityPage).order_by("number", "source_path")

    def action_plans(self):
        return reader_children(self, ActionPlanPage).order_by("-year", "source_path")

    def get_context(self, request, *args, **kwargs):
        from .monitoring import rollups

        context = super().get_context(request, *args, **kwargs)
        context["tree"] = concept_tree(self, request)
        context["action_plans"] = self.action_plans()
        data = rollups(self)
        context["progress"] = data.concept
        context["progress_rows"] = [(p, data.get(p)) for p in context["tree"]]
        return context


def concept_tree(concept, request=None, priority=None):
    """Priorities → areas → recommendations (with measures, actors) as the reader sees them, in a
    fixed number of queries; with `priority`, only that priority's node (or none). Levels are
    matched through the source tree (`source_path`): a translated priority holds its areas whether
    they are translated yet or not.

    Nodes are plain rows (home.rows) with the columns the pages show and their reader address as
    `url` (a page instance each costs most of a 500-recommendation page's time); the three levels
    are read in one query."""
    urls = ReaderUrls(request)
    levels = (
        Q(prioritypage__isnull=False)
        | Q(areapage__isnull=False)
        | Q(recommendationpage__isnull=False)
    )
    priorities, areas, recommendations = [], [], []
    for values in (
        reader_pages(concept)
        .filter(levels)
        .values(
            *TREE_FIELDS,
            language=F("locale__language_code"),
            number=F("prioritypage__number"),
            area_code=F("areapage__code"),
            recommendation_code=F("recommendationpage__code"),
        )
    ):
        number = values.pop("number")
        area_code = values.pop("area_code")
        recommendation_code = values.pop("recommendation_code")
        node = Row(**values, url=urls(values["url_path"], values["language"]) or "")
        if number is not None:
            node.number, node.code = number, str(number)  # PriorityPage.code
            priorities.append(node)
        elif area_code is not None:
            node.code = area_code
            areas.append(node)
        else:
            node.code = recommendation_code
            recommendations.append(node)
    priorities.sort(key=lambda node: node.number)  # then in source order, as read
    place(recommendations, areas, "recommendation_list")
    place(areas, priorities, "area_list")
    if priority is not None:
        priorities = [node for node in priorities if node.translation_key == priority]
    # Actors and measures of the recommendations shown only.
    attach_parts(
        [rec for node in priorities for area in node.area_list for rec in area.recommendation_list]
    )
    return priorities


TREE_FIELDS = ("pk", "translation_key", "path", "depth", "url_path", "title", "source_path")


def place(children, parents, attribute):
    """Put each child (in source order) on its parent's `attribute` list: the parent of its Czech
    source; a page written only in a translation (its source path is its own) under the parent
    it was added to, when that is the version the reader is shown."""
    by_path = {}
    for parent in parents:
        setattr(parent, attribute, [])
        by_path[parent.source_path] = parent
        by_path.setdefault(parent.path, parent)
    for child in children:
        parent = by_path.get(child.source_path[: -Page.steplen])
        if parent is not None:
            getattr(parent, attribute).append(child)


def attach_parts(recommendations, chain=None):
    """Give each recommendation `actor_list` (organisation in the reader's language, role label;
    published organisations only) and `measure_list`, as the tree shows them: three queries for
    any number, read as plain rows (a prefetch through modelcluster clones a queryset per page).
    """
    actors, measures = recommendation_parts([rec.pk for rec in recommendations])
    keys = {actor.key for found in actors.values() for actor in found}
    shown = best_instances(Organisation.objects.all(), keys, chain or reader_chain())
    # the labels in the reader's language once, not a lazy translation looked up per actor
    roles = {value: str(label) for value, label in RecommendationActor.Role.choices}
    for rec in recommendations:
        rec.actor_list = [
            Row(organisation=shown[actor.key], role=roles[actor.role])
            for actor in actors.get(rec.pk, ())
            if actor.key in shown  # published ones
        ]
        rec.measure_list = measures.get(rec.pk, [])
    return recommendations


def recommendation_parts(pks):
    """({recommendation pk: [actor]}, {recommendation pk: [measure]}) in two queries, as plain
    rows in their order: an actor's `role`, `key` (its organisation's translation_key) and
    `organisation` (a Row with that translation_key, one per organisation); a measure's `code`,
    `text`, `translation_key` and `language`. Shared by the pages' tree and the API's
    (concept.api.ConceptTree)."""
    actors, measures = defaultdict(list), defaultdict(list)
    organisations = {}
    for actor in rows(
        RecommendationActor.objects.filter(page_id__in=pks).order_by("sort_order", "pk"),
        "page_id",
        "role",
        key=F("organisation__translation_key"),
    ):
        actor.organisation = organisations.setdefault(actor.key, Row(translation_key=actor.key))
        actors[actor.page_id].append(actor)
    for measure in rows(
        Measure.objects.filter(page_id__in=pks).order_by("sort_order", "pk"),
        "page_id",
        "translation_key",
        "code",
        "text",
        language=F("locale__language_code"),
    ):
        measures[measure.page_id].append(measure)
    return actors, measures


class ConceptApproval(TranslatableMixin, Orderable):
    """Schválení: a resolution of the City Council or Assembly that approved the Concept."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("Rada hl. m. Prahy")
        ASSEMBLY = "assembly", _("Zastupitelstvo hl. m. Prahy")

    page = ParentalKey(ConceptPage, related_name="approvals", on_delete=models.CASCADE)
    body = models.CharField(_("orgán"), max_length=16, choices=Body.choices)
    resolution_number = models.CharField(_("číslo usnesení"), max_length=64, blank=True)
    date = models.DateField(_("datum"), null=True, blank=True)

    translatable_fields = [
        SynchronizedField("body"),
        SynchronizedField("resolution_number", overridable=False),
        SynchronizedField("date"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("body"), FieldPanel("resolution_number"), FieldPanel("date")])
    ]
    api_fields = [APIField("body"), APIField("resolution_number"), APIField("date")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("schválení")


class PriorityPage(TranslatorAwarePermissionsMixin, Page):
    """Priorita (1–5). Its title is the official one; unknown titles stay "Priorita N"."""

    number = models.PositiveSmallIntegerField(_("číslo"))
    goal = RichTextField(_("cíl"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("goal")]
    search_fields = Page.search_fields + [index.SearchField("goal")]
    api_fields = [APIField("number"), APIField("goal")]
    parent_page_types = ["concept.ConceptPage"]
    subpage_types = ["concept.AreaPage"]

    class Meta:
        verbose_name = _("priorita")
        verbose_name_plural = _("priority")

    @property
    def code(self):
        return str(self.number) if self.number is not None else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .monitoring import rollups

        concept = self.get_parent().specific
        tree = concept_tree(concept, request, priority=self.translation_key)
        node = tree[0] if tree else None
        context["priority_node"] = node
        data = rollups(concept)
        context["progress"] = data.get(self)
        context["progress_rows"] = [(a, data.get(a)) for a in (node.area_list if node else [])]
        return context


class CodedPageForm(WagtailAdminPageForm):
    """Checks a Concept code's format, that it extends its parent's code, and that no other
    page or measure of the same Concept (and language) uses it."""

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        parent = self.parent_page.specific if self.parent_page else None
        # The Concept's codes, read once for the page's own code and for its measures.
        taken = used_codes(parent, exclude_page=self.instance) if parent is not None else set()
        if code and parent is not None:
            self.check_code(code, parent, taken)
        self.check_measure_codes(code, taken)
        return cleaned

    def check_code(self, code, parent, taken):
        model = self._meta.model
        match = model.code_pattern.match(code)
        if not match:
            self.add_error(
                "code", _("Kód neodpovídá schématu (např. %(ex)s).") % {"ex": model.code_example}
            )
        elif match["parent"] != getattr(parent, "code", None):
            self.add_error(
                "code",
                _("Kód musí začínat kódem nadřazené položky (%(p)s).")
                % {"p": getattr(parent, "code", "?")},
            )
        elif code in taken:
            self.add_error("code", _("Kód %(code)s už v této koncepci existuje.") % {"code": code})

    def check_measure_codes(self, code, taken):
        formset = self.formsets.get("measures")
        if formset is None:
            return
        seen = set()
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            measure_code = form.cleaned_data.get("code")
            if not measure_code:
                continue
            match = MEASURE_CODE.match(measure_code)
            if not match:
                form.add_error("code", _("Kód opatření má tvar např. 1.A.1.I."))
            elif code and match["parent"] != code:
                form.add_error(
                    "code", _("Kód opatření musí začínat kódem doporučení (%(c)s).") % {"c": code}
                )
            elif measure_code in seen or measure_code in taken:
                form.add_error(
                    "code", _("Kód %(code)s už v této koncepci existuje.") % {"code": measure_code}
                )
            seen.add(measure_code)


def used_codes(page, exclude_page=None):
    """Codes of areas, recommendations and measures in the Concept that contains `page`."""
    concept = (
        page
        if isinstance(page, ConceptPage)
        else (ConceptPage.objects.ancestor_of(page, inclusive=True).first())
    )
    if concept is None:
        return set()
    pages = concept.get_descendants()
    if exclude_page is not None and exclude_page.pk:
        pages = pages.exclude(pk=exclude_page.pk)
    codes = set(AreaPage.objects.filter(pk__in=pages).values_list("code", flat=True))
    codes |= set(RecommendationPage.objects.filter(pk__in=pages).values_list("code", flat=True))
    codes |= set(Measure.objects.filter(page__in=pages).values_list("code", flat=True))
    return codes


class AreaPage(TranslatorAwarePermissionsMixin, Page):
    """Oblast (1.A, 1.B…) of a priority."""

    code = models.CharField(_("kód"), max_length=16, help_text=_("Např. 1.A"))
    code_pattern = AREA_CODE
    code_example = "1.A"

    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [SynchronizedField("code", overridable=False)]
    content_panels = [FieldPanel("code")] + Page.content_panels
    search_fields = Page.search_fields + [index.SearchField("code"), index.FilterField("code")]
    api_fields = [APIField("code")]
    parent_page_types = ["concept.PriorityPage"]
    subpage_types = ["concept.RecommendationPage"]
    base_form_class = CodedPageForm

    class Meta:
        verbose_name = _("oblast")
        verbose_name_plural = _("oblasti")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recommendations"] = attach_parts(list(reader_children(self, RecommendationPage)))
        return context


class RecommendationPage(TranslatorAwarePermissionsMixin, Page):
    """Doporučení (1.A.1…), with its measures and the actors who should carry it out."""

    code = models.CharField(_("kód"), max_length=16, help_text=_("Např. 1.A.1"))
    description = RichTextField(_("popis"), blank=True, features=RICH_FEATURES)
    code_pattern = RECOMMENDATION_CODE
    code_example = "1.A.1"

    # A list here replaces wagtail-localize's derived one: the inline children must be named,
    # or a measure's text never reaches the translators and a measure or actor added later
    # never reaches the translations.
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        SynchronizedField("code", overridable=False),
        TranslatableField("description"),
        TranslatableField("measures"),
    ]
    content_panels = (
        [FieldPanel("code")]
        + Page.content_panels
        + [
            FieldPanel("description"),
            InlinePanel("actors", heading=_("aktéři"), label=_("aktér")),
            InlinePanel("measures", heading=_("opatření"), label=_("opatření")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("description"),
        index.FilterField("code"),
    ]
    api_fields = [
        APIField("code"),
        APIField("description"),
        APIField("actors"),
        APIField("measures"),
    ]
    parent_page_types = ["concept.AreaPage"]
    subpage_types = []
    base_form_class = CodedPageForm

    class Meta:
        verbose_name = _("doporučení")
        verbose_name_plural = _("doporučení")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        actors = self.actors.select_related("organisation")
        actors = localize_attribute(actors, "organisation")
        context["actors"] = [actor for actor in actors if actor.organisation]  # published only
        return context


class RecommendationActor(Orderable):
    """Aktér of a recommendation and their role. Not translated: the organisation is a
    translatable snippet, localized when shown."""

    class Role(models.TextChoices):
        LEAD = "lead", _("gestor")
        PARTNER = "partner", _("partner")

    page = ParentalKey(RecommendationPage, related_name="actors", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizace"),
        on_delete=models.PROTECT,
        related_name="recommendation_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]
    api_fields = [APIField("organisation"), APIField("role")]

    class Meta(Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("aktér doporučení")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "organisation"], name="unique_actor_per_recommendation"
            )
        ]


class Measure(TranslatableMixin, Orderable):
    """Opatření / aktivita (1.A.1.I…) of a recommendation."""

    page = ParentalKey(RecommendationPage, related_name="measures", on_delete=models.CASCADE)
    code = models.CharField(_("kód"), max_length=24, help_text=_("Např. 1.A.1.I"))
    text = models.TextField(_("znění"))

    translatable_fields = [SynchronizedField("code", overridable=False), TranslatableField("text")]
    panels = [FieldPanel("code"), FieldPanel("text")]
    api_fields = [APIField("code"), APIField("text")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("opatření")
        verbose_name_plural = _("opatření")

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class StatusHistoryPanel(Panel):
    """Read-only: who changed which item's status, when, from what to what (Czech plan)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "concept/admin/status_history_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            history = ActionPlanItemStatusChange.objects.none()
            if page is not None and page.pk:
                history = ActionPlanItemStatusChange.objects.filter(
                    item__page_id=page.pk
                ).select_related("item__measure", "changed_by")[:500]
            context["history"] = history
            return context


class ActionPlanPage(TranslatorAwarePermissionsMixin, Page):
    """Akční plán: the measures the city carries out in one year, who is responsible, how far."""

    year = models.PositiveSmallIntegerField(_("rok"))
    intro = RichTextField(_("úvod"), blank=True, features=RICH_FEATURES)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("year"),
        FieldPanel("intro"),
        FieldPanel("document"),
        InlinePanel("items", heading=_("položky akčního plánu"), label=_("položka")),
        StatusHistoryPanel(heading=_("historie stavů plnění")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.FilterField("year")]
    api_fields = [APIField("year"), APIField("intro"), APIField("document"), APIField("items")]
    parent_page_types = ["concept.ConceptPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("akční plán")
        verbose_name_plural = _("akční plány")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = list(self.items.select_related("measure", "responsible"))
        localize_attribute(localize_attribute(items, "measure"), "responsible")
        context["items"] = items
        return context


class ActionPlanItem(TranslatableMixin, Orderable):
    """One measure in a year's action plan: who is responsible, by when, how far it got."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("plánováno")
        IN_PROGRESS = "in_progress", _("probíhá")
        DONE = "done", _("splněno")
        POSTPONED = "postponed", _("odloženo")
        CANCELLED = "cancelled", _("zrušeno")

    page = ParentalKey(ActionPlanPage, related_name="items", on_delete=models.CASCADE)
    measure = models.ForeignKey(
        Measure, verbose_name=_("opatření"), on_delete=models.PROTECT, related_name="plan_items"
    )
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("odpovědný aktér"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    deadline = models.DateField(_("termín"), null=True, blank=True)
    status = models.CharField(
        _("stav plnění"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    note = models.TextField(_("poznámka"), blank=True)

    # Measure and organisation stay on the source objects; they are localized when shown.
    translatable_fields = [
        SynchronizedField("measure", overridable=False),
        SynchronizedField("responsible", overridable=False),
        SynchronizedField("deadline"),
        SynchronizedField("status"),
        TranslatableField("note"),
    ]
    panels = [
        FieldPanel("measure"),
        FieldRowPanel([FieldPanel("responsible"), FieldPanel("deadline"), FieldPanel("status")]),
        FieldPanel("note"),
    ]
    api_fields = [
        APIField("measure"),
        APIField("responsible"),
        APIField("deadline"),
        APIField("status"),
        APIField("note"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("položka akčního plánu")
        verbose_name_plural = _("položky akčního plánu")


class ActionPlanItemStatusChange(models.Model):
    """One change of an action-plan item's status as readers saw it: recorded when the plan is
    published (a draft changes nothing readers see), with the author of the published revision."""

    item = models.ForeignKey(
        ActionPlanItem,
        verbose_name=_("položka akčního plánu"),
        on_delete=models.CASCADE,
        related_name="status_history",
    )
    old_status = models.CharField(
        _("původní stav"), max_length=16, choices=ActionPlanItem.Status.choices, blank=True
    )
    new_status = models.CharField(
        _("nový stav"), max_length=16, choices=ActionPlanItem.Status.choices
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("změnil(a)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("kdy"), default=timezone.now)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("změna stavu plnění")
        verbose_name_plural = _("historie stavů plnění")

    def __str__(self):
        return f"{self.item_id}: {self.old_status or '-'} → {self.new_status}"


def record_status_history(sender, instance, revision=None, **kwargs):
    """`page_published` receiver: a history entry for every item of a Czech action plan whose
    status differs from its last recorded one (new items start from an empty status). Two
    queries and one insert, whatever the plan's size."""
    if not isinstance(instance, ActionPlanPage):
        return
    if instance.locale.language_code != settings.LANGUAGE_CODE:
        return  # translations share the Czech items' status (a synchronised field)
    last = {}
    for item_id, status in (
        ActionPlanItemStatusChange.objects.filter(item__page_id=instance.pk)
        .order_by("item_id", "-changed_at", "-pk")
        .values_list("item_id", "new_status")
    ):
        last.setdefault(item_id, status)
    user = getattr(revision, "user", None)
    now = timezone.now()
    ActionPlanItemStatusChange.objects.bulk_create(
        ActionPlanItemStatusChange(
            item_id=pk,
            old_status=last.get(pk, ""),
            new_status=status,
            changed_by=user,
            changed_at=now,
            revision=revision,
        )
        for pk, status in ActionPlanItem.objects.filter(page_id=instance.pk).values_list(
            "pk", "status"
        )
        if last.get(pk) != status
    )


class ActorReporter(models.Model):
    """A user who reports for an organisation: may update the status and note of the action-plan
    items the organisation is responsible for, and nothing else (concept.reporting)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uživatel"),
        on_delete=models.CASCADE,
        related_name="actor_reporting",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizace"),
        on_delete=models.CASCADE,
        related_name="reporters",
    )

    panels = [FieldPanel("user"), FieldPanel("organisation")]

    class Meta:
        verbose_name = _("zpravodaj aktéra")
        verbose_name_plural = _("zpravodajové aktérů")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_actor_reporter")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class ConceptImport(models.Model):
    """An uploaded Concept file on its way in (concept.imports): previewed, then applied in one
    transaction, in the request when it is small, else by the task runner. The file is kept
    here rather than in the editor's session, and the outcome stays for the admin to show."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("náhled")
        QUEUED = "queued", _("čeká ve frontě")
        RUNNING = "running", _("běží")
        DONE = "done", _("hotovo")
        FAILED = "failed", _("selhalo")

    concept = models.ForeignKey(
        ConceptPage, verbose_name=_("koncepce"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zadal"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("soubor"), max_length=255)
    content = models.BinaryField()
    draft = models.BooleanField(_("jako koncepty"), default=False)
    status = models.CharField(
        _("stav"), max_length=16, choices=Status.choices, default=Status.PREVIEWED
    )
    # {"create": n, "change": n, "unchanged": n} of the preview, then of the import.
    counts = models.JSONField(default=dict, blank=True)
    # The file's row errors when it failed: [{"row": n, "column": "…", "message": "…"}].
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("nahráno"), auto_now_add=True)
    finished_at = models.DateTimeField(_("dokončeno"), null=True, blank=True)

    class Meta:
        verbose_name = _("import koncepce")
        verbose_name_plural = _("importy koncepce")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
