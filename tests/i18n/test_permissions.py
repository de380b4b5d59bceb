"""Who may do what: translator uk vs translator en vs editor vs anonymous, on the admin views."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail_localize.models import StringSegment, Translation

from home.translation.jobs import start_translation
from home.translation.roles import EDITOR_GROUP, translator_group_name

from .content import build_site, locale

ALLOWED, DENIED = "allowed", "denied"


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk, cls.en = locale("uk"), locale("en")
        User = get_user_model()
        cls.users = {}
        for name, group in (
            ("translator_uk", translator_group_name("uk")),
            ("translator_en", translator_group_name("en")),
            ("editor", EDITOR_GROUP),
        ):
            user = User.objects.create_user(name, f"{name}@ex.org", "pw")
            user.groups.add(Group.objects.get(name=group))
            cls.users[name] = user
        cls.users["anonymous"] = None
        # Translations started after the groups exist: new language trees get their permissions.
        with cls.captureOnCommitCallbacks(execute=True):
            start_translation(cls.c["home"], [cls.uk, cls.en], include_subtree=True)
        cls.platform = cls.c["platform"]
        cls.uk_platform = cls.platform.get_translation(cls.uk)
        cls.en_platform = cls.platform.get_translation(cls.en)
        cls.venue = cls.c["venue"]
        cls.uk_venue = cls.venue.get_translation(cls.uk)

    def outcome(self, who, method, url, **kwargs):
        self.client.logout()
        if self.users[who] is not None:
            self.client.force_login(self.users[who])
        response = getattr(self.client, method)(url, **kwargs)
        if response.status_code in (200, 201):
            return ALLOWED
        self.assertIn(response.status_code, (302, 403, 404), f"{who} {url}")
        return DENIED

    def assert_matrix(self, method, url, expected, **kwargs):
        got = {who: self.outcome(who, method, url, **kwargs) for who in expected}
        self.assertEqual(got, expected, url)

    def test_page_editing_per_language(self):
        edit = lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk])  # noqa: E731
        self.assert_matrix(
            "get",
            edit(self.platform),
            {
                "translator_uk": DENIED,
                "translator_en": DENIED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
        )
        self.assert_matrix(
            "get",
            edit(self.uk_platform),
            {
                "translator_uk": ALLOWED,
                "translator_en": DENIED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
        )
        self.assert_matrix(
            "get",
            edit(self.en_platform),
            {
                "translator_uk": DENIED,
                "translator_en": ALLOWED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
        )

    def test_publishing(self):
        perms = lambda page, who: page.permissions_for_user(self.users[who])  # noqa: E731
        self.assertFalse(perms(self.platform, "translator_uk").can_publish())
        self.assertFalse(perms(self.platform, "translator_uk").can_edit())
        self.assertFalse(perms(self.uk_platform, "translator_uk").can_publish())  # editors publish
        self.assertTrue(perms(self.uk_platform, "translator_uk").can_edit())
        self.assertTrue(perms(self.uk_platform, "editor").can_publish())
        self.assertTrue(perms(self.platform, "editor").can_publish())
        # a translator's publish request on the Czech page changes nothing
        before = self.platform.latest_revision_id
        self.client.force_login(self.users["translator_uk"])
        self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.platform.pk]),
            {"title": "Přepsáno", "slug": self.platform.slug, "action-publish": "1"},
        )
        self.platform.refresh_from_db()
        self.assertEqual(self.platform.latest_revision_id, before)
        self.assertEqual(self.platform.title, "Regionální poradní platforma")

    def test_menu_order_privacy_and_new_children_are_for_editors(self):
        """Reordering a page's children, setting its privacy and publishing a new child page
        manage the tree: the editor's listing and create form offer them, a translator's never
        (every admin view asks the same tester)."""
        for question in (
            "can_reorder_children",
            "can_set_view_restrictions",
            "can_publish_subpage",
        ):
            for who, allowed in (("editor", True), ("translator_uk", False)):
                with self.subTest(question=question, who=who):
                    tester = self.uk_platform.permissions_for_user(self.users[who])
                    self.assertEqual(getattr(tester, question)(), allowed)

    def test_an_editor_who_also_translates_keeps_every_language(self):
        both = get_user_model().objects.create_user("both", "b@ex.org", "pw")
        both.groups.add(*Group.objects.filter(name__in=[EDITOR_GROUP, translator_group_name("uk")]))
        self.users["both"] = both
        edit = reverse("wagtailsnippets_platforms_venue:edit", args=[self.venue.pk])
        self.assert_matrix("get", edit, {"both": ALLOWED})

    def test_editors_delete_pages_one_by_one(self):
        """Editors have no bulk delete: a platform with its meetings cannot go in one click,
        a meeting can."""
        editor = self.users["editor"]
        meeting = self.c["meetings"][0]
        self.assertFalse(self.platform.permissions_for_user(editor).can_delete())
        self.assertTrue(meeting.permissions_for_user(editor).can_delete())

    def test_snippet_editing_per_language(self):
        edit = lambda obj: reverse("wagtailsnippets_platforms_venue:edit", args=[obj.pk])  # noqa: E731
        self.assert_matrix(
            "get",
            edit(self.venue),
            {
                "translator_uk": DENIED,
                "translator_en": DENIED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
        )
        self.assert_matrix(
            "get",
            edit(self.uk_venue),
            {
                "translator_uk": ALLOWED,
                "translator_en": DENIED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
        )
        delete = reverse("wagtailsnippets_platforms_venue:delete", args=[self.uk_venue.pk])
        self.assert_matrix("get", delete, {"translator_uk": DENIED, "editor": ALLOWED})

    def test_choosers_work_for_translators(self):
        """The page chooser (the admin API) and the snippet chooser take a `pk` too, outside the
        snippet views the language guard checks: a translator linking a page or a venue while
        translating gets them (pages of their own language tree, as Wagtail decides)."""
        page = reverse("wagtailadmin_api:pages:detail", args=[self.uk_platform.pk])
        self.assert_matrix(
            "get", page, {"translator_uk": ALLOWED, "translator_en": DENIED, "editor": ALLOWED}
        )
        everyone = {"translator_uk": ALLOWED, "translator_en": ALLOWED, "editor": ALLOWED}
        chosen = reverse("wagtailsnippetchoosers_platforms_venue:chosen", args=[self.venue.pk])
        self.assert_matrix("get", chosen, everyone)

    def test_translation_editor_string_api(self):
        translation = Translation.objects.get(
            source__object_id=self.venue.translation_key, target_locale=self.uk
        )
        segment = StringSegment.objects.filter(source=translation.source).first()
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        kwargs = {"data": b"value=x", "content_type": "application/x-www-form-urlencoded"}
        self.assert_matrix(
            "put",
            url,
            {
                "translator_uk": ALLOWED,
                "translator_en": DENIED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
            **kwargs,
        )

    def test_starting_translations_is_for_editors(self):
        url = reverse("wagtail_localize:submit_page_translation", args=[self.c["home"].pk])
        self.assert_matrix(
            "get",
            url,
            {
                "translator_uk": DENIED,
                "translator_en": DENIED,
                "editor": ALLOWED,
                "anonymous": DENIED,
            },
        )

    def test_report_and_po_views(self):
        plain = get_user_model().objects.create_superuser("root", "r@ex.org", "pw")
        plain.is_superuser = False
        plain.save()
        self.users["staff_without_role"] = plain
        self.users["superuser"] = get_user_model().objects.create_superuser("su", "s@ex.org", "pw")
        for name in ("translation_report", "translation_po_files"):
            self.assert_matrix(
                "get",
                reverse(name),
                {
                    "translator_uk": ALLOWED,
                    "translator_en": ALLOWED,
                    "editor": ALLOWED,
                    "anonymous": DENIED,
                    "staff_without_role": DENIED,
                    "superuser": ALLOWED,
                },
            )

    def test_translators_see_only_their_language(self):
        self.client.force_login(self.users["translator_uk"])
        response = self.client.get(reverse("translation_report"))
        self.assertContains(response, 'data-language="uk"')
        self.assertNotContains(response, 'data-language="en"')
        response = self.client.get(reverse("translation_po_files"))
        self.assertEqual(
            [loc.language_code for loc in response.context["form"].fields["locale"].queryset],
            ["uk"],
        )
        self.assertNotIn("publish", response.context["import_form"].fields)
