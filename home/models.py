"""Site-level pages and the shared directory of actors (organisations) and contact people."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    Orderable,
    Page,
    PageViewRestriction,
    RevisionMixin,
    TranslatableMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.localization import readable, reader_children
from home.positions import ORDERABLE
from home.translation.permissions import TranslatorAwarePermissionsMixin

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(TranslatorAwarePermissionsMixin, Page):
    """Root of one site's tree (MHMP or ICP), one per site and language."""

    intro = RichTextField(_("úvod"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("úvodní stránka webu")
        verbose_name_plural = _("úvodní stránky webů")


class ContentPage(TranslatorAwarePermissionsMixin, Page):
    """A plain text page (e.g. "O nás")."""

    body = RichTextField(_("text"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    api_fields = [APIField("body")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = reader_children(self)  # none expired, in the reader's language
        return context

    class Meta:
        verbose_name = _("textová stránka")
        verbose_name_plural = _("textové stránky")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Per-site identity shown in the header and footer."""

    organisation_name = models.CharField(_("název organizace"), max_length=255, blank=True)
    footer_contact = RichTextField(_("kontakt v patičce"), blank=True, features=RICH_FEATURES)

    panels = [FieldPanel("organisation_name"), FieldPanel("footer_contact")]

    class Meta:
        verbose_name = _("nastavení webu")


class Organisation(
    DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel
):
    """Aktér: an organisation responsible for or taking part in integration work.

    Draft state (as on pages): a translation starts as a draft and readers see it only once
    someone publishes it; readers never see an unpublished Czech actor either."""

    class Category(models.TextChoices):
        CITY = "city", _("hlavní město")
        CITY_DEPARTMENT = "city_department", _("odbor / útvar MHMP")
        CITY_DISTRICT = "city_district", _("městská část")
        STATE_BODY = "state_body", _("státní instituce")
        NGO = "ngo", _("nestátní nezisková organizace")
        MIGRANT_COMMUNITY = "migrant_community", _("komunita migrantů")
        ACADEMIC = "academic", _("akademická instituce")
        INTERNATIONAL = "international", _("mezinárodní organizace")
        OTHER = "other", _("jiné")

    name = models.CharField(_("název"), max_length=255)
    short_name = models.CharField(_("zkratka"), max_length=64, blank=True)
    category = models.CharField(_("kategorie"), max_length=32, choices=Category.choices)
    website = models.URLField(_("web"), blank=True)

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("short_name"),
        SynchronizedField("category"),
        SynchronizedField("website"),
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("category"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
        index.FilterField("category"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("aktér / organizace")
        verbose_name_plural = _("aktéři / organizace")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.short_name or self.name


class Person(DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model):
    """Kontaktní osoba. Only public work contacts belong here. Draft state as on Organisation."""

    name = models.CharField(_("jméno"), max_length=255)
    role = models.CharField(_("funkce"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    # Names and contacts are the same in every language (a translator may transliterate the name);
    # the organisation is localized when rendered, so the FK stays on the source.
    translatable_fields = [
        SynchronizedField("name"),
        TranslatableField("role"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("organisation"),
    ]
    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone")], heading=_("kontakt")),
        FieldPanel("organisation"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("role"),
        index.AutocompleteField("name"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("kontaktní osoba")
        verbose_name_plural = _("kontaktní osoby")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


# Page fields wagtail-localize translates by default; pages that need some of their own fields
# synchronised instead (codes, dates) list these plus their own in `translatable_fields`.
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("slug"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
    SynchronizedField("show_in_menus"),
]


# The statement's sections are the page's h2s: rich text inside them may not add headings.
STATEMENT_FEATURES = [feature for feature in RICH_FEATURES if feature not in ("h2", "h3")]


def is_blank(value):
    """No value, or rich text without any text (e.g. `<p></p>`)."""
    return not strip_tags(str(value or "")).strip()


class AccessibilityStatementForm(WagtailAdminPageForm):
    """Publishing needs every fact the decree requires; a draft may stay incomplete.

    The official fields are blank at the model level so that the seed and wagtail-localize (whose
    translation copies run `full_clean`) can create empty drafts. Wagtail 7.4 defers required
    form fields only when an editor saves a draft (`defer_required_fields()`), so marking them
    required here binds publishing, scheduling and submitting for moderation, never a draft save.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.model.required_to_publish:
            if name in self.fields:
                self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        if not self.is_deferred_validation:
            # An emptied rich text editor still posts an empty paragraph.
            for name in self._meta.model.required_to_publish:
                if name in cleaned and is_blank(cleaned[name]):
                    self.add_error(name, self.fields[name].error_messages["required"])
        status = cleaned.get("compliance_status")
        partial = status and status != AccessibilityStatementPage.Compliance.FULL
        if partial and not self.is_deferred_validation and not self._listed_items():
            self.add_error(
                "compliance_status",
                _("Při částečném souladu nebo nesouladu vyjmenujte nepřístupný obsah."),
            )
        return cleaned

    def _listed_items(self):
        formset = self.formsets.get("non_accessible_content")
        if formset is None or not formset.is_valid():
            return True  # the formset reports its own errors
        return [f for f in formset.forms if f.has_changed() and not formset._should_delete_form(f)]


class AccessibilityStatementPage(TranslatorAwarePermissionsMixin, Page):
    """Prohlášení o přístupnosti (§ 8 of law 99/2019 Sb.) in the structure of decree 515/2020 Sb.

    One per site tree. Every official fact is left to editors: the seed creates an empty draft,
    and the admin refuses to publish it until the required facts are filled in.
    """

    class Compliance(models.TextChoices):
        FULL = "full", _("plně v souladu")
        PARTIAL = "partial", _("částečně v souladu")
        NOT_COMPLIANT = "not_compliant", _("není v souladu")

    class Method(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("vlastní posouzení povinným subjektem")
        THIRD_PARTY = "third_party", _("posouzení třetí stranou")

    obligated_body = models.CharField(
        _("povinný subjekt"),
        max_length=255,
        blank=True,
        help_text=_("Úplný název organizace, která web provozuje a prohlášení vydává."),
    )
    websites = models.TextField(
        _("internetové stránky"),
        blank=True,
        help_text=_(
            "Adresy webů, na které se prohlášení vztahuje, každou na samostatný řádek "
            "(např. https://…)."
        ),
    )
    compliance_status = models.CharField(
        _("stav souladu"),
        max_length=16,
        choices=Compliance.choices,
        blank=True,
        help_text=_(
            "Jak web splňuje požadavky zákona č. 99/2019 Sb. Při částečném souladu nebo "
            "nesouladu vyjmenujte níže nepřístupný obsah."
        ),
    )
    preparation_method = models.CharField(
        _("způsob vypracování"),
        max_length=16,
        choices=Method.choices,
        blank=True,
        help_text=_("Kdo posoudil přístupnost webu: povinný subjekt sám, nebo třetí strana."),
    )
    assessor = models.CharField(
        _("posuzovatel"),
        max_length=255,
        blank=True,
        help_text=_("Nepovinné: kdo posouzení provedl (u posouzení třetí stranou její název)."),
    )
    prepared_on = models.DateField(
        _("datum vypracování"),
        null=True,
        blank=True,
        help_text=_("Den, kdy bylo prohlášení vypracováno."),
    )
    reviewed_on = models.DateField(
        _("datum poslední revize"),
        null=True,
        blank=True,
        help_text=_(
            "Den, kdy bylo prohlášení naposledy přezkoumáno, zda odpovídá skutečnosti. "
            "Nesmí předcházet datu vypracování."
        ),
    )
    feedback = RichTextField(
        _("zpětná vazba"),
        blank=True,
        features=STATEMENT_FEATURES,
        help_text=_(
            "Jak může čtenář nahlásit problém s přístupností nebo požádat o nepřístupný obsah "
            "v přístupné podobě (formulář, e-mail) a do kdy odpovíte."
        ),
    )
    contact = RichTextField(
        _("kontaktní údaje"),
        blank=True,
        features=STATEMENT_FEATURES,
        help_text=_("Útvar nebo osoba odpovědná za přístupnost webu: e-mail, telefon, adresa."),
    )
    enforcement = RichTextField(
        _("postup pro prosazování práva"),
        blank=True,
        features=STATEMENT_FEATURES,
        help_text=_(
            "Na koho se čtenář může obrátit, když na jeho podnět neodpovíte nebo odpověď "
            "nestačí: orgán dohledu podle zákona č. 99/2019 Sb., jeho kontaktní údaje a postup."
        ),
    )
    additional_information = RichTextField(
        _("další informace"),
        blank=True,
        features=STATEMENT_FEATURES,
        help_text=_("Nepovinné: např. plán odstranění nedostatků."),
    )

    # Facts the decree requires; the admin form enforces them on publishing.
    required_to_publish = [
        "obligated_body",
        "websites",
        "compliance_status",
        "preparation_method",
        "prepared_on",
        "feedback",
        "contact",
        "enforcement",
    ]

    base_form_class = AccessibilityStatementForm
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("obligated_body"), FieldPanel("websites")],
            heading=_("povinný subjekt a rozsah prohlášení"),
        ),
        FieldPanel("compliance_status"),
        InlinePanel("non_accessible_content", heading=_("nepřístupný obsah"), label=_("položka")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("preparation_method"), FieldPanel("assessor")]),
                FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("reviewed_on")]),
            ],
            heading=_("vypracování prohlášení"),
        ),
        FieldPanel("feedback"),
        FieldPanel("contact"),
        FieldPanel("enforcement"),
        FieldPanel("additional_information"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("obligated_body"),
        SynchronizedField("websites", overridable=False),
        SynchronizedField("compliance_status", overridable=False),
        SynchronizedField("preparation_method", overridable=False),
        TranslatableField("assessor"),
        SynchronizedField("prepared_on", overridable=False),
        SynchronizedField("reviewed_on", overridable=False),
        TranslatableField("feedback"),
        TranslatableField("contact"),
        TranslatableField("enforcement"),
        TranslatableField("additional_information"),
        TranslatableField("non_accessible_content"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("obligated_body"),
        index.SearchField("feedback"),
        index.SearchField("contact"),
        index.RelatedFields("non_accessible_content", [index.SearchField("description")]),
    ]
    api_fields = [
        APIField("obligated_body"),
        APIField("website_list"),
        APIField("compliance_status"),
        APIField("non_accessible_content"),
        APIField("preparation_method"),
        APIField("assessor"),
        APIField("prepared_on"),
        APIField("reviewed_on"),
        APIField("feedback"),
        APIField("contact"),
        APIField("enforcement"),
        APIField("additional_information"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("prohlášení o přístupnosti")
        verbose_name_plural = _("prohlášení o přístupnosti")

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = {}
        for name in ("prepared_on", "reviewed_on"):
            value = getattr(self, name)
            if value and value > today:
                errors[name] = _("Datum nesmí být v budoucnosti.")
        if self.prepared_on and self.reviewed_on and self.reviewed_on < self.prepared_on:
            errors.setdefault("reviewed_on", _("Revize nemůže předcházet vypracování."))
        if errors:
            raise ValidationError(errors)

    @classmethod
    def for_site(cls, site, languages):
        """The site's live, public statement in the first of `languages` that has one, or None.

        One query: the statement is a child of one of the site's live home pages (the Czech
        root or its translations) with no view restriction on itself or its home.
        """
        homes = Page.objects.filter(
            translation_key__in=Page.objects.filter(pk=site.root_page_id).values("translation_key"),
            live=True,
        ).values("path")
        parent_path = Substr("path", 1, Length("path") - Page.steplen)
        restricted = PageViewRestriction.objects.filter(
            Q(page_id=OuterRef("pk")) | Q(page__path=OuterRef("parent_path"))
        )
        found = {
            page.locale.language_code: page
            for page in readable(cls.objects.all())
            .annotate(parent_path=parent_path)
            .filter(parent_path__in=homes, locale__language_code__in=languages)
            .exclude(Exists(restricted))
            .select_related("locale")
        }
        return next((found[code] for code in languages if code in found), None)

    @property
    def missing_facts(self):
        """Names of the required facts still empty (a published page says it is incomplete)."""
        return [name for name in self.required_to_publish if is_blank(getattr(self, name))]

    @property
    def website_list(self):
        return [line.strip() for line in self.websites.splitlines() if line.strip()]

    def non_accessible_by_reason(self):
        """[(reason, [items])] in the decree's order of reasons, only reasons with items."""
        items = list(self.non_accessible_content.all())
        groups = []
        for reason in NonAccessibleContent.Reason:
            listed = [item for item in items if item.reason == reason]
            if listed:
                groups.append((reason, listed))
        return groups


class NonAccessibleContent(TranslatableMixin, Orderable):
    """One piece of content that is not accessible, why, and how to get it otherwise."""

    class Reason(models.TextChoices):
        NONCOMPLIANCE = "noncompliance", _("nesoulad s předpisem")
        DISPROPORTIONATE_BURDEN = "disproportionate_burden", _("nepřiměřená zátěž")
        OUT_OF_SCOPE = "out_of_scope", _("obsah mimo rozsah předpisu")

    page = ParentalKey(
        AccessibilityStatementPage, related_name="non_accessible_content", on_delete=models.CASCADE
    )
    description = models.TextField(
        _("nepřístupný obsah"),
        help_text=_(
            "Co není přístupné, srozumitelně pro čtenáře; u nesouladu uveďte nesplněná "
            "kritéria (např. WCAG 2.1, 1.2.2 Titulky)."
        ),
    )
    reason = models.CharField(
        _("důvod"),
        max_length=32,
        choices=Reason.choices,
        help_text=_(
            "Nesoulad s předpisem, nepřiměřená zátěž (§ 7 zákona č. 99/2019 Sb.), nebo obsah, "
            "na který se zákon nevztahuje."
        ),
    )
    alternative = models.TextField(
        _("přístupná alternativa"),
        blank=True,
        help_text=_("Nepovinné: jak čtenář obsah získá jinak (např. na vyžádání e-mailem)."),
    )

    translatable_fields = [
        TranslatableField("description"),
        SynchronizedField("reason", overridable=False),
        TranslatableField("alternative"),
    ]
    panels = [FieldPanel("description"), FieldPanel("reason"), FieldPanel("alternative")]
    api_fields = [APIField("description"), APIField("reason"), APIField("alternative")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("nepřístupný obsah")
        verbose_name_plural = _("nepřístupný obsah")


class ContentChange(models.Model):
    """When an API object last changed, or was removed, per language.

    Snippets keep no timestamps of their own, and a deleted or unpublished object leaves nothing
    behind: the API needs both for `created`/`modified` and for `?modified_since=` tombstones.
    Fed by signals (home/signals.py) for the models tracked with their API resource
    (home/resources.py).
    """

    model = models.CharField(max_length=100)  # "app_label.modelname"
    translation_key = models.UUIDField()
    language = models.CharField(max_length=16)
    created = models.DateTimeField()
    modified = models.DateTimeField()
    deleted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "translation_key", "language"], name="unique_content_change"
            )
        ]
        indexes = [models.Index(fields=["model", "modified"], name="content_change_modified")]

    def __str__(self):
        return f"{self.model} {self.translation_key} {self.language}"


# Models of home's sub-packages, registered with the app here.
from home.tasks.models import ScheduledTaskSlot  # noqa: E402, F401
from home.translation.models import TranslationJob  # noqa: E402, F401
