"""An admin a Czech team can live in: statuses in the admin's language, one translation report in
the menu, no Wagtail default groups, moderation by the editors."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow
from wagtail.users.models import UserProfile

from home.translation.jobs import start_translation
from home.translation.roles import EDITOR_GROUP, WAGTAIL_DEFAULT_GROUPS, sync_locales

from .content import build_site, locale


class StatusWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        with cls.captureOnCommitCallbacks(execute=True):
            start_translation(cls.c["platform"], [locale("uk")])
        cls.admin = get_user_model().objects.create_superuser("admin", "a@ex.org", "pw")

    def cells(self, admin_language):
        profile = UserProfile.get_for_user(self.admin)
        profile.preferred_language = admin_language
        profile.save()
        self.client.force_login(self.admin)
        html = self.client.get(reverse("translation_report")).content.decode()
        cell = r'data-language="(\w+)" data-status="(\w+)">(?:<a [^>]*>)?([^<]+)<'
        return {
            (language, status, word.strip()) for language, status, word in re.findall(cell, html)
        }

    def test_czech_admin_reads_czech_words(self):
        cells = self.cells("cs")
        self.assertIn(("uk", "in_progress", "rozpracovaný"), cells)
        self.assertIn(("en", "missing", "chybí"), cells)
        self.assertIn(("uk", "missing", "chybí"), cells)  # pages not started
        self.assertFalse({word for _l, _s, word in cells} & {"in_progress", "missing"})

    def test_english_admin_reads_english_words(self):
        cells = self.cells("en")
        self.assertIn(("uk", "in_progress", "in progress"), cells)
        self.assertIn(("en", "missing", "missing"), cells)

    def test_ukrainian_admin_reads_ukrainian_words(self):
        self.assertIn(("uk", "in_progress", "у роботі"), self.cells("uk"))

    def test_cells_link_to_the_object_in_that_language(self):
        """A translator goes from a cell to the draft to finish it (page or snippet)."""
        self.client.force_login(self.admin)
        html = self.client.get(reverse("translation_report")).content.decode()
        uk = locale("uk")
        uk_platform, uk_venue = (
            self.c["platform"].get_translation(uk),
            self.c["venue"].get_translation(uk),
        )
        page_edit = "wagtailadmin_pages:edit"
        venue_edit = "wagtailsnippets_platforms_venue:edit"
        for url in (
            reverse(page_edit, args=[uk_platform.pk]),
            reverse(venue_edit, args=[uk_venue.pk]),
        ):
            cell = f'data-language="uk" data-status="in_progress"><a href="{url}">'
            self.assertIn(cell, html)

    def test_csv_keeps_machine_codes(self):
        self.cells("en")
        csv_text = self.client.get(reverse("translation_report") + "?export=csv").content.decode()
        self.assertIn(
            f"{self.c['platform'].pk},Regionální poradní platforma,missing,in_progress", csv_text
        )


class MenuTests(TestCase):
    def test_one_translation_report_in_the_menu(self):
        admin = get_user_model().objects.create_superuser("admin", "a@ex.org", "pw")
        self.client.force_login(admin)
        html = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn(reverse("translation_report"), html)
        self.assertNotIn(reverse("wagtail_localize:translations_report"), html)


class DefaultGroupsTests(TestCase):
    """The test database is built by the migrations, so this is what a new install gets."""

    def moderation_groups(self):
        workflow = Workflow.objects.get(workflow_tasks__task__name__isnull=False)
        task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
        return task, set(task.groups.values_list("name", flat=True))

    def test_wagtail_default_groups_are_gone(self):
        self.assertFalse(Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).exists())

    def test_default_moderation_goes_to_the_editors(self):
        task, groups = self.moderation_groups()
        self.assertEqual(groups, {EDITOR_GROUP})
        self.assertTrue(task.active)

    def test_editors_moderate_a_submitted_page(self):
        c = build_site()
        User = get_user_model()
        editor = User.objects.create_user("editor", "e@ex.org", "pw")
        editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
        other = User.objects.create_user("nobody", "n@ex.org", "pw")
        other.user_permissions.add(Permission.objects.get(codename="access_admin"))
        page = c["platform"]
        workflow = page.get_workflow()
        self.assertIsNotNone(workflow)
        state = workflow.start(page, editor)
        task = state.current_task_state.task.specific
        self.assertTrue(task.user_can_access_editor(page, editor))
        self.assertIn("approve", [name for name, *_rest in task.get_actions(page, editor)])
        self.assertEqual(task.get_actions(page, other), [])

    def test_sync_locales_removes_them_again_idempotently(self):
        editors = Group.objects.create(name="Editors")
        task, _groups = self.moderation_groups()
        task.groups.add(editors)
        sync_locales()
        sync_locales()
        self.assertFalse(Group.objects.filter(name="Editors").exists())
        self.assertEqual(self.moderation_groups()[1], {EDITOR_GROUP})
