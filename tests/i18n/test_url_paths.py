"""A page's address follows its ancestors' slugs in whatever order translations are published, and
the data migration repairs pages saved before that."""

import importlib

from django.apps import apps
from django.template import Context, Template
from django.test import RequestFactory, TestCase
from wagtail.models import Page, Revision

from home.translation.jobs import start_translation
from platforms.models import MeetingPage, PlatformPage, SharedPlatformPage

from .content import build_site, locale

repair_migration = importlib.import_module("home.migrations.0007_ascii_slugs_and_url_paths")


def publish_latest(page):
    page = Page.objects.get(pk=page.pk).specific
    page.get_latest_revision().publish()
    return Page.objects.get(pk=page.pk).specific


def expected_url_path(page):
    return Page.objects.get(pk=page.get_parent().pk).url_path + page.slug + "/"


class PublishOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk = locale("uk")
        start_translation(cls.c["home"], [cls.uk], include_subtree=True)

    def setUp(self):
        source = [self.c["home"], self.c["index"], self.c["platform"], *self.c["meetings"]]
        self.pages = [publish_latest(page.get_translation(self.uk)) for page in source]
        self.platform, self.meeting = self.pages[2], self.pages[3]

    def assert_consistent(self):
        for page in Page.objects.filter(locale=self.uk, depth__gt=2):
            self.assertEqual(page.url_path, expected_url_path(page), page)
        response = self.client.get(
            Page.objects.get(pk=self.meeting.pk).url, HTTP_HOST="mhmp.localhost"
        )
        self.assertEqual(response.status_code, 200)

    def rename(self, page, slug):
        page.slug = slug
        page.save_revision().publish()

    def test_child_published_after_its_parents_slug_changed(self):
        # The child's revision was made while it knew its parent under the old slug (this is
        # what wagtail-localize publishes: the page object with its parent cached).
        self.meeting.get_parent()
        revision = self.meeting.save_revision()
        self.rename(self.platform, "regionalna-platforma")
        revision.publish()
        self.assertIn("/regionalna-platforma/", Page.objects.get(pk=self.meeting.pk).url_path)
        self.assert_consistent()

    def test_child_published_before_its_parents_slug_changed(self):
        self.rename(self.platform, "regionalna-platforma")
        self.rename(self.pages[1], "doradchi-platformy")
        self.assert_consistent()
        meeting = Page.objects.get(pk=self.meeting.pk)
        self.assertIn("/doradchi-platformy/regionalna-platforma/", meeting.url_path)

    def test_stale_subtree_is_repaired_when_an_ancestor_is_published(self):
        Page.objects.filter(pk__in=[p.pk for p in self.pages[2:]]).update(url_path="/stale/")
        publish_latest(self.pages[1])
        self.assert_consistent()


class RepairMigrationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()

    def test_slugs_become_ascii_unique_and_url_paths_follow_the_tree(self):
        index, platform = self.c["index"], self.c["platform"]
        sibling = PlatformPage(title="Druhá", slug="druha", kind=PlatformPage.Kind.WORKING_GROUP)
        index.add_child(instance=sibling)
        sibling.save_revision().publish()
        # Data as older releases left it: a slug with diacritics that transliterates to the
        # sibling's slug, and children with their parent's old prefix.
        Page.objects.filter(pk=sibling.pk).update(slug="regionální-platforma")
        Revision.objects.filter(object_id=str(sibling.pk)).update(
            content={**sibling.get_latest_revision().content, "slug": "regionální-platforma"}
        )
        Page.objects.filter(path__startswith=platform.path).update(url_path="/old/")

        repair_migration.repair(apps, None)

        sibling = Page.objects.get(pk=sibling.pk)
        self.assertEqual(sibling.slug, "regionalni-platforma-1")  # the platform keeps its own
        self.assertEqual(sibling.get_latest_revision().content["slug"], sibling.slug)
        for page in Page.objects.filter(depth__gt=1):
            self.assertEqual(page.url_path, expected_url_path(page), page)
        for meeting in self.c["meetings"]:
            response = self.client.get(MeetingPage.objects.get(pk=meeting.pk).url)
            self.assertEqual(response.status_code, 200)

    def test_running_it_on_good_data_changes_nothing(self):
        before = list(Page.objects.order_by("pk").values_list("slug", "url_path"))
        repair_migration.repair(apps, None)
        self.assertEqual(list(Page.objects.order_by("pk").values_list("slug", "url_path")), before)


class MeetingLinkTests(TestCase):
    """`{% meeting_url %}` never renders "None" or fails when a page has no URL."""

    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()

    def render(self, meeting, frame):
        template = Template("{% load site_tags %}[{% meeting_url meeting frame %}]")
        request = RequestFactory().get("/", HTTP_HOST="mhmp.localhost")
        return template.render(Context({"meeting": meeting, "frame": frame, "request": request}))

    def test_frame_without_a_url_falls_back_to_the_meetings_own(self):
        meeting = self.c["meetings"][0]
        frame = SharedPlatformPage(title="Rámec", slug="ramec", url_path="/nowhere/")
        self.assertEqual(self.render(meeting, frame), f"[{meeting.url}]")

    def test_meeting_without_a_url_renders_no_none(self):
        meeting = self.c["meetings"][0]
        meeting.url_path = "/nowhere/"
        self.assertEqual(self.render(meeting, None), "[]")
