"""Advisory platforms (poradní platformy), their meetings (setkání) and venues (místa konání)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.localization import (
    is_fallback,
    localize,
    localize_attribute,
    reader_children,
    reader_pages,
)
from home.models import RICH_FEATURES, Organisation
from home.positions import ORDERABLE
from home.translation.permissions import TranslatorAwarePermissionsMixin
from home.translation.slugs import ascii_slug, available_slug


class Venue(DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model):
    """Místo konání: a room where meetings take place. Draft state as on home.Organisation."""

    name = models.CharField(_("název"), max_length=255)
    address = models.CharField(_("adresa"), max_length=255, blank=True)
    room = models.CharField(_("místnost / patro"), max_length=255, blank=True)

    panels = [FieldPanel("name"), FieldPanel("address"), FieldPanel("room")]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("address"),
        index.AutocompleteField("name"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("místo konání")
        verbose_name_plural = _("místa konání")
        ordering = ["name", "pk"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.room, self.address) if part)


class PlatformIndexPage(TranslatorAwarePermissionsMixin, Page):
    """Poradní platformy: lists the advisory bodies of one site."""

    intro = RichTextField(_("úvod"), blank=True, features=RICH_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["platforms.PlatformPage"]

    class Meta:
        verbose_name = _("přehled poradních platforem")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        platforms = list(reader_children(self, PlatformPage))
        found = self.next_meetings(platforms)
        for platform in platforms:  # each card's "next meeting", read for all cards at once
            platform.next_meeting_shown = found.get(platform.translation_key)
        context["platforms"] = platforms
        return context

    def next_meetings(self, platforms, now=None):
        """{platform translation_key: its next meeting} for the listed platforms: the same rule as
        PlatformPage.next_meeting (the reader's meetings, upcoming, the first not cancelled)."""
        return next_meetings(platforms, reader_pages(self, MeetingPage), now)


class PlatformPage(TranslatorAwarePermissionsMixin, Page):
    """An advisory body: commission, advisory platform or working group."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("komise")
        ADVISORY_PLATFORM = "advisory_platform", _("poradní platforma")
        WORKING_GROUP = "working_group", _("pracovní skupina")

    kind = models.CharField(_("druh"), max_length=32, choices=Kind.choices)
    short_name = models.CharField(_("zkratka"), max_length=32, blank=True)
    summary = models.TextField(
        _("shrnutí"), blank=True, help_text=_("Jedna až dvě věty do přehledů.")
    )
    description = RichTextField(_("popis a poslání"), blank=True, features=RICH_FEATURES)
    established_by = models.CharField(
        _("zřízeno"), max_length=255, blank=True, help_text=_("Např. usnesení Rady hl. m. Prahy")
    )
    resolution_number = models.CharField(_("číslo usnesení"), max_length=64, blank=True)
    established_on = models.DateField(_("datum zřízení"), null=True, blank=True)
    established_year = models.PositiveSmallIntegerField(
        _("rok vzniku"), null=True, blank=True, help_text=_("Když přesné datum není známo.")
    )
    coordinator = models.ForeignKey(
        Organisation,
        verbose_name=_("koordinátor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_platforms",
    )
    members = ParentalManyToManyField(
        Organisation, verbose_name=_("členské organizace"), blank=True, related_name="platforms"
    )
    composition = RichTextField(_("složení"), blank=True, features=RICH_FEATURES)
    participation = RichTextField(_("kdo se může zúčastnit"), blank=True, features=RICH_FEATURES)
    meeting_frequency = models.CharField(_("jak často se schází"), max_length=255, blank=True)
    usual_venue = models.ForeignKey(
        Venue,
        verbose_name=_("obvyklé místo konání"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("short_name")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("established_by"),
                FieldRowPanel(
                    [
                        FieldPanel("resolution_number"),
                        FieldPanel("established_on"),
                        FieldPanel("established_year"),
                    ]
                ),
            ],
            heading=_("zřízení"),
        ),
        MultiFieldPanel(
            [FieldPanel("coordinator"), FieldPanel("members"), FieldPanel("composition")],
            heading=_("složení"),
        ),
        FieldPanel("participation"),
        FieldRowPanel([FieldPanel("meeting_frequency"), FieldPanel("usual_venue")]),
        InlinePanel("contacts", heading=_("kontaktní osoby"), label=_("kontakt")),
        InlinePanel("documents", heading=_("dokumenty"), label=_("dokument")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("short_name"),
        APIField("summary"),
        APIField("description"),
        APIField("established_by"),
        APIField("resolution_number"),
        APIField("established_on"),
        APIField("established_year"),
        APIField("coordinator"),
        APIField("composition"),
        APIField("participation"),
        APIField("meeting_frequency"),
        APIField("usual_venue"),
        APIField("contacts"),
        APIField("documents"),
    ]
    parent_page_types = ["platforms.PlatformIndexPage"]
    subpage_types = ["platforms.MeetingPage"]

    class Meta:
        verbose_name = _("poradní platforma")
        verbose_name_plural = _("poradní platformy")

    def meetings(self):
        """Published, public meetings of this platform as the reader sees them: each in the best
        language of the reader's fallback chain. A reader must not miss a meeting because its
        translation lags; templates mark the ones shown in another language with `lang`."""
        return reader_children(self, MeetingPage).select_related("locale")

    def upcoming_meetings(self, now=None):
        return MeetingPage.upcoming(self.meetings(), now)

    def next_meeting(self, now=None):
        """The next meeting that will take place: computed from dates, never typed."""
        return first_taking_place(self.upcoming_meetings(now))

    def past_meetings(self, now=None):
        return MeetingPage.past(self.meetings(), now).select_related("minutes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(platform_context(self))
        return context


def parent_path():
    """The parent's tree path of a page, as an SQL expression."""
    return Substr("path", 1, (F("depth") - 1) * Page.steplen)


def next_meetings(platforms, meetings, now=None, last=False):
    """{platform translation_key: its next meeting not cancelled} among `meetings` (the reader's:
    visible, each in its best language); last=True: the last one that is over instead.

    The one rule behind the platform cards and the API's `next_meeting`/`last_meeting`: two
    queries, and only the first meeting of each platform's tree is read (a window), however
    many meetings there are."""
    keys = {platform.translation_key for platform in platforms}
    if not keys:
        return {}
    platform_of = dict(
        PlatformPage.objects.filter(translation_key__in=keys).values_list("path", "translation_key")
    )
    if last:
        meetings = MeetingPage.past(meetings, now)
        order = [F("date").desc(), F("start_time").desc(nulls_last=True), F("pk").desc()]
    else:
        meetings = MeetingPage.upcoming(meetings, now)
        order = [F("date").asc(), F("start_time").asc(nulls_first=True), F("pk").asc()]
    candidates = (
        meetings.exclude(status=MeetingPage.Status.CANCELLED)
        .annotate(parent_path=parent_path())
        .filter(parent_path__in=platform_of)
        .annotate(row=Window(RowNumber(), partition_by=[F("parent_path")], order_by=order))
        .filter(row=1)
        .select_related("locale")
    )
    found = {}  # a platform's trees in several languages: the earliest (latest) of them
    for meeting in sorted(candidates, key=meeting_order, reverse=last):
        found.setdefault(platform_of[meeting.parent_path], meeting)
    return found


def meeting_order(meeting):
    return (meeting.date, meeting.start_time or datetime.time.min, meeting.pk)


def first_taking_place(upcoming):
    """The first of the upcoming meetings (in date order) that is not cancelled."""
    return next((m for m in upcoming if not m.is_cancelled), None)


def localized_contacts(contacts):
    """Contacts with their person and the person's organisation in the reader's language."""
    contacts = localize_attribute(contacts.select_related("person__organisation"), "person")
    contacts = [contact for contact in contacts if contact.person is not None]  # published only
    localize_attribute([contact.person for contact in contacts], "organisation")
    return contacts


def platform_context(platform):
    """What a platform page (on any site) shows: next, upcoming and past meetings, contacts."""
    upcoming = list(platform.upcoming_meetings().select_related("venue"))
    past = list(platform.past_meetings())
    localize_attribute(upcoming, "venue")
    for meeting in upcoming + past:
        # Shown in another language because the translation is missing (see meetings()).
        meeting.is_fallback = is_fallback(meeting)
    next_meeting = first_taking_place(upcoming)
    return {
        "platform": platform,
        "next_meeting": next_meeting,
        "upcoming_meetings": [m for m in upcoming if m is not next_meeting],
        "past_meetings": past,
        "contacts": localized_contacts(platform.contacts),
        "documents": platform.documents.select_related("document"),
    }


class ContactLink(TranslatableMixin, Orderable):
    """A contact person shown on a page, with their role there. The person is shared (snippet)."""

    person = models.ForeignKey("home.Person", verbose_name=_("osoba"), on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=255, blank=True)

    translatable_fields = [TranslatableField("role"), SynchronizedField("person")]
    panels = [FieldPanel("person"), FieldPanel("role")]
    api_fields = [APIField("person"), APIField("role")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        abstract = True
        verbose_name = _("kontakt")


class PlatformContact(ContactLink):
    page = ParentalKey(PlatformPage, related_name="contacts", on_delete=models.CASCADE)

    class Meta(ContactLink.Meta):
        verbose_name = _("kontakt")


class PlatformDocument(TranslatableMixin, Orderable):
    """A document of a platform (directory, minutes archive…)."""

    page = ParentalKey(PlatformPage, related_name="documents", on_delete=models.CASCADE)
    title = models.CharField(_("název"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("soubor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Bez souboru se zobrazí jen název."),
    )

    translatable_fields = [TranslatableField("title"), SynchronizedField("document")]
    panels = [FieldPanel("title"), FieldPanel("document")]
    api_fields = [APIField("title"), APIField("document")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("dokument")


class MeetingPage(TranslatorAwarePermissionsMixin, Page):
    """Setkání / jednání: one meeting of a platform. Times are local (Europe/Prague)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("plánováno")
        HELD = "held", _("proběhlo")
        CANCELLED = "cancelled", _("zrušeno")

    number = models.PositiveIntegerField(_("pořadové číslo"), null=True, blank=True)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("začátek"), null=True, blank=True)
    end_time = models.TimeField(_("konec"), null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("místo konání"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    topic = models.CharField(_("téma"), max_length=500, blank=True)
    description = RichTextField(_("popis"), blank=True, features=RICH_FEATURES)
    registration_deadline = models.DateField(_("registrace do"), null=True, blank=True)
    registration_url = models.URLField(_("odkaz na registraci"), blank=True)
    status = models.CharField(
        _("stav"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    minutes = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("zápis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("number"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("venue"),
        FieldPanel("topic"),
        FieldPanel("description"),
        InlinePanel("programme", heading=_("program"), label=_("bod programu")),
        FieldRowPanel(
            [FieldPanel("registration_deadline"), FieldPanel("registration_url")],
            heading=_("registrace"),
        ),
        FieldPanel("minutes"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("topic"),
        index.SearchField("description"),
        index.FilterField("date"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("number"),
        APIField("date"),
        APIField("start_time"),
        APIField("end_time"),
        APIField("venue"),
        APIField("topic"),
        APIField("description"),
        APIField("programme"),
        APIField("registration_deadline"),
        APIField("registration_url"),
        APIField("status"),
        APIField("minutes"),
    ]
    parent_page_types = ["platforms.PlatformPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("setkání")
        verbose_name_plural = _("setkání")
        ordering = ["date", "start_time", "pk"]
        # Lists, the calendar and the next meeting's end (a cache time bucket) read meetings by
        # date: without it each sorts or scans all of them.
        indexes = [models.Index(fields=["date", "start_time"], name="meeting_date")]

    def full_clean(self, *args, **kwargs):
        self._default_slug_to_date()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self._default_slug_to_date()  # a draft (Wagtail validates drafts with this only)
        super().minimal_clean()

    def _default_slug_to_date(self):
        """A new meeting's slug is its date (2026-12-15), as the seeded meetings' are, unless the
        editor chose one. Wagtail's admin fills the slug from the title as it is typed ("64.
        setkání – 15. 12. 2026" → 64-setkani-15-12-2026), so a slug equal to the title's is taken
        as not chosen. Runs when the page is put in the tree (Wagtail fills its own default slug
        at the same point); a second meeting on the same day gets 2026-12-15-1."""
        if self.pk or not self.path or not self.date:
            return
        if self.slug and self.slug != ascii_slug(self.title):
            return
        self.slug = available_slug(self.get_parent(), str(self.date), fallback=self.title)

    def clean(self):
        super().clean()
        errors = {}
        if self.end_time and not self.start_time:
            errors["start_time"] = _("Zadejte začátek, když je zadán konec.")
        elif self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("Konec musí být po začátku.")
        if self.registration_deadline and self.date and self.registration_deadline > self.date:
            errors["registration_deadline"] = _("Registrace musí skončit nejpozději v den setkání.")
        if errors:
            raise ValidationError(errors)

    # --- computed times -------------------------------------------------------------------
    @property
    def start(self):
        """Aware start (Europe/Prague), or None when only the date is known."""
        return self._aware(self.start_time)

    @property
    def end(self):
        return self._aware(self.end_time)

    def _aware(self, time):
        if time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.date, time))

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @staticmethod
    def _not_over(now):
        """Meetings not yet over: later days, or today until their end (all day if unknown)."""
        now = timezone.localtime(now)
        today = now.date()
        # The leading range lets the database read index meeting_date from today on.
        return models.Q(date__gte=today) & (
            models.Q(date__gt=today)
            | models.Q(end_time__isnull=True)
            | models.Q(end_time__gt=now.time())
        )

    @classmethod
    def upcoming(cls, queryset, now=None):
        return queryset.filter(cls._not_over(now)).order_by("date", "start_time", "pk")

    @classmethod
    def past(cls, queryset, now=None):
        return queryset.exclude(cls._not_over(now)).order_by("-date", "-start_time", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["platform"] = localize(self.get_parent()).specific
        return context


class AgendaItem(TranslatableMixin, Orderable):
    """One timed item of a meeting's programme."""

    page = ParentalKey(MeetingPage, related_name="programme", on_delete=models.CASCADE)
    start_time = models.TimeField(_("od"), null=True, blank=True)
    end_time = models.TimeField(_("do"), null=True, blank=True)
    title = models.CharField(_("bod programu"), max_length=500)
    presenter = models.CharField(_("přednášející / organizace"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("title"),
        FieldPanel("presenter"),
    ]
    api_fields = [
        APIField("start_time"),
        APIField("end_time"),
        APIField("title"),
        APIField("presenter"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        ordering = ORDERABLE
        verbose_name = _("bod programu")
        verbose_name_plural = _("program")

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Konec musí být po začátku.")})


class SharedPlatformPage(TranslatorAwarePermissionsMixin, RoutablePageMixin, Page):
    """A page on another site presenting a platform kept elsewhere (one source of truth).

    The ICP "Síťování" page shows the Regional Advisory Platform that lives in the MHMP tree: its
    own text plus the platform's meetings, venue and contacts, in the reader's language.
    """

    body = RichTextField(_("text"), blank=True, features=RICH_FEATURES)
    platform = models.ForeignKey(
        PlatformPage,
        verbose_name=_("zobrazená platforma"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        FieldPanel("platform"),
        InlinePanel("contacts", heading=_("další kontakty"), label=_("kontakt")),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    api_fields = [APIField("body"), APIField("platform"), APIField("contacts")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("stránka sdílené platformy")
        verbose_name_plural = _("stránky sdílených platforem")

    def shown_platform(self):
        """The platform in this page's language if published there, else the source."""
        platform = localize(self.platform)
        if platform is None or platform.get_view_restrictions().exists():
            return None
        return platform.specific

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        platform = self.shown_platform()
        if platform is not None:
            context.update(platform_context(platform))
        context["own_contacts"] = localized_contacts(self.contacts)
        return context

    @path("setkani/<int:meeting_id>/", name="meeting")
    def meeting(self, request, meeting_id):
        """A meeting of the shown platform, rendered in this site's frame."""
        platform = self.shown_platform()
        if platform is None:
            raise Http404
        # The id may be of any language version (a reader switching language keeps the address).
        key = MeetingPage.objects.filter(pk=meeting_id).values("translation_key")
        meeting = platform.meetings().filter(translation_key__in=key).first()
        if meeting is None:
            raise Http404
        return self.render(
            request,
            template="platforms/meeting_page.html",
            context_overrides={"page": meeting, "platform": platform, "frame_page": self},
        )


class SharedPlatformContact(ContactLink):
    page = ParentalKey(SharedPlatformPage, related_name="contacts", on_delete=models.CASCADE)

    class Meta(ContactLink.Meta):
        verbose_name = _("kontakt")
