"""Small synthetic fixtures for the API tests (obviously not real content)."""

import datetime
import itertools

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Locale, Page, PageViewRestriction, Site

from concept.models import (
    ActionPlanItem,
    ActionPlanPage,
    AreaPage,
    ConceptPage,
    Measure,
    PriorityPage,
    RecommendationActor,
    RecommendationPage,
)
from home.models import HomePage, Organisation, Person
from platforms.models import (
    AgendaItem,
    MeetingPage,
    PlatformContact,
    PlatformIndexPage,
    PlatformPage,
    SharedPlatformPage,
    Venue,
)

counter = itertools.count(1)


def locale(language):
    return Locale.objects.get_or_create(language_code=language)[0]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add(parent, model, **fields):
    number = next(counter)
    fields.setdefault("title", f"Test {model._meta.model_name} {number}")
    fields.setdefault("slug", f"test-{model._meta.model_name}-{number}")
    children = fields.pop("children", {})
    page = model(**fields)
    for name, items in children.items():
        setattr(page, name, items)
    parent.add_child(instance=page)
    return publish(page)


def translate(page, language, live=True, **fields):
    """A translation of `page`, published unless live=False. Untranslated ancestors are
    translated and published first (not aliased: aliases serve Czech under /en/)."""
    parent = page.get_parent().specific
    if parent.depth > 1 and not parent.has_translation(locale(language)):
        translate(parent, language)
    copy = page.copy_for_translation(locale(language))
    for name, value in fields.items():
        setattr(copy, name, value)
    revision = copy.save_revision()
    if live:
        revision.publish()
    copy.refresh_from_db()
    return copy


def translate_snippet(obj, language, **fields):
    copy = obj.copy_for_translation(locale(language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def document(title="Test minutes"):
    return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4 test", name="test.pdf"))


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")


class World:
    """Two sites with cs/en/uk homes, one platform shown on both sites, meetings, a Concept."""

    def __init__(self, meetings=0):
        locale("en"), locale("uk")
        root = Page.get_first_root_node()
        Site.objects.all().delete()
        self.mhmp = add(root, HomePage, title="Test MHMP home")
        self.icp = add(root, HomePage, title="Test ICP home")
        for home in (self.mhmp, self.icp):
            for language in ("en", "uk"):
                translate(home, language)
        self.mhmp_site = Site.objects.create(
            hostname="mhmp.localhost", root_page=self.mhmp, is_default_site=True, site_name="MHMP"
        )
        self.icp_site = Site.objects.create(hostname="icp.localhost", root_page=self.icp)
        self.org = Organisation.objects.create(name="Test organisation 1", category="ngo")
        self.org_en = translate_snippet(self.org, "en", name="Test organisation 1 EN")
        self.person = Person.objects.create(
            name="Test Person", role="tester", organisation=self.org
        )
        self.venue = Venue.objects.create(name="Test venue 1", address="Test street 1")
        self.index = add(self.mhmp, PlatformIndexPage)
        self.platform = self.add_platform()
        self.shared = add(self.icp, SharedPlatformPage, platform=self.platform, title="Test shared")
        self.meetings = [self.add_meeting(days=10 + i) for i in range(meetings)]

    def add_platform(self, **fields):
        fields.setdefault("kind", "advisory_platform")
        fields.setdefault("coordinator", self.org)
        fields.setdefault("usual_venue", self.venue)
        fields.setdefault(
            "children", {"contacts": [PlatformContact(person=self.person, role="contact")]}
        )
        return add(self.index, PlatformPage, **fields)

    def add_meeting(self, platform=None, days=10, **fields):
        fields.setdefault("date", datetime.date.today() + datetime.timedelta(days=days))
        fields.setdefault("start_time", datetime.time(13, 0))
        fields.setdefault("end_time", datetime.time(16, 0))
        fields.setdefault("venue", self.venue)
        fields.setdefault("topic", "Test topic")
        fields.setdefault("children", {"programme": [AgendaItem(title="Test item")]})
        return add(platform or self.platform, MeetingPage, **fields)

    def add_concept(self, recommendations=1):
        self.concept = add(self.mhmp, ConceptPage, period_from=2022, period_to=2027)
        self.priority = add(self.concept, PriorityPage, number=1)
        self.area = add(self.priority, AreaPage, code="1.A")
        self.recommendations = [self.add_recommendation(i + 1) for i in range(recommendations)]
        measure = self.recommendations[0].measures.first()
        self.plan = add(
            self.concept,
            ActionPlanPage,
            year=2026,
            children={
                "items": [ActionPlanItem(measure=measure, responsible=self.org, status="done")]
            },
        )
        return self.concept

    def add_recommendation(self, number, area=None):
        code = f"1.A.{number}"
        return add(
            area or self.area,
            RecommendationPage,
            code=code,
            children={
                "actors": [RecommendationActor(organisation=self.org, role="lead")],
                "measures": [Measure(code=f"{code}.I", text=f"Test measure {code}.I")],
            },
        )
