"""API resources of the advisory platforms: platforms, meetings (+ iCalendar feed), venues."""

import datetime
import zoneinfo

import django_filters
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from icalendar import Calendar, Event
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from wagtail.models import PageLogEntry

from home.api.base import (
    BooleanFilter,
    ContentFilterSet,
    ContentSerializer,
    DocumentFileSerializer,
    EmbeddedSerializer,
    EnumFilter,
    IntegerFilter,
    PageSerializer,
    PageViewSet,
    RichTextField,
    SiteFilter,
    SnippetFilterSet,
    SnippetViewSet,
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
    OrganisationRefSerializer,
    PersonRefSerializer,
    localized_organisations,
    organisation_reference,
)
from home.api.web import SiteMap
from home.localization import best_instances, in_best_language
from home.models import Organisation, Person
from home.resources import resource

from .models import (
    MeetingPage,
    PlatformPage,
    SharedPlatformPage,
    Venue,
    next_meetings,
    parent_path,
)

PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")


# --- venues --------------------------------------------------------------------------------------
class VenueFilter(SnippetFilterSet):
    q = django_filters.CharFilter(
        method=search_filter("name", "address", "room"),
        label="Search in name, address and room, in any language.",
    )
    name = django_filters.CharFilter(
        method=exact_filter("name"), label="Exactly this name (any language, ignoring case)."
    )
    ordering = ordering_filter({"name": ["name", "pk"], "-name": ["-name", "-pk"]}, "name")

    class Meta:
        model = Venue
        fields = ["q", "name", "ordering", "modified_since"]


class VenueSerializer(ContentSerializer):
    class Meta:
        model = Venue
        fields = ContentSerializer.COMMON_FIELDS + ["name", "address", "room"]


@resource("venues", basename="venue")
class VenueViewSet(SnippetViewSet):
    """Places where meetings take place."""

    model = Venue
    serializer_class = VenueSerializer
    filterset_class = VenueFilter
    ordering = ["name", "pk"]


class VenueRefSerializer(EmbeddedSerializer):
    """A venue embedded in another object (see /venues/)."""

    name = serializers.CharField()
    address = serializers.CharField()
    room = serializers.CharField()


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
    kind = EnumFilter(
        choices=PlatformPage.Kind.choices, component="PlatformKind", label="Kind of platform."
    )
    q = django_filters.CharFilter(
        method=search_filter("title", "short_name", "summary"),
        label="Search in title, short name and summary, in any language.",
    )
    name = django_filters.CharFilter(
        method=exact_filter("title", "short_name"),
        label="Exactly this title or short name (any language, ignoring case).",
    )
    ordering = ordering_filter({"title": ["title", "pk"], "-title": ["-title", "-pk"]}, "title")

    class Meta:
        model = PlatformPage
        fields = ["site", "kind", "q", "name", "ordering", "modified_since"]

    def filter_site(self, queryset, name, value):
        return queryset.filter(site_condition(value, platform_level=0))

    def changed_since(self, model, value):
        meetings = MeetingPage.objects.filter(below(OuterRef("path")), depth=OuterRef("depth") + 1)
        return super().changed_since(model, value) | Q(over_since(meetings, value))


class ContactSerializer(serializers.Serializer):
    """A contact person of a platform and their role there."""

    role = serializers.CharField()
    person = PersonRefSerializer()


class PlatformDocumentSerializer(serializers.Serializer):
    """A document of a platform; `file` is null when only the title is given."""

    title = serializers.CharField()
    file = DocumentFileSerializer(allow_null=True)


class MeetingRefSerializer(EmbeddedSerializer):
    """A meeting embedded in another object (see /meetings/)."""

    title = serializers.CharField()
    date = serializers.DateField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=MeetingPage.Status.choices)
    url = serializers.URLField(help_text="The meeting in the API.")


class PlatformRefSerializer(EmbeddedSerializer):
    """A platform embedded in another object (see /platforms/)."""

    title = serializers.CharField()
    short_name = serializers.CharField()
    url = serializers.URLField(help_text="The platform in the API.")


class AgendaItemSerializer(serializers.Serializer):
    """One item of a meeting's programme."""

    start_time = serializers.TimeField(allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    title = serializers.CharField()
    presenter = serializers.CharField()


def meeting_end(meeting):
    """The instant a meeting is over (MeetingPage._not_over): its end, else the end of its day."""
    if meeting.end_time is not None and meeting.end is not None:
        return meeting.end
    next_day = meeting.date + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=PRAGUE)


def next_meeting_end(now, batch=50):
    """The next moment a meeting is over (a time bucket boundary, home.cache.buckets): `upcoming`
    and the next meeting change then. The earliest meetings not over; the first day's decide."""
    not_over = MeetingPage.objects.filter(MeetingPage._not_over(now)).order_by("date")
    meetings = list(not_over.only("date", "start_time", "end_time")[:batch])
    if not meetings:
        return None
    day = meetings[0].date
    if meetings[-1].date == day and len(meetings) == batch:  # a crowded day: all of it
        meetings = list(not_over.filter(date=day).only("date", "start_time", "end_time"))
    return min(meeting_end(meeting) for meeting in meetings if meeting.date == day)


def over_since(queryset, value):
    """Q: objects with a meeting (below them, or themselves) that ended between `value` and now,
    so that a time-dependent field (`upcoming`, `next_meeting`) changed. By date, generously."""
    today = timezone.localdate()
    return Exists(queryset.filter(date__gte=timezone.localtime(value).date(), date__lte=today))


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
    valid_until = serializers.SerializerMethodField(
        help_text="When `next_meeting` changes by itself (that meeting is over); null when there "
        "is none. `modified` moves then too."
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
            "valid_until",
            "meetings",
        ]

    @extend_schema_field(component(WebLinkSerializer, many=True))
    def get_web(self, obj):
        return self.context["sites"].platform_urls(obj)

    @extend_schema_field(component(OrganisationRefSerializer, nullable=True))
    def get_coordinator(self, obj):
        return organisation_reference(obj.coordinator, self.context)

    @extend_schema_field(component(OrganisationRefSerializer, many=True))
    def get_members(self, obj):
        members = (organisation_reference(org, self.context) for org in obj.members.all())
        return [member for member in members if member is not None]

    @extend_schema_field(component(VenueRefSerializer, nullable=True))
    def get_usual_venue(self, obj):
        return venue_reference(obj.usual_venue, self.context)

    @extend_schema_field(component(ContactSerializer, many=True))
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

    @extend_schema_field(component(PlatformDocumentSerializer, many=True))
    def get_documents(self, obj):
        request = self.context["request"]
        return [
            {"title": item.title, "file": document_data(item.document, request)}
            for item in obj.documents.all()
        ]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_valid_until(self, obj):
        meeting = self.context["next_meetings"].get(obj.translation_key)
        return meeting_end(meeting) if meeting is not None else None

    @extend_schema_field(component(MeetingRefSerializer, nullable=True))
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
            url=detail_url(self.context["request"], "meeting", meeting.translation_key),
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_meetings(self, obj):
        url = reverse("meeting-list")
        return self.context["request"].build_absolute_uri(f"{url}?platform={obj.translation_key}")


@resource("platforms", basename="platform")
class PlatformViewSet(PageViewSet):
    """Advisory platforms (commissions, platforms, working groups)."""

    model = PlatformPage
    serializer_class = PlatformSerializer
    site_map_class = PlatformSites
    filterset_class = PlatformFilter
    ordering = ["title", "pk"]
    _last_meetings = {}

    def optimise(self, queryset):
        return queryset.select_related("coordinator", "usual_venue").prefetch_related(
            "members",
            "contacts__person__organisation",
            "documents__document",
        )

    def modified_parts(self):
        page = OuterRef(OuterRef("pk"))
        return [
            *super().modified_parts(),
            changed(Organisation, translation_key=OuterRef("coordinator__translation_key")),
            changed(Venue, translation_key=OuterRef("usual_venue__translation_key")),
            changed(
                Organisation,
                translation_key__in=Organisation.objects.filter(platforms=page).values(
                    "translation_key"
                ),
            ),
            changed(
                Person,
                translation_key__in=Person.objects.filter(platformcontact__page=page).values(
                    "translation_key"
                ),
            ),
            changed(
                Organisation,
                translation_key__in=Organisation.objects.filter(
                    people__platformcontact__page=page
                ).values("translation_key"),
            ),
            # Its meetings (`next_meeting`), in this language's tree.
            page_published(below(OuterRef("path")), depth=OuterRef("depth") + 1),
        ]

    def modified(self, obj):
        """Also when its previous next meeting ended (`next_meeting` moved on by itself)."""
        moments = [super().modified(obj)]
        last = self._last_meetings.get(obj.translation_key)
        if last is not None:
            moments.append(meeting_end(last))
        return max((m for m in moments if m is not None), default=None)

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
        data["next_meetings"] = api_next_meetings(objects, self.chain)
        self._last_meetings = api_next_meetings(objects, self.chain, last=True)
        return data


def api_next_meetings(platforms, chain, now=None, last=False):
    """platforms.models.next_meetings among every visible meeting in the chain's languages."""
    meetings = in_best_language(visible_pages(MeetingPage), chain)
    return next_meetings(platforms, meetings, now, last)


MEETING_ORDER = [F("date").asc(), F("start_time").asc(nulls_first=True), "pk"]


# --- meetings ----------------------------------------------------------------------------------
class MeetingFilter(ContentFilterSet):
    site = SiteFilter(method="filter_site")
    platform = django_filters.UUIDFilter(method="filter_platform", label="Platform id.")
    after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="On or after.")
    before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="On or before.")
    upcoming = BooleanFilter(
        method="filter_upcoming",
        label="true: meetings not over yet; false: meetings that are over.",
    )
    status = EnumFilter(
        choices=MeetingPage.Status.choices, component="MeetingStatus", label="Meeting status."
    )
    year = IntegerFilter(field_name="date", lookup_expr="year", label="Year of the date.")
    q = django_filters.CharFilter(
        method=search_filter("title", "topic"),
        label="Search in title and topic, in any language.",
    )
    ordering = ordering_filter(
        {
            "date": MEETING_ORDER,
            "-date": [F("date").desc(), F("start_time").desc(nulls_last=True), "-pk"],
            "title": ["title", "pk"],
            "-title": ["-title", "-pk"],
        },
        "date",
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
            "ordering",
            "modified_since",
        ]

    def filter_site(self, queryset, name, value):
        return queryset.filter(site_condition(value, platform_level=1))

    def changed_since(self, model, value):
        meeting = MeetingPage.objects.filter(pk=OuterRef("pk"))
        return super().changed_since(model, value) | Q(over_since(meeting, value))

    def filter_platform(self, queryset, name, value):
        condition = Q(pk__in=[])
        for path in PlatformPage.objects.filter(translation_key=value).values_list(
            "path", flat=True
        ):
            condition |= Q(path__startswith=path)
        return queryset.filter(condition)

    @extend_schema_field({"type": "boolean"})
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
    upcoming = serializers.SerializerMethodField(help_text="True until the meeting is over.")
    valid_until = serializers.SerializerMethodField(
        help_text="When `upcoming` turns false (the meeting is over); null once it is. "
        "`modified` moves then too."
    )
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
            "upcoming",
            "valid_until",
            "topic",
            "description",
            "venue",
            "programme",
            "registration_deadline",
            "registration_url",
            "minutes",
            "platform",
        ]

    @extend_schema_field(component(WebLinkSerializer, many=True))
    def get_web(self, obj):
        return self.context["sites"].meeting_urls(obj, self.context["platform_keys"][obj.pk])

    def get_all_day(self, obj) -> bool:
        return obj.start_time is None

    def get_upcoming(self, obj) -> bool:
        return meeting_end(obj) > self.context["now"]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_valid_until(self, obj):
        end = meeting_end(obj)
        return end if end > self.context["now"] else None

    @extend_schema_field(component(VenueRefSerializer, nullable=True))
    def get_venue(self, obj):
        return venue_reference(obj.venue, self.context)

    @extend_schema_field(component(AgendaItemSerializer, many=True))
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

    @extend_schema_field(component(DocumentFileSerializer, nullable=True))
    def get_minutes(self, obj):
        return document_data(obj.minutes, self.context["request"])

    @extend_schema_field(component(PlatformRefSerializer, nullable=True))
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
            url=detail_url(self.context["request"], "platform", platform.translation_key),
        )


@resource("meetings", basename="meeting", purge_paths=("/api/v1/meetings/calendar.ics",))
class MeetingViewSet(PageViewSet):
    """Meetings of the platforms, oldest first (`upcoming=true`: the next ones)."""

    model = MeetingPage
    serializer_class = MeetingSerializer
    site_map_class = PlatformSites
    filterset_class = MeetingFilter
    ordering = MEETING_ORDER

    def optimise(self, queryset):
        queryset = queryset.select_related("venue").annotate(parent_path=parent_path())
        if self.action == "calendar":
            return queryset  # the feed shows no programme and no minutes
        return queryset.select_related("minutes").prefetch_related("programme")

    def modified_parts(self):
        platform_keys = PlatformPage.objects.filter(path=OuterRef(OuterRef("parent_path")))
        return [
            *super().modified_parts(),
            changed(Venue, translation_key=OuterRef("venue__translation_key")),
            # Its platform (title, short name), in any language.
            page_published(translation_key__in=platform_keys.values("translation_key")),
        ]

    def modified(self, obj):
        """Also when it is over (`upcoming` turned false by itself)."""
        moments = [super().modified(obj)]
        end = meeting_end(obj)
        if end <= timezone.now():
            moments.append(end)
        return max((m for m in moments if m is not None), default=None)

    def bulk(self, objects):
        data = super().bulk(objects)
        data["now"] = timezone.now()
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
