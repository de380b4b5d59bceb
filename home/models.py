"""Site-level pages and the shared directory of actors (organisations) and contact people."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Page, RevisionMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(Page):
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


class ContentPage(Page):
    """A plain text page (e.g. "O nás", accessibility statement)."""

    body = RichTextField(_("text"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    api_fields = [APIField("body")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]

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
        ordering = ["name"]

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
        ordering = ["name"]

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


class ContentChange(models.Model):
    """When an API object last changed, or was removed, per language.

    Snippets keep no timestamps of their own, and a deleted or unpublished object leaves nothing
    behind: the API needs both for `created`/`modified` and for `?modified_since=` tombstones.
    Fed by signals (home/signals.py) for the models in settings.API_TRACKED_MODELS.
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
