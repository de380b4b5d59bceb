"""Who may do what in the admin, as a table: every cell is computed by the checks the admin views
use (the page permission tester, snippet model permissions with the per-language guard, the
translation staff rules), never written down. `manage.py permission_matrix` prints it;
tests/i18n/test_permissions.py holds it against the admin views.

A role's "own" language is the translator's; for everyone else the first target language.
"Other" is the first target language that is not the own one.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.test.utils import override_settings
from wagtail.models import Locale, Page
from wagtail.snippets.permissions import get_permission_name

from . import access
from .roles import (
    EDITOR_GROUP,
    target_languages,
    translatable_snippet_models,
    translator_group_name,
)

ANONYMOUS, EDITOR, SUPERUSER = "anonymous", "editor", "superuser"


def translator_role(language):
    return f"translator {language}"


def roles():
    return [ANONYMOUS, *[translator_role(c) for c in target_languages()], EDITOR, SUPERUSER]


def own_language(role):
    prefix = translator_role("")
    return role.removeprefix(prefix) if role.startswith(prefix) else target_languages()[0]


def other_language(role):
    own = own_language(role)
    return next(c for c in target_languages() if c != own)


@dataclass
class Subjects:
    """The objects the matrix is about, per language: a live translated leaf page (and its
    parent), the Czech source of that page, an alias page and a translated snippet."""

    pages: dict
    parents: dict
    source_page: Page | None
    aliases: dict
    snippets: dict

    @classmethod
    def from_database(cls):
        pages, parents, aliases, snippets = {}, {}, {}, {}
        source_page = None
        for language in target_languages():
            locale = Locale.objects.filter(language_code=language).first()
            page = (
                Page.objects.filter(locale=locale, live=True, alias_of__isnull=True, depth__gt=3)
                .filter(numchild=0)
                .order_by("path")
                .first()
            )
            if page is not None:
                pages[language] = page.specific
                parents[language] = page.get_parent().specific
                source_page = source_page or (
                    Page.objects.filter(
                        translation_key=page.translation_key,
                        locale__language_code=settings.LANGUAGE_CODE,
                    ).first()
                )
            alias = Page.objects.filter(locale=locale, alias_of__isnull=False).first()
            if alias is not None:
                aliases[language] = alias.specific
            for model in translatable_snippet_models():
                snippet = model.objects.filter(locale=locale).order_by("pk").first()
                if snippet is not None:
                    snippets[language] = snippet
                    break
        return cls(pages, parents, source_page and source_page.specific, aliases, snippets)


def _page(question):
    def check(user, page):
        return getattr(page.permissions_for_user(user), question)()

    return check


def can_change_snippet(user, snippet, action="change"):
    """What the snippet views check: the model permission, then the object's language."""
    return user.has_perm(get_permission_name(action, type(snippet))) and access.can_edit_language(
        user, snippet.locale.language_code
    )


def can_use_po_files(user, page):
    """wagtail-localize's PO download/upload for a page's translation: who may edit the page,
    in a language they translate (access.TranslatorLanguageMiddleware)."""
    return page.permissions_for_user(user).can_edit() and access.can_edit_language(
        user, page.locale.language_code
    )


# (key, label, subject, check): subject(subjects, role) -> the object, or None if the database
# has no such object (the cell then reads "–").
ACTIONS = [
    ("edit_own", "Edit a page, own language", "page", _page("can_edit")),
    ("edit_other", "Edit a page, other language", "other_page", _page("can_edit")),
    ("edit_source", "Edit a Czech source page", "source_page", _page("can_edit")),
    ("publish", "Publish (own language)", "page", _page("can_publish")),
    ("delete", "Delete a page", "page", _page("can_delete")),
    ("move", "Move a page", "page", _page("can_move")),
    ("copy", "Copy a page", "page", _page("can_copy")),
    ("unpublish", "Unpublish a page", "page", _page("can_unpublish")),
    ("add_child", "Add a child page", "parent", _page("can_add_subpage")),
    ("convert_alias", "Convert an alias", "alias", _page("can_convert_alias")),
    ("stop_sync", "Stop synced translation", "page", _page("can_stop_sync")),
    ("snippet_own", "Edit a snippet, own language", "snippet", can_change_snippet),
    ("snippet_other", "Edit a snippet, other language", "other_snippet", can_change_snippet),
    (
        "snippet_delete",
        "Delete a snippet",
        "snippet",
        lambda user, obj: can_change_snippet(user, obj, "delete"),
    ),
    ("po_files", "PO download / upload (own language)", "page", can_use_po_files),
]


def subject(subjects, kind, role):
    own, other = own_language(role), other_language(role)
    return {
        "page": subjects.pages.get(own),
        "other_page": subjects.pages.get(other),
        "source_page": subjects.source_page,
        "parent": subjects.parents.get(own),
        "alias": subjects.aliases.get(own),
        "snippet": subjects.snippets.get(own),
        "other_snippet": subjects.snippets.get(other),
    }[kind]


def allowed(user, role, key, subjects):
    """True/False, or None where the database has nothing to ask about."""
    _key, _label, kind, check = next(a for a in ACTIONS if a[0] == key)
    obj = subject(subjects, kind, role)
    if obj is None:
        return None
    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        return False  # the admin's own gate (login, access_admin)
    return check(user, obj)


def matrix_for(users, subjects):
    """{action key: {role: True/False/None}} for {role: user}."""
    return {
        key: {role: allowed(user, role, key, subjects) for role, user in users.items()}
        for key, *_rest in ACTIONS
    }


def sample_users():
    """A user per role, created: call inside a transaction that is rolled back."""
    User = get_user_model()
    users = {ANONYMOUS: AnonymousUser()}
    for language in target_languages():
        user = User.objects.create_user(f"_matrix_{language}")
        user.groups.add(Group.objects.get(name=translator_group_name(language)))
        users[translator_role(language)] = user
    editor = User.objects.create_user("_matrix_editor")
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    users[EDITOR] = editor
    users[SUPERUSER] = User.objects.create_superuser("_matrix_superuser", "", None)
    return dict(sorted(users.items(), key=lambda item: roles().index(item[0])))


def fresh(users):
    """Users reloaded, so no permission cache outlives a settings change."""
    User = get_user_model()
    return {
        role: user if not user.is_authenticated else User.objects.get(pk=user.pk)
        for role, user in users.items()
    }


def markdown(matrix, role_names):
    mark = {True: "✓", False: "✗", None: "–"}
    labels = {key: label for key, label, *_rest in ACTIONS}
    lines = [
        "| action | " + " | ".join(role_names) + " |",
        "|---|" + "---|" * len(role_names),
    ]
    for key, row in matrix.items():
        lines.append(f"| {labels[key]} | " + " | ".join(mark[row[r]] for r in role_names) + " |")
    return "\n".join(lines)


def matrices(users, subjects):
    """{TRANSLATORS_CAN_PUBLISH value: matrix}, for both values of the setting."""
    result = {}
    for can_publish in (False, True):
        with override_settings(TRANSLATORS_CAN_PUBLISH=can_publish):
            result[can_publish] = matrix_for(fresh(users), subjects)
    return result


def sample_subjects():
    """Subjects for a database without translations (a freshly seeded site): the first Czech
    leaf page below a section, translated into every target language and published, an alias of
    it under each translated parent and a translated snippet. Call inside a transaction that is
    rolled back."""
    subjects = Subjects.from_database()
    if all(subjects.pages.get(c) and subjects.snippets.get(c) for c in target_languages()):
        return subjects
    source = (
        Page.objects.filter(locale__language_code=settings.LANGUAGE_CODE, live=True, depth__gt=3)
        .filter(numchild=0, alias_of__isnull=True)
        .order_by("path")
        .first()
    )
    snippet_model = next(iter(translatable_snippet_models()), None)
    snippet = snippet_model.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    for language in target_languages():
        locale = Locale.objects.get(language_code=language)
        if source is not None and not source.has_translation(locale):
            translated = _publish_translation(source.specific, locale)
            translated.create_alias(parent=translated.get_parent(), update_slug=f"{source.slug}-a")
        if snippet is not None and not snippet.has_translation(locale):
            snippet.copy_for_translation(locale).save()
    return Subjects.from_database()


def _publish_translation(page, locale):
    """The page's translation into `locale`, its missing ancestors translated first."""
    parent = page.get_parent().specific
    if parent.depth > 1 and not parent.has_translation(locale):
        _publish_translation(parent, locale)
    copy = page.copy_for_translation(locale)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy
