"""Locales, translator groups per language and the editors' group, with their permissions.

Wagtail has no per-locale permission. Pages: each language has its own tree (one HomePage per site
and language at depth 2), so a translator gets page permissions on the trees of their language
only. Snippets: Wagtail's snippet permissions are per model, so translators get "change" (and
"publish" where TRANSLATORS_CAN_PUBLISH allows it) on the translatable snippet models and
`home.translation.access` refuses objects in other languages.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page

TRANSLATOR_GROUP_PREFIX = "Překladatelé – "
EDITOR_GROUP = "Editoři"

# Created by Wagtail's own migrations with page permissions on the whole tree (and
# wagtail-localize's submit_translation); the project's groups replace them.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")
MODERATION_TASK_NAME = "Schválení editory"

EDITOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
EDITOR_COLLECTION_PERMISSIONS = {
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
}


def translator_group_name(language_code):
    return f"{TRANSLATOR_GROUP_PREFIX}{language_code}"


def source_language():
    return settings.LANGUAGE_CODE


def target_languages():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != source_language()]


def translator_page_permissions():
    perms = ["change"]
    if getattr(settings, "TRANSLATORS_CAN_PUBLISH", False):
        perms.append("publish")
    return perms


def translator_snippet_permissions():
    """Snippet actions of translators: as on pages, publishing only where settings allow it."""
    return translator_page_permissions()


def translatable_snippet_models():
    from wagtail.models import TranslatableMixin
    from wagtail.snippets.models import get_snippet_models

    return [m for m in get_snippet_models() if issubclass(m, TranslatableMixin)]


def _perm(app_label, codename):
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _model_perms(model, actions):
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    name = model._meta.model_name
    return list(
        Permission.objects.filter(content_type=ct, codename__in=[f"{a}_{name}" for a in actions])
    )


def _page_perm(action):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")


def site_roots(language_code=None):
    """The root pages of every site tree (one per site and language), optionally of one language."""
    roots = Page.objects.filter(depth=2)
    if language_code:
        roots = roots.filter(locale__language_code=language_code)
    return roots


def grant_tree_permissions(root):
    """Page permissions on one language tree: editors everywhere, translators in their language."""
    editors = Group.objects.filter(name=EDITOR_GROUP).first()
    if editors:
        for action in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root, permission=_page_perm(action)
            )
    language = Locale.objects.get(pk=root.locale_id).language_code
    if language == source_language():
        return
    translators = Group.objects.filter(name=translator_group_name(language)).first()
    if translators:
        for action in translator_page_permissions():
            GroupPagePermission.objects.get_or_create(
                group=translators, page=root, permission=_page_perm(action)
            )


@transaction.atomic
def sync_locales(stdout=None):
    """Make the database match settings: a Locale per content language, a translator group per
    target language, the editors' group, and their permissions. Idempotent."""

    def say(message):
        if stdout is not None:
            stdout.write(message)

    for code in [source_language(), *target_languages()]:
        _locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            say(f"Created locale {code}")

    access_admin = _perm("wagtailadmin", "access_admin")
    snippet_models = translatable_snippet_models()

    editors, created = Group.objects.get_or_create(name=EDITOR_GROUP)
    if created:
        say(f"Created group {EDITOR_GROUP}")
    editor_perms = [access_admin, _perm("wagtail_localize", "submit_translation")]
    from wagtail.snippets.models import get_snippet_models

    for model in get_snippet_models():
        editor_perms += _model_perms(model, ["add", "change", "delete", "publish"])
    editor_perms += _model_perms_by_label("home", "sitesettings", ["change"])
    editors.permissions.add(*[p for p in editor_perms if p])
    root_collection = Collection.get_first_root_node()
    if root_collection:
        for app_label, codenames in EDITOR_COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                perm = _perm(app_label, codename)
                if perm:
                    GroupCollectionPermission.objects.get_or_create(
                        group=editors, collection=root_collection, permission=perm
                    )

    for code in target_languages():
        group, created = Group.objects.get_or_create(name=translator_group_name(code))
        if created:
            say(f"Created group {group.name}")
        perms = [access_admin]
        for model in snippet_models:
            perms += _model_perms(model, translator_snippet_permissions())
        group.permissions.add(*[p for p in perms if p])
        if "publish" not in translator_snippet_permissions():  # the setting was turned off
            for model in snippet_models:
                group.permissions.remove(*_model_perms(model, ["publish"]))

    for root in site_roots():
        grant_tree_permissions(root)
    if not getattr(settings, "TRANSLATORS_CAN_PUBLISH", False):
        # The setting was switched off: take back what an earlier sync granted.
        GroupPagePermission.objects.filter(
            group__name__startswith=TRANSLATOR_GROUP_PREFIX, permission=_page_perm("publish")
        ).delete()

    from wagtail.models import GroupApprovalTask

    if replace_wagtail_default_groups(Group, GroupApprovalTask):
        say("Removed Wagtail's default groups; moderation goes to " + EDITOR_GROUP)

    configured = {source_language(), *target_languages()}
    extra = Locale.objects.exclude(language_code__in=configured).values_list(
        "language_code", flat=True
    )
    for code in extra:
        say(f"Locale {code} exists but is not in CONTENT_LANGUAGES (left in place)")


def _model_perms_by_label(app_label, model_name, actions):
    return list(
        Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{a}_{model_name}" for a in actions],
        )
    )


def replace_wagtail_default_groups(group_model, task_model):
    """Give the moderation tasks of Wagtail's default groups (its "Moderators approval"
    workflow) to the editors, then delete those groups. Idempotent. Takes the models so that the
    data migration can pass its historical ones. Returns whether anything changed."""
    defaults = list(group_model.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS))
    if not defaults:
        return False
    editors, _created = group_model.objects.get_or_create(name=EDITOR_GROUP)
    for task in task_model.objects.filter(groups__in=defaults).distinct():
        task.groups.remove(*defaults)
        task.groups.add(editors)
        if task.name == "Moderators approval":  # named by Wagtail after the group
            task.name = MODERATION_TASK_NAME
            task.save(update_fields=["name"])
    group_model.objects.filter(pk__in=[g.pk for g in defaults]).delete()
    return True
