"""Snippets in the admin: the data migration keeps what was live, editors publish, translators
publish only where TRANSLATORS_CAN_PUBLISH allows it, listings default to the Czech source."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from home.draft_state import publish_existing_rows
from home.models import ContentChange, Organisation
from home.translation.jobs import start_translation
from home.translation.roles import EDITOR_GROUP, sync_locales, translator_group_name
from platforms.models import Venue

from .content import locale


class PublishExistingRowsTests(TestCase):
    """Rows from before draft state (no revision) stay live, with times from the API record."""

    def test_existing_rows_stay_live_with_history(self):
        venue = Venue.objects.create(name="Sál", address="Mariánské nám. 2")
        with self.captureOnCommitCallbacks(execute=True):
            start_translation(venue, [locale("en")])
        translation = venue.get_translation(locale("en"))
        # as the schema migration leaves them: live (the column's default), no history
        Venue.objects.update(live=True, latest_revision=None, first_published_at=None)
        created = timezone.now() - datetime.timedelta(days=30)
        ContentChange.objects.filter(translation_key=venue.translation_key).update(created=created)

        publish_existing_rows(apps, ["platforms.Venue"])
        publish_existing_rows(apps, ["platforms.Venue"])  # idempotent

        for obj in (venue, translation):
            obj.refresh_from_db()
            self.assertTrue(obj.live)
            self.assertFalse(obj.has_unpublished_changes)
            self.assertEqual(obj.live_revision_id, obj.latest_revision_id)
            self.assertEqual(obj.revisions.count(), 2 if obj is translation else 1)
            self.assertEqual(obj.live_revision.as_object().name, "Sál")
        self.assertEqual(venue.first_published_at, created)  # from ContentChange
        self.assertIsNotNone(translation.first_published_at)  # no record: the migration's time


class AdminPublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.en, cls.uk = locale("en"), locale("uk")
        User = get_user_model()
        cls.editor = User.objects.create_user("editor", "e@ex.org", "pw")
        cls.editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
        cls.translator = User.objects.create_user("translator", "t@ex.org", "pw")
        cls.translator.groups.add(Group.objects.get(name=translator_group_name("uk")))
        cls.venue = Venue.objects.create(name="Sál architektů", room="2. patro")
        with cls.captureOnCommitCallbacks(execute=True):
            start_translation(cls.venue, [cls.en, cls.uk])

    def edit_url(self, obj):
        return reverse("wagtailsnippets_platforms_venue:edit", args=[obj.pk])

    def test_editor_creates_a_draft_then_publishes_it(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("wagtailsnippets_platforms_venue:add"),
            {"name": "Nový sál", "address": "", "room": ""},
        )
        self.assertEqual(response.status_code, 302)
        venue = Venue.objects.get(name="Nový sál")
        self.assertFalse(venue.live)  # "save draft" is the default action
        api = f"/api/v1/venues/{venue.translation_key}/"
        self.assertEqual(self.client.get(api).status_code, 404)

        response = self.client.post(
            self.edit_url(venue),
            {"name": "Nový sál", "address": "Jungmannova 35", "room": "", "action-publish": "1"},
        )
        self.assertEqual(response.status_code, 302)
        venue.refresh_from_db()
        self.assertTrue(venue.live)
        self.assertEqual(self.client.get(api).json()["address"], "Jungmannova 35")

    def test_editor_publishes_a_translation_in_the_translation_editor(self):
        en_venue = self.venue.get_translation(self.en)
        self.client.force_login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.edit_url(en_venue), {"action": "publish"})
        self.assertEqual(response.status_code, 302)
        en_venue.refresh_from_db()
        self.assertTrue(en_venue.live)
        detail = self.client.get(f"/api/v1/venues/{self.venue.translation_key}/?locale=en")
        self.assertEqual(detail.json()["locale"], "en")

    def translator_publishes(self):
        uk_venue = self.venue.get_translation(self.uk)
        self.client.force_login(self.translator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.edit_url(uk_venue), {"action": "publish"})
        uk_venue.refresh_from_db()
        # Wagtail's admin answers a refusal by a redirect to the dashboard with a message
        refused = response.status_code == 403 or response.url == reverse("wagtailadmin_home")
        return refused, uk_venue.live

    @override_settings(TRANSLATORS_CAN_PUBLISH=False)
    def test_translator_cannot_publish_when_not_allowed(self):
        sync_locales()
        self.assertEqual(self.translator_publishes(), (True, False))

    @override_settings(TRANSLATORS_CAN_PUBLISH=True)
    def test_translator_publishes_when_allowed_in_their_language_only(self):
        sync_locales()
        self.assertEqual(self.translator_publishes(), (False, True))
        en_venue = self.venue.get_translation(self.en)
        response = self.client.post(self.edit_url(en_venue), {"action": "publish"})
        self.assertEqual(response.status_code, 403)
        unpublish = reverse("wagtailsnippets_platforms_venue:unpublish", args=[self.venue.pk])
        self.assertEqual(self.client.post(unpublish).status_code, 403)  # nor the Czech source
        self.venue.refresh_from_db()
        self.assertTrue(self.venue.live)

    def test_turning_the_setting_off_takes_publishing_back(self):
        with override_settings(TRANSLATORS_CAN_PUBLISH=True):
            sync_locales()
        with override_settings(TRANSLATORS_CAN_PUBLISH=False):
            sync_locales()
            self.assertEqual(self.translator_publishes(), (True, False))


class SnippetListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", "a@ex.org", "pw")
        cls.org = Organisation.objects.create(name="Integrační centrum Praha", category="ngo")
        with cls.captureOnCommitCallbacks(execute=True):
            start_translation(cls.org, [locale("en")])
        cls.en_org = cls.org.get_translation(locale("en"))
        Organisation.objects.filter(pk=cls.en_org.pk).update(name="Integration Centre Prague")

    def listing(self, query=""):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("wagtailsnippets_home_organisation:list") + query)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def edit_link(self, obj):
        return reverse("wagtailsnippets_home_organisation:edit", args=[obj.pk])

    def test_czech_source_by_default_with_a_language_column(self):
        html = self.listing()
        self.assertIn(self.edit_link(self.org), html)
        self.assertNotIn(self.edit_link(self.en_org), html)
        self.assertIn('name="locale" value="cs" id="id_locale_1" checked', html)
        self.assertRegex(html, r'<td class="w-text-16">\s*<span class="w-status[^"]*">\s*Čeština')

    def test_language_filter(self):
        html = self.listing("?locale=en")
        self.assertIn(self.edit_link(self.en_org), html)
        self.assertNotIn(self.edit_link(self.org), html)
        html = self.listing("?locale=")  # "All"
        self.assertIn(self.edit_link(self.en_org), html)
        self.assertIn(self.edit_link(self.org), html)

    def test_unknown_language_is_not_a_server_error(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("wagtailsnippets_home_organisation:list") + "?locale=xx")
        self.assertIn(response.status_code, (302, 404))
