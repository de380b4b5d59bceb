"""API resources of the advisory platforms: platforms, meetings (+ iCalendar feed), venues."""

import datetime
import zoneinfo

import django_filters
from django.conf import settings
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, Substr
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from icalendar import Calendar, Event
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from wagtail.models import Page, PageLogEntry

from home.api.base import (
    DOCUMENT_SCHEMA,
    REFERENCE_SCHEMA,
    WEB_SCHEMA,
    ContentFilterSet,
    ContentSerializer,
    IntegerFilter,
    PageSerializer,
    PageViewSet,
    RichTextField,
    SiteFilter,
    SnippetFilterSet,
    SnippetViewSet,
    document_data,
    reference,
    search_filter,
)
from home.api.content import visible_pages
from home.api.views import localized_organisations, organisation_reference
from home.api.web import SiteMap
from home.localization import best_instances, in_best_language
from home.models import Person

from .models import MeetingPage, PlatformPage, SharedPlatformPage, Venue

PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")


def parent_path():
    """The parent's tree path of a page, as an SQL expression."""
    return Substr("path", 1, (F("depth") - 1) * Page.steplen)


# --- venues --------------------------------------------------------------------------------------
class VenueFilter(SnippetFilterSet):
    q = django_filters.CharFilter(
        method=search_filter("name", "address", "room"), label="Search in name, address, room."
    )

    class Meta:
        model = Venue
        fields = ["q", "modified_since"]


class VenueSerializer(ContentSerializer):
    class Meta:
        model = Venue
        fields = ContentSerializer.COMMON_FIELDS + ["name", "address", "room"]


class VenueViewSet(SnippetViewSet):
    """Places where meetings take place."""

    model = Venue
    serializer_class = VenueSerializer
    filterset_class = VenueFilter
    ordering = ["name", "pk"]


def venue_reference(venue, context):
    if venue is None:
        return None
    venue = context["venues"].get(venue.translation_key)
    if venue is None:
        return None  # not published
    return reference(venue, context, name=venue.name, address=venue.address, room=venue.room)


def localized_venues(venues, chain):
    keys = {venue.translation_key for venue in venues if venue is not None}
    return best_instances(Venue.objects.select_related("locale"), keys, chain) if keys else {}


# --- sites showing platforms -------------------------------------------------------------------
class PlatformSites(SiteMap):
    """Site URLs of platforms and meetings, including the other site's shared-platform page
    (the ICP "Síťování" page presents a platform that lives in the MHMP tree)."""

    def __init__(self):
        super().__init__()
        self.shared = {}
        shared_pages = visible_pages(SharedPlatformPage).select_related("locale", "platform")
        for page in shared_pages.order_by("pk"):
            key = (page.platform.translation_key, page.locale.language_code)
            self.shared.setdefault(key, page)

    def platform_urls(self, platform, suffix=""):
        urls = self.urls(platform, suffix)
        shared = self.shared.get((platform.translation_key, platform.locale.language_code))
        if shared is not None:
            urls += self.urls(shared)
        return urls

    def meeting_urls(self, meeting, platform_key):
        urls = self.urls(meeting)
        shared = self.shared.get((platform_key, meeting.locale.language_code))
        if shared is not None:
            urls += self.urls(shared, shared.reverse_subpage("meeting", args=[meeting.pk]))
        return urls

    def shown_on(self, site):
        """Translation keys of platforms another site presents through a shared page."""
        paths = tuple(self.site_paths(site))
        return {
            key
            for (key, _language), page in self.shared.items()
            if paths and page.path.startswith(paths)
        }


def site_condition(site_value, platform_level):
    """Q for pages shown on a site: in its tree, or (platforms and their meetings) presented
    there by a shared-platform page. `platform_level`: 0 for platforms, 1 for meetings."""
    sites = PlatformSites()
    site = sites.site_for(site_value)
    if site is None:
        raise ValidationError({"site": [f"Unknown site {site_value!r}; see /api/v1/sites/."]})
    condition = Q(pk__in=[])
    for path in sites.site_paths(site):
        condition |= Q(path__startswith=path)
    shown_keys = sites.shown_on(site)
    if shown_keys:
        for path in PlatformPage.objects.filter(translation_key__in=shown_keys).values_list(
            "path", flat=True
        ):
            condition |= Q(path__startswith=path) if platform_level else Q(path=path)
    return condition


# --- platforms -----------------------------------------------------------------------------------
class PlatformFilter(ContentFilterSet):
    site = SiteFilter(method="filter_site")
    kind = django_filters.ChoiceFilter(choices=PlatformPage.Kind.choices)
    q = django_filters.CharFilter(
        method=search_filter("title", "short_name", "summary"),
        label="Search in title, short name, summary.",
    )

    class Meta:
        model = PlatformPage
        fields = ["site", "kind", "q", "modified_since"]

    def filter_site(self, queryset, name, value):
        return queryset.filter(site_condition(value, platform_level=0))


MEETING_REFERENCE_SCHEMA = {**REFERENCE_SCHEMA, "description": "A meeting (see /meetings/)."}


class PlatformSerializer(PageSerializer):
    description = RichTextField()
    composition = RichTextField()
    participation = RichTextField()
    coordinator = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    usual_venue = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    next_meeting = serializers.SerializerMethodField(
        help_text="The next meeting that is not cancelled, computed from the dates."
    )
    meetings = serializers.SerializerMethodField(help_text="URL of this platform's meetings.")

    class Meta:
        model = PlatformPage
        fields = PageSerializer.COMMON_FIELDS + [
            "title",
            "kind",
            "short_name",
            "summary",
            "description",
            "established_by",
            "resolution_number",
            "established_on",
            "established_year",
            "coordinator",
            "members",
            "composition",
            "participation",
            "meeting_frequency",
            "usual_venue",
            "contacts",
            "documents",
            "next_meeting",
            "meetings",
        ]

    @extend_schema_field(WEB_SCHEMA)
    def get_web(self, obj):
        return self.context["sites"].platform_urls(obj)

    @extend_schema_field(REFERENCE_SCHEMA)
    def get_coordinator(self, obj):
        return organisation_reference(obj.coordinator, self.context)

    @extend_schema_field({"type": "array", "items": REFERENCE_SCHEMA})
    def get_members(self, obj):
        members = (organisation_reference(org, self.context) for org in obj.members.all())
        return [member for member in members if member is not None]

    @extend_schema_field(REFERENCE_SCHEMA)
    def get_usual_venue(self, obj):
        return venue_reference(obj.usual_venue, self.context)

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_contacts(self, obj):
        return [
            {"role": contact.role, "person": self.person(contact.person)}
            for contact in obj.contacts.all()
            if contact.person.translation_key in self.context["people"]  # published people only
        ]

    def person(self, person):
        person = self.context["people"][person.translation_key]
        return reference(
            person,
            self.context,
            name=person.name,
            role=person.role,
            email=person.email,
            phone=person.phone,
            organisation=organisation_reference(person.organisation, self.context),
        )

    @extend_schema_field({"type": "array", "items": DOCUMENT_SCHEMA})
    def get_documents(self, obj):
        request = self.context["request"]
        return [
            {"title": item.title, "file": document_data(item.document, request)}
            for item in obj.documents.all()
        ]

    @extend_schema_field(MEETING_REFERENCE_SCHEMA)
    def get_next_meeting(self, obj):
        meeting = self.context["next_meetings"].get(obj.translation_key)
        if meeting is None:
            return None
        return reference(
            meeting,
            self.context,
            title=meeting.title,
            date=meeting.date,
            start=meeting.start,
            end=meeting.end,
            status=meeting.status,
            url=self.context["request"].build_absolute_uri(
                reverse("meeting-detail", args=[meeting.translation_key])
            ),
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_meetings(self, obj):
        url = reverse("meeting-list")
        return self.context["request"].build_absolute_uri(f"{url}?platform={obj.translation_key}")


class PlatformViewSet(PageViewSet):
    """Advisory platforms (commissions, platforms, working groups)."""

    model = PlatformPage
    serializer_class = PlatformSerializer
    site_map_class = PlatformSites
    filterset_class = PlatformFilter
    ordering = ["title", "pk"]

    def optimise(self, queryset):
        return queryset.select_related("coordinator", "usual_venue").prefetch_related(
            "members",
            "contacts__person__organisation",
            "documents__document",
        )

    def bulk(self, objects):
        data = super().bulk(objects)
        organisations = [p.coordinator for p in objects]
        for platform in objects:
            organisations += list(platform.members.all())
            organisations += [c.person.organisation for c in platform.contacts.all()]
        data["organisations"] = localized_organisations(organisations, self.chain)
        data["venues"] = localized_venues([p.usual_venue for p in objects], self.chain)
        people = {c.person.translation_key for p in objects for c in p.contacts.all()}
        data["people"] = (
            best_instances(
                Person.objects.select_related("locale", "organisation"), people, self.chain
            )
            if people
            else {}
        )
        data["next_meetings"] = next_meetings(objects, self.chain)
        return data


def next_meetings(platforms, chain, now=None):
    """{platform key: its next meeting that is not cancelled} in two queries."""
    keys = {platform.translation_key for platform in platforms}
    if not keys:
        return {}
    platform_of = dict(
        PlatformPage.objects.filter(translation_key__in=keys).values_list("path", "translation_key")
    )
    candidates = (
        MeetingPage.upcoming(in_best_language(visible_pages(MeetingPage), chain), now)
        .exclude(status=MeetingPage.Status.CANCELLED)
        .annotate(parent_path=parent_path())
        .filter(parent_path__in=platform_of)
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("parent_path")],
                order_by=[F("date").asc(), F("start_time").asc(nulls_first=True), F("pk").asc()],
            )
        )
        .filter(row=1)
        .select_related("locale")
    )
    found = {}
    for meeting in sorted(candidates, key=meeting_order):
        found.setdefault(platform_of[meeting.parent_path], meeting)
    return found


def meeting_order(meeting):
    return (meeting.date, meeting.start_time or datetime.time.min, meeting.pk)


# --- meetings ----------------------------------------------------------------------------------
class MeetingFilter(ContentFilterSet):
    site = SiteFilter(method="filter_site")
    platform = django_filters.UUIDFilter(method="filter_platform", label="Platform id.")
    after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="On or after.")
    before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="On or before.")
    upcoming = django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_upcoming",
        label="true: meetings not over yet (soonest first); false: past meetings.",
    )
    status = django_filters.ChoiceFilter(choices=MeetingPage.Status.choices)
    year = IntegerFilter(field_name="date", lookup_expr="year")
    q = django_filters.CharFilter(
        method=search_filter("title", "topic"), label="Search in title and topic."
    )

    class Meta:
        model = MeetingPage
        fields = [
            "site",
            "platform",
            "after",
            "before",
            "upcoming",
            "status",
            "year",
            "q",
            "modified_since",
        ]

    def filter_site(self, queryset, name, value):
        return queryset.filter(site_condition(value, platform_level=1))

    def filter_platform(self, queryset, name, value):
        condition = Q(pk__in=[])
        for path in PlatformPage.objects.filter(translation_key=value).values_list(
            "path", flat=True
        ):
            condition |= Q(path__startswith=path)
        return queryset.filter(condition)

    @extend_schema_field({"type": "string", "enum": ["true", "false"]})
    def filter_upcoming(self, queryset, name, value):
        upcoming = MeetingPage._not_over(timezone.now())
        return queryset.filter(upcoming if value == "true" else ~upcoming)


class MeetingSerializer(PageSerializer):
    description = RichTextField()
    start = serializers.DateTimeField(
        allow_null=True, help_text="Local start (Europe/Prague); null for a date-only meeting."
    )
    end = serializers.DateTimeField(allow_null=True)
    all_day = serializers.SerializerMethodField(help_text="True when only the date is known.")
    venue = serializers.SerializerMethodField()
    programme = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    platform = serializers.SerializerMethodField()

    class Meta:
        model = MeetingPage
        fields = PageSerializer.COMMON_FIELDS + [
            "title",
            "number",
            "status",
            "date",
            "start_time",
            "end_time",
            "start",
            "end",
            "all_day",
            "topic",
            "description",
            "venue",
            "programme",
            "registration_deadline",
            "registration_url",
            "minutes",
            "platform",
        ]

    @extend_schema_field(WEB_SCHEMA)
    def get_web(self, obj):
        return self.context["sites"].meeting_urls(obj, self.context["platform_keys"][obj.pk])

    def get_all_day(self, obj) -> bool:
        return obj.start_time is None

    @extend_schema_field(REFERENCE_SCHEMA)
    def get_venue(self, obj):
        return venue_reference(obj.venue, self.context)

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_programme(self, obj):
        return [
            {
                "start_time": item.start_time,
                "end_time": item.end_time,
                "title": item.title,
                "presenter": item.presenter,
            }
            for item in obj.programme.all()
        ]

    @extend_schema_field(DOCUMENT_SCHEMA)
    def get_minutes(self, obj):
        return document_data(obj.minutes, self.context["request"])

    @extend_schema_field(REFERENCE_SCHEMA)
    def get_platform(self, obj):
        key = self.context["platform_keys"][obj.pk]
        platform = self.context["platforms"].get(key)
        if platform is None:
            return None
        return reference(
            platform,
            self.context,
            title=platform.title,
            short_name=platform.short_name,
            url=self.context["request"].build_absolute_uri(
                reverse("platform-detail", args=[platform.translation_key])
            ),
        )


class MeetingViewSet(PageViewSet):
    """Meetings of the platforms, oldest first (`upcoming=true`: the next ones)."""

    model = MeetingPage
    serializer_class = MeetingSerializer
    site_map_class = PlatformSites
    filterset_class = MeetingFilter
    ordering = [F("date").asc(), F("start_time").asc(nulls_first=True), "pk"]

    def optimise(self, queryset):
        return (
            queryset.select_related("venue", "minutes")
            .annotate(parent_path=parent_path())
            .prefetch_related("programme")
        )

    def bulk(self, objects):
        data = super().bulk(objects)
        data["venues"] = localized_venues([meeting.venue for meeting in objects], self.chain)
        paths = {meeting.parent_path for meeting in objects}
        parent_keys = dict(
            PlatformPage.objects.filter(path__in=paths).values_list("path", "translation_key")
        )
        data["platform_keys"] = {m.pk: parent_keys.get(m.parent_path) for m in objects}
        data["platforms"] = (
            best_instances(
                visible_pages(PlatformPage).select_related("locale"),
                set(parent_keys.values()),
                self.chain,
            )
            if parent_keys
            else {}
        )
        return data

    @extend_schema(
        summary="The meetings as an iCalendar feed (RFC 5545)",
        description="Same filters as the list; without filters it holds past meetings too.",
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def calendar(self, request):
        meetings = list(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context.update(self.bulk(meetings))
        data = calendar_bytes(meetings, context, self.language)
        response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
        response.headers["Content-Disposition"] = 'inline; filename="meetings.ics"'
        return response


def publish_counts(meetings):
    """How many times each meeting was published: its iCalendar SEQUENCE (grows on change)."""
    rows = (
        PageLogEntry.objects.filter(page_id__in=[m.pk for m in meetings], action="wagtail.publish")
        .values("page_id")
        .annotate(count=Count("pk"))
    )
    return {row["page_id"]: row["count"] for row in rows}


def calendar_bytes(meetings, context, language):
    calendar = Calendar()
    calendar.add("prodid", "-//Praha integrace cizincu//content API//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(settings.WAGTAIL_SITE_NAME))
    calendar.add("x-wr-timezone", "Europe/Prague")
    sequences = publish_counts(meetings)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, context, sequences.get(meeting.pk, 0)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_event(meeting, context, sequence):
    event = Event()
    # One UID per meeting in every language: it is the same event.
    event.add("uid", f"{meeting.translation_key}@praha-integrace")
    event.add("sequence", sequence)
    event.add("dtstamp", meeting.last_published_at or timezone.now())
    if meeting.last_published_at:
        event.add("last-modified", meeting.last_published_at)
    if meeting.first_published_at:
        event.add("created", meeting.first_published_at)
    if meeting.start_time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
    else:
        event.add("dtstart", meeting.start.astimezone(PRAGUE))
        if meeting.end_time is not None:
            event.add("dtend", meeting.end.astimezone(PRAGUE))
    event.add("summary", meeting_summary(meeting, context))
    description = "\n\n".join(
        part for part in (meeting.topic, strip_tags(meeting.description or "").strip()) if part
    )
    if description:
        event.add("description", description)
    venue = meeting.venue and context["venues"].get(meeting.venue.translation_key)
    if venue is not None:
        event.add("location", str(venue))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    urls = context["sites"].meeting_urls(meeting, context["platform_keys"][meeting.pk])
    if urls:
        event.add("url", urls[0]["url"])
    return event


def meeting_summary(meeting, context):
    platform = context["platforms"].get(context["platform_keys"][meeting.pk])
    name = (platform.short_name or platform.title) if platform is not None else ""
    return f"{name}: {meeting.title}" if name else meeting.title
