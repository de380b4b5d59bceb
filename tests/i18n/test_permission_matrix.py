"""Translators translate; editors manage the tree. The permission matrix, through the admin views
(GET and POST) for every role × action, with TRANSLATORS_CAN_PUBLISH off and on; the matrix that
`manage.py permission_matrix` prints agrees with what the views allow."""

import io
import json
import re
from html import unescape

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation

from home.translation import matrix
from home.translation.jobs import start_translation
from home.translation.roles import (
    EDITOR_GROUP,
    translatable_snippet_models,
    translator_group_name,
)
from platforms.models import PlatformPage

from .content import build_site, locale, publish

ANON, T_EN, T_UK, EDITOR, SUPER = (
    "anonymous",
    "translator en",
    "translator uk",
    "editor",
    "superuser",
)
ROLES = [ANON, T_EN, T_UK, EDITOR, SUPER]
P = "publish-setting"  # allowed exactly when TRANSLATORS_CAN_PUBLISH is on

# The specification, per action: anonymous, translator en, translator uk, editor, superuser.
EXPECTED = {
    "edit_own": (False, True, True, True, True),
    "edit_other": (False, False, False, True, True),
    "edit_source": (False, False, False, True, True),
    "publish": (False, P, P, True, True),
    "delete": (False, False, False, True, True),
    "move": (False, False, False, True, True),
    "copy": (False, False, False, True, True),
    "unpublish": (False, False, False, True, True),
    "add_child": (False, False, False, True, True),
    "convert_alias": (False, False, False, True, True),
    "stop_sync": (False, False, False, True, True),
    "snippet_own": (False, True, True, True, True),
    "snippet_other": (False, False, False, True, True),
    "snippet_delete": (False, False, False, True, True),
    "po_files": (False, True, True, True, True),
}


def expected(action, role, can_publish):
    value = EXPECTED[action][ROLES.index(role)]
    return can_publish if value == P else value


def snippet_url(obj, view):
    meta = obj._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:{view}", args=[obj.pk])


def translation_of(obj):
    return Translation.objects.get(
        source__object_id=obj.translation_key, target_locale_id=obj.locale_id
    )


class AdminMatrixTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        c = build_site()
        uk, en = locale("uk"), locale("en")
        User = get_user_model()
        cls.users = {ANON: None}
        for role, group in (
            (T_EN, translator_group_name("en")),
            (T_UK, translator_group_name("uk")),
            (EDITOR, EDITOR_GROUP),
        ):
            user = User.objects.create_user(role.replace(" ", "_"), "", "pw")
            user.groups.add(Group.objects.get(name=group))
            cls.users[role] = user
        cls.users[SUPER] = User.objects.create_superuser("root", "", "pw")
        with cls.captureOnCommitCallbacks(execute=True):
            start_translation(c["home"], [uk, en], include_subtree=True)
        # Editors published the translations (so that unpublishing means something).
        for page in Page.objects.filter(locale__in=[uk, en]).order_by("path"):
            publish(page.specific)
        # A Czech platform mirrored in uk/en by aliases (an editor's doing: the project's own
        # jobs never create cross-language aliases).
        extra = c["index"].add_child(
            instance=PlatformPage(
                title="Druhá platforma",
                slug="druha-platforma",
                kind=PlatformPage.Kind.ADVISORY_PLATFORM,
                summary="Shrnutí.",
            )
        )
        publish(extra)
        for target in (uk, en):
            extra.create_alias(
                parent=c["index"].get_translation(target),
                update_locale=target,
                reset_translation_key=False,
            )
        cls.subjects = matrix.Subjects.from_database()

    def login(self, role):
        self.client.logout()
        if self.users[role] is not None:
            self.client.force_login(self.users[role])

    def refused(self, response):
        if response.status_code in (403, 405):
            return True
        if response.status_code == 302:
            target = response["Location"].split("?")[0]
            return target in (reverse("wagtailadmin_home"), reverse("wagtailadmin_login"))
        return False

    def fingerprint(self):
        """Everything a refused request must leave alone."""
        pages = list(
            Page.objects.order_by("pk").values_list(
                "pk", "path", "live", "alias_of_id", "latest_revision_id", "title"
            )
        )
        translations = list(Translation.objects.order_by("pk").values_list("pk", "enabled"))
        snippets = [
            list(model.objects.order_by("pk").values_list("pk", "locale_id"))
            for model in translatable_snippet_models()
        ]
        return pages, translations, snippets, StringTranslation.objects.count()

    # --- the requests behind each action ----------------------------------------------------
    def requests(self, action, role):
        """(GET, POST) for `action` by `role`: each (url, data), or for actions that have no
        page of their own (publish, stop sync), GET is the editor with a check of what it offers."""
        subject = lambda kind: matrix.subject(self.subjects, kind, role)  # noqa: E731
        pages = reverse  # short alias below
        page, parent = subject("page"), subject("parent")
        edit = pages("wagtailadmin_pages:edit", args=[page.pk])
        if action in ("edit_own", "edit_other", "edit_source"):
            kind = {"edit_own": "page", "edit_other": "other_page", "edit_source": "source_page"}
            url = pages("wagtailadmin_pages:edit", args=[subject(kind[action]).pk])
            return (url, None), (url, {})
        if action == "publish":
            return (edit, lambda r: editor_props(r)["perms"]["canPublish"]), (
                edit,
                {"action": "publish"},
            )
        if action == "stop_sync":
            stop = pages("wagtail_localize:stop_translation", args=[translation_of(page).pk])
            return (edit, lambda r: '/disable/"]' not in r.content.decode()), (stop, {"next": edit})
        if action in ("delete", "unpublish", "copy"):
            url = pages(f"wagtailadmin_pages:{action}", args=[page.pk])
            data = {}
            if action == "copy":
                data = {"new_title": "Kopie", "new_slug": "kopie", "new_parent_page": parent.pk}
            return (url, None), (url, data)
        if action == "move":
            confirm = pages("wagtailadmin_pages:move_confirm", args=[page.pk, parent.pk])
            return (pages("wagtailadmin_pages:move", args=[page.pk]), None), (confirm, {})
        if action == "add_child":
            add = pages("wagtailadmin_pages:add", args=["platforms", "meetingpage", parent.pk])
            return (pages("wagtailadmin_pages:add_subpage", args=[parent.pk]), None), (add, {})
        if action == "convert_alias":
            url = pages("wagtailadmin_pages:convert_alias", args=[subject("alias").pk])
            return (url, None), (url, {})
        if action in ("snippet_own", "snippet_other", "snippet_delete"):
            obj = subject("other_snippet" if action == "snippet_other" else "snippet")
            url = snippet_url(obj, "delete" if action == "snippet_delete" else "edit")
            return (url, None), (url, {})
        if action == "po_files":
            translation = translation_of(page)
            download = pages("wagtail_localize:download_pofile", args=[translation.pk])
            upload = pages("wagtail_localize:upload_pofile", args=[translation.pk])
            po = SimpleUploadedFile("t.po", po_file(translation), content_type="text/x-gettext")
            return (download, None), (upload, {"file": po, "next": edit})
        raise AssertionError(action)

    def get_allowed(self, role, url, check):
        self.login(role)
        response = self.client.get(url)
        if self.refused(response):
            return False
        # 302: on to the next step (e.g. the only page type one may add here)
        self.assertIn(response.status_code, (200, 302), f"{role} GET {url}")
        return check is None or bool(check(response))

    def post_allowed(self, role, url, data):
        """POSTs are rolled back; a refused one must have changed nothing."""
        self.login(role)
        before = self.fingerprint()
        with transaction.atomic():
            response = self.client.post(url, data)
            after = self.fingerprint()
            transaction.set_rollback(True)
        refused = self.refused(response)
        if refused:
            self.assertEqual(before, after, f"{role} POST {url} was refused but changed data")
        return not refused

    def view_matrix(self, actions=EXPECTED):
        result = {}
        for action in actions:
            for role in ROLES:
                (get_url, check), (post_url, data) = self.requests(action, role)
                result[action, role, "GET"] = self.get_allowed(role, get_url, check)
                result[action, role, "POST"] = self.post_allowed(role, post_url, data)
        return result


def po_file(translation):
    """An empty PO file for `translation` (wagtail-localize answers 500 without the header)."""
    header = f"X-WagtailLocalize-TranslationID: {translation.uuid}"
    content_type = '"Content-Type: text/plain; charset=UTF-8\\n"'
    lines = ['msgid ""', 'msgstr ""', content_type, f'"{header}\\n"']
    return ("\n".join(lines) + "\n").encode()


def editor_props(response):
    """The props wagtail-localize's translation editor (React) is rendered from."""
    found = re.search(
        r'class="js-translation-editor" data-props="([^"]*)"', response.content.decode()
    )
    return json.loads(unescape(found.group(1)))


def footer_actions(response):
    """The translation editor's footer as its JavaScript builds it (the last one is the main
    button), minus the actions the project's stylesheet hides."""
    props, html = editor_props(response), response.content.decode()
    perms, links = props["perms"], props["links"]
    actions = [] if '/disable/"]' in html else ["stop sync"]
    if links.get("convertToAliasUrl") and '/convert_to_alias/"]' not in html:
        actions.append("convert to alias")
    for flag, name in (
        ("canDelete", "delete"),
        ("canLock", "lock"),
        ("canUnpublish", "unpublish"),
        ("canPublish", "publish"),
    ):
        if perms[flag]:
            actions.append(name)
    return actions


class PermissionMatrixViewTests(AdminMatrixTestCase):
    def assert_matrix(self, can_publish):
        with override_settings(TRANSLATORS_CAN_PUBLISH=can_publish):
            got = self.view_matrix()
            computed = matrix.matrices(self.matrix_users(), self.subjects)[can_publish]
        for (action, role, method), allowed in got.items():
            with self.subTest(action=action, role=role, method=method):
                self.assertEqual(allowed, expected(action, role, can_publish))
                self.assertEqual(computed[action][role], allowed)

    def matrix_users(self):
        from django.contrib.auth.models import AnonymousUser

        return {role: user or AnonymousUser() for role, user in self.users.items()}

    def test_translators_cannot_publish_by_default(self):
        self.assert_matrix(can_publish=False)

    def test_translators_publish_when_allowed(self):
        self.assert_matrix(can_publish=True)


class TranslationEditorButtonsTests(AdminMatrixTestCase):
    def footer(self, role, page):
        self.login(role)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        self.assertEqual(response.status_code, 200)
        return footer_actions(response)

    def test_main_button_is_publish_never_delete(self):
        uk_page = self.subjects.pages["uk"]
        with override_settings(TRANSLATORS_CAN_PUBLISH=True):
            self.assertEqual(self.footer(T_UK, uk_page), ["publish"])
        with override_settings(TRANSLATORS_CAN_PUBLISH=False):
            self.assertEqual(self.footer(T_UK, uk_page), [])  # each segment has its own Save
        actions = self.footer(EDITOR, uk_page)
        self.assertEqual(actions[-1], "publish")
        self.assertIn("delete", actions)
        self.assertIn("stop sync", actions)

    def test_listing_and_header_offer_no_tree_actions_to_translators(self):
        uk_page, uk_parent = self.subjects.pages["uk"], self.subjects.parents["uk"]
        tree_actions = [
            reverse(f"wagtailadmin_pages:{name}", args=[uk_page.pk])
            for name in ("delete", "move", "copy", "unpublish")
        ] + [reverse("wagtailadmin_pages:add_subpage", args=[uk_parent.pk])]
        listing = reverse("wagtailadmin_explore", args=[uk_parent.pk])
        header = reverse("wagtailadmin_pages:edit", args=[uk_parent.pk])
        for role, shown in ((T_UK, False), (EDITOR, True)):
            self.login(role)
            html = (
                self.client.get(listing).content.decode() + self.client.get(header).content.decode()
            )
            for url in tree_actions:
                with self.subTest(role=role, url=url):
                    self.assertEqual(url in html, shown)

    def test_alias_page_offers_convert_to_editors_only(self):
        # An alias within one language tree (Wagtail's own alias edit view; a cross-language
        # alias gets wagtail-localize's "Translate this page" instead, for editors only).
        uk_page = self.subjects.pages["uk"]
        alias = uk_page.create_alias(update_slug="zrcadlo")
        convert = reverse("wagtailadmin_pages:convert_alias", args=[alias.pk])
        for role, shown in ((T_UK, False), (EDITOR, True)):
            self.login(role)
            response = self.client.get(reverse("wagtailadmin_pages:edit", args=[alias.pk]))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(convert in response.content.decode(), shown, role)

    def test_stopping_sync_and_converting_to_alias_are_for_editors(self):
        """wagtail-localize checks `can_edit()` only for these: a translator's request is refused
        (and changes nothing) for a page and a snippet, an editor's goes through."""
        uk_page, uk_snippet = self.subjects.pages["uk"], self.subjects.snippets["uk"]
        edit = reverse("wagtailadmin_pages:edit", args=[uk_page.pk])
        for url in (
            reverse("wagtail_localize:stop_translation", args=[translation_of(uk_page).pk]),
            reverse("wagtail_localize:stop_translation", args=[translation_of(uk_snippet).pk]),
            reverse("wagtail_localize:convert_to_alias", args=[uk_page.pk]),
        ):
            for role, allowed in ((T_UK, False), (EDITOR, True)):
                with self.subTest(url=url, role=role):
                    self.assertEqual(self.post_allowed(role, url, {"next": edit}), allowed)

    def test_an_editor_stops_a_synced_translation(self):
        uk_page = self.subjects.pages["uk"]
        translation = translation_of(uk_page)
        self.login(EDITOR)
        stop = reverse("wagtail_localize:stop_translation", args=[translation.pk])
        edit = reverse("wagtailadmin_pages:edit", args=[uk_page.pk])
        self.client.post(stop, {"next": edit})
        translation.refresh_from_db()
        self.assertFalse(translation.enabled)

    def test_restarting_a_stopped_translation_is_for_editors(self):
        uk_page = self.subjects.pages["uk"]
        translation = translation_of(uk_page)
        translation.enabled = False  # an editor stopped it: the page is edited like any other
        translation.save()
        edit = reverse("wagtailadmin_pages:edit", args=[uk_page.pk])
        for role, shown in ((T_UK, False), (EDITOR, True)):
            self.login(role)
            html = self.client.get(edit).content.decode()
            self.assertEqual('name="localize-restart-translation"' in html, shown, role)
        self.login(T_UK)
        response = self.client.post(edit, {"localize-restart-translation": "1"})
        self.assertTrue(self.refused(response))
        translation.refresh_from_db()
        self.assertFalse(translation.enabled)


class PermissionMatrixCommandTests(AdminMatrixTestCase):
    def command_tables(self):
        out = io.StringIO()
        call_command("permission_matrix", stdout=out)
        tables = {}
        for block in out.getvalue().split("TRANSLATORS_CAN_PUBLISH = ")[1:]:
            setting = block.startswith("True")
            lines = [line for line in block.splitlines() if line.startswith("| ")]
            header = [cell.strip() for cell in lines[0].strip("|").split("|")][1:]
            labels = {label: key for key, label, *_rest in matrix.ACTIONS}
            table = {}
            for line in lines[1:]:
                cells = [cell.strip() for cell in line.strip("|").split("|")]
                table[labels[cells[0]]] = dict(zip(header, cells[1:], strict=True))
            tables[setting] = table
        return tables

    def test_command_table_agrees_with_the_admin_views(self):
        tables = self.command_tables()
        self.assertEqual(set(tables), {False, True})
        self.assertEqual(list(tables[False]["delete"]), ROLES)
        cells = ["edit_own", "edit_other", "publish", "delete", "stop_sync", "snippet_own"]
        for can_publish in (False, True):
            with override_settings(TRANSLATORS_CAN_PUBLISH=can_publish):
                views = self.view_matrix(cells)
            for (action, role, method), allowed in views.items():
                with self.subTest(can_publish=can_publish, action=action, role=role, m=method):
                    self.assertEqual(tables[can_publish][action][role], "✓" if allowed else "✗")

    def test_command_table_is_the_specification(self):
        """What `manage.py permission_matrix` prints, cell by cell, in both settings (fast: no
        admin requests; the test above holds the views to the same table)."""
        tables = self.command_tables()
        for can_publish in (False, True):
            for action in EXPECTED:
                for role in ROLES:
                    with self.subTest(can_publish=can_publish, action=action, role=role):
                        want = "✓" if expected(action, role, can_publish) else "✗"
                        self.assertEqual(tables[can_publish][action][role], want)

    def test_command_leaves_no_users_behind(self):
        before = get_user_model().objects.count()
        self.command_tables()
        self.assertEqual(get_user_model().objects.count(), before)


class EveryPageTypeTests(TestCase):
    def test_every_page_type_uses_the_project_permission_tester(self):
        from wagtail.models import get_page_models

        from home.translation.permissions import TranslatorAwarePermissionsMixin

        for model in get_page_models():
            if model is Page:
                continue
            with self.subTest(model=model.__name__):
                self.assertTrue(issubclass(model, TranslatorAwarePermissionsMixin))


class PermissionMatrixOnASeededSiteTests(TestCase):
    """A freshly seeded site has no translations: the command makes sample ones, answers every
    cell and leaves nothing behind."""

    def test_every_cell_is_answered_and_nothing_is_left(self):
        call_command("load_seed_content", stdout=io.StringIO())
        before = Page.objects.count()
        out = io.StringIO()
        call_command("permission_matrix", stdout=out)
        rows = [line for line in out.getvalue().splitlines() if line.startswith("| ")]
        self.assertEqual(len(rows), 2 * (1 + len(matrix.ACTIONS)))
        self.assertFalse(any(" – " in row for row in rows), out.getvalue())
        self.assertEqual(Page.objects.count(), before)
        self.assertFalse(Page.objects.exclude(locale__language_code="cs").exists())
