"""OParl 1.1 objects and object lists. Everything is read from the live public content
(home.api.content.visible_pages), in the source language."""

import mimetypes
from math import ceil

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from home.api.content import visible_pages
from home.api.errors import PROBLEM_CONTENT_TYPE, problem
from home.api.web import SiteMap
from home.localization import is_readable, request_snapshot
from platforms.models import AgendaItem, MeetingPage, PlatformContact, PlatformPage

SCHEMA = "https://schema.oparl.org/1.1/"
PER_PAGE = 100


class NotFound(Exception):
    pass


def oparl_view(func):
    @require_safe
    def view(request, *args, **kwargs):
        try:
            with request_snapshot():
                data = func(Builder(request), *args, **kwargs)
        except NotFound as exc:
            return JsonResponse(
                problem(404, str(exc)), status=404, content_type=PROBLEM_CONTENT_TYPE
            )
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    view.__name__ = func.__name__
    return view


def _dt(value):
    return value.isoformat() if value else None


def _clean(data, keep=("legislativeTerm",)):
    """OParl: leave out what is unknown rather than sending null (`keep`: required lists)."""
    return {key: value for key, value in data.items() if key in keep or value not in (None, "", [])}


class Builder:
    def __init__(self, request):
        self.request = request
        self.language = settings.LANGUAGE_CODE

    def url(self, name, *args):
        return self.request.build_absolute_uri(reverse(f"oparl-{name}", args=args))

    # --- querysets (source language, live, public) ---
    def platforms(self, site=None):
        queryset = visible_pages(PlatformPage).filter(locale__language_code=self.language)
        if site is not None:
            paths = SiteMap().site_paths(site)
            condition = Q(pk__in=[])
            for path in paths:
                condition |= Q(path__startswith=path)
            queryset = queryset.filter(condition)
        return queryset.order_by("path")

    def meetings(self, platforms):
        condition = Q(pk__in=[])
        for path in platforms.values_list("path", flat=True):
            condition |= Q(path__startswith=path)
        return (
            visible_pages(MeetingPage)
            .filter(condition, locale__language_code=self.language)
            .select_related("venue", "minutes")
            .prefetch_related("programme")
            .order_by("date", "start_time", "pk")
        )

    def contacts(self, platforms):
        return (
            PlatformContact.objects.filter(page__in=platforms, person__live=True)
            .select_related("person", "page")
            .order_by("page__path", "sort_order", "pk")
        )

    # --- objects ---
    def system(self):
        sites = Site.objects.order_by("pk")
        return _clean(
            {
                "id": self.url("system"),
                "type": SCHEMA + "System",
                "oparlVersion": SCHEMA,
                "body": self.url("body-list"),
                "name": "praha-integrace",
                "website": self.request.build_absolute_uri("/"),
                "web": sites[0].root_url if sites else None,
            }
        )

    def body(self, site):
        return _clean(
            {
                "id": self.url("body", site.pk),
                "type": SCHEMA + "Body",
                "system": self.url("system"),
                "name": site.site_name or site.root_page.title,
                "website": site.root_url,
                "organization": self.url("body-organization", site.pk),
                "person": self.url("body-person", site.pk),
                "meeting": self.url("body-meeting", site.pk),
                "paper": self.url("body-paper", site.pk),
                "legislativeTerm": [],
                "web": site.root_url,
            }
        )

    def organization(self, platform, site_id=None):
        key = platform.translation_key
        return _clean(
            {
                "id": self.url("organization", key),
                "type": SCHEMA + "Organization",
                "body": self.url("body", site_id) if site_id else None,
                "name": platform.title,
                "shortName": platform.short_name,
                "organizationType": "Gremium",
                "classification": platform.get_kind_display(),
                "meeting": self.url("organization-meeting", key),
                "membership": [self.url("membership", c.pk) for c in platform.contacts.all()],
                "startDate": platform.established_on.isoformat()
                if platform.established_on
                else None,
                "created": _dt(platform.first_published_at),
                "modified": _dt(platform.last_published_at),
            }
        )

    def meeting(self, meeting, platform_key):
        key = meeting.translation_key
        return _clean(
            {
                "id": self.url("meeting", key),
                "type": SCHEMA + "Meeting",
                "name": meeting.topic or meeting.title,
                "meetingState": {"planned": "terminiert", "held": "durchgeführt"}.get(
                    meeting.status
                ),
                "cancelled": meeting.is_cancelled or None,
                "start": _dt(meeting.start) or meeting.date.isoformat(),
                "end": _dt(meeting.end),
                "location": self.location(meeting),
                "organization": [self.url("organization", platform_key)],
                "agendaItem": [
                    self.agenda_item(item, meeting, number)
                    for number, item in enumerate(meeting.programme.all(), start=1)
                ],
                "resultsProtocol": self.file(meeting.minutes) if meeting.minutes else None,
                "created": _dt(meeting.first_published_at),
                "modified": _dt(meeting.last_published_at),
            }
        )

    def location(self, meeting):
        venue = meeting.venue
        if not is_readable(venue):  # a draft or expired venue is no place (the one rule)
            return None
        return _clean(
            {
                "id": self.url("meeting", meeting.translation_key) + "#location",
                "type": SCHEMA + "Location",
                "description": venue.name,
                "streetAddress": venue.address,
            }
        )

    def agenda_item(self, item, meeting, number):
        return _clean(
            {
                "id": self.url("agendaitem", item.pk),
                "type": SCHEMA + "AgendaItem",
                "meeting": self.url("meeting", meeting.translation_key),
                "number": str(number),
                "name": item.title,
                "public": True,
                "start": _dt(meeting._aware(item.start_time)),
                "end": _dt(meeting._aware(item.end_time)),
            }
        )

    def file(self, document):
        url = self.request.build_absolute_uri(document.url)
        return _clean(
            {
                "id": self.url("file", document.pk),
                "type": SCHEMA + "File",
                "name": document.title,
                "fileName": document.filename,
                "mimeType": mimetypes.guess_type(document.filename)[0]
                or "application/octet-stream",
                "size": document.file_size,
                "accessUrl": url,
                "downloadUrl": url,
                "created": _dt(document.created_at),
            }
        )

    def person(self, person, memberships):
        return _clean(
            {
                "id": self.url("person", person.translation_key),
                "type": SCHEMA + "Person",
                "name": person.name,
                "email": [person.email] if person.email else None,
                "phone": [person.phone] if person.phone else None,
                "membership": [self.membership(contact) for contact in memberships],
            }
        )

    def membership(self, contact):
        return _clean(
            {
                "id": self.url("membership", contact.pk),
                "type": SCHEMA + "Membership",
                "person": self.url("person", contact.person.translation_key),
                "organization": self.url("organization", contact.page.translation_key),
                "role": contact.role,
            }
        )

    # --- lists ---
    def object_list(self, items, build):
        try:
            number = int(self.request.GET.get("page", "1"))
            page = Paginator(items, PER_PAGE).page(number)
        except (ValueError, EmptyPage):
            raise NotFound("No such page of this list.") from None
        paginator = page.paginator
        base = self.request.build_absolute_uri(self.request.path)
        links = {"first": f"{base}?page=1", "last": f"{base}?page={paginator.num_pages}"}
        if page.has_previous():
            links["prev"] = f"{base}?page={page.previous_page_number()}"
        if page.has_next():
            links["next"] = f"{base}?page={page.next_page_number()}"
        return {
            "data": [build(item) for item in page.object_list],
            "pagination": {
                "totalElements": paginator.count,
                "elementsPerPage": PER_PAGE,
                "currentPage": page.number,
                "totalPages": max(1, ceil(paginator.count / PER_PAGE)),
            },
            "links": links,
        }


def _site(site_id):
    site = Site.objects.select_related("root_page").filter(pk=site_id).first()
    if site is None:
        raise NotFound(f"No body {site_id}.")
    return site


def _platform(b, key):
    platform = b.platforms().filter(translation_key=key).prefetch_related("contacts").first()
    if platform is None:
        raise NotFound(f"No organization {key}.")
    return platform


@oparl_view
def system(b):
    return b.system()


@oparl_view
def body_list(b):
    return b.object_list(list(Site.objects.select_related("root_page").order_by("pk")), b.body)


@oparl_view
def body(b, site_id):
    return b.body(_site(site_id))


@oparl_view
def body_organization(b, site_id):
    site = _site(site_id)
    platforms = b.platforms(site).prefetch_related("contacts")
    return b.object_list(platforms, lambda p: b.organization(p, site.pk))


@oparl_view
def body_meeting(b, site_id):
    platforms = b.platforms(_site(site_id))
    keys = _platform_keys(platforms)
    return b.object_list(b.meetings(platforms), lambda m: b.meeting(m, keys[_parent(m)]))


@oparl_view
def body_person(b, site_id):
    contacts = list(b.contacts(b.platforms(_site(site_id))))
    by_person = {}
    for contact in contacts:
        by_person.setdefault(contact.person.pk, (contact.person, []))[1].append(contact)
    people = sorted(by_person.values(), key=lambda entry: (entry[0].name, entry[0].pk))
    return b.object_list(people, lambda entry: b.person(*entry))


@oparl_view
def body_paper(b, site_id):
    _site(site_id)
    return b.object_list([], None)  # no papers (Drucksachen) are kept here


@oparl_view
def organization(b, key):
    return b.organization(_platform(b, key))


@oparl_view
def organization_meeting(b, key):
    platform = _platform(b, key)
    platforms = b.platforms().filter(pk=platform.pk)
    return b.object_list(b.meetings(platforms), lambda m: b.meeting(m, key))


@oparl_view
def meeting(b, key):
    found = b.meetings(b.platforms()).filter(translation_key=key).first()
    if found is None:
        raise NotFound(f"No meeting {key}.")
    return b.meeting(found, _platform_keys(b.platforms())[_parent(found)])


@oparl_view
def agenda_item(b, pk):
    item = AgendaItem.objects.filter(pk=pk).first()
    found = item and b.meetings(b.platforms()).filter(pk=item.page_id).first()
    if not found:
        raise NotFound(f"No agenda item {pk}.")
    items = list(found.programme.all())
    return b.agenda_item(item, found, items.index(item) + 1)


@oparl_view
def person(b, key):
    contacts = [c for c in b.contacts(b.platforms()) if str(c.person.translation_key) == str(key)]
    if not contacts:
        raise NotFound(f"No person {key}.")
    return b.person(contacts[0].person, contacts)


@oparl_view
def membership(b, pk):
    contact = b.contacts(b.platforms()).filter(pk=pk).first()
    if contact is None:
        raise NotFound(f"No membership {pk}.")
    return b.membership(contact)


@oparl_view
def file(b, pk):
    found = b.meetings(b.platforms()).filter(minutes_id=pk).first()
    if found is None:
        raise NotFound(f"No file {pk}.")
    return b.file(found.minutes)


def _parent(meeting):
    return meeting.path[: -MeetingPage.steplen]


def _platform_keys(platforms):
    return dict(platforms.values_list("path", "translation_key"))
