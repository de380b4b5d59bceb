"""Who may work on which language. Page trees are guarded by Wagtail's page permissions (see
`roles`); this covers what Wagtail checks per model only: snippets and wagtail-localize's
translation-editor endpoints."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from wagtail.models import Locale

from .roles import EDITOR_GROUP, TRANSLATOR_GROUP_PREFIX


def editable_languages(user):
    """Language codes `user` may change content in, or None for no restriction (superusers,
    editors and users with no translator role keep Wagtail's normal permissions)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    cache = getattr(user, "_translation_languages", False)
    if cache is not False:
        return cache
    names = list(user.groups.values_list("name", flat=True))
    if EDITOR_GROUP in names or not any(n.startswith(TRANSLATOR_GROUP_PREFIX) for n in names):
        languages = None
    else:
        languages = {
            n.removeprefix(TRANSLATOR_GROUP_PREFIX)
            for n in names
            if n.startswith(TRANSLATOR_GROUP_PREFIX)
        }
    user._translation_languages = languages
    return languages


def is_translator(user):
    """A translator and nothing more (not an editor, not a superuser): translates, never manages
    the tree (see `permissions`)."""
    return user.is_authenticated and editable_languages(user) is not None


def is_translation_staff(user):
    """Translators and editors (and superusers): may see the report and use PO files."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__startswith=TRANSLATOR_GROUP_PREFIX).exists() or (
        user.groups.filter(name=EDITOR_GROUP).exists()
    )


def can_edit_language(user, language_code):
    languages = editable_languages(user)
    return languages is None or language_code in languages


def check_instance_language(user, instance):
    locale_id = getattr(instance, "locale_id", None)
    if locale_id is None:
        return
    if editable_languages(user) is None:
        return
    language = Locale.objects.get(pk=locale_id).language_code
    if not can_edit_language(user, language):
        raise PermissionDenied


# wagtail-localize views that check `can_edit()` only, with the tester question they need.
TREE_MANAGEMENT_VIEWS = {
    "stop_translation": "can_stop_sync",
    "convert_to_alias": "can_convert_alias",
}

SNIPPET_NAMESPACE_PREFIX = "wagtailsnippets_"


def check_snippet_language(user, namespace, pk):
    """Every admin view of one snippet (edit, publish, unpublish, revisions, history, …) by its
    URL namespace `wagtailsnippets_<app>_<model>`: only in the user's languages."""
    if editable_languages(user) is None:
        return
    from django.apps import apps
    from django.contrib.admin.utils import unquote

    app_label, _, model_name = namespace.removeprefix(SNIPPET_NAMESPACE_PREFIX).partition("_")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return
    instance = model._default_manager.filter(pk=unquote(str(pk))).only("locale_id").first()
    if instance is not None:
        check_instance_language(user, instance)


class TranslatorLanguageMiddleware:
    """Refuses wagtail-localize's per-translation endpoints (string edits, overrides, PO upload
    and download, machine translation, preview) for translations into a language the user does
    not translate: wagtail-localize checks snippet permissions per model only. Wagtail's own
    per-snippet admin views are checked the same way (`check_snippet_language`). Also refuses
    wagtail-localize's tree-management endpoints (stop sync, convert to alias) to translators."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        snippet_namespace = next(
            (n for n in match.namespaces if n.startswith(SNIPPET_NAMESPACE_PREFIX)), None
        )
        if snippet_namespace and "pk" in view_kwargs:
            check_snippet_language(request.user, snippet_namespace, view_kwargs["pk"])
            return None
        if "wagtail_localize" not in match.namespaces:
            return None
        if match.url_name in TREE_MANAGEMENT_VIEWS:
            check_tree_management(request.user, match.url_name, view_kwargs)
        translation_id = view_kwargs.get("translation_id")
        if translation_id is None:
            return None
        from wagtail_localize.models import Translation

        translation = (
            Translation.objects.filter(pk=translation_id).select_related("target_locale").first()
        )
        if translation and not can_edit_language(
            request.user, translation.target_locale.language_code
        ):
            raise PermissionDenied
        if translation and match.url_name == "upload_pofile" and request.method == "POST":
            from .po import refuse_bad_upload

            return refuse_bad_upload(request, translation)
        return None


def check_tree_management(user, url_name, view_kwargs):
    from wagtail.models import Page
    from wagtail_localize.models import Translation

    if "page_id" in view_kwargs:
        instance = Page.objects.filter(pk=view_kwargs["page_id"]).first()
    else:
        translation = Translation.objects.filter(pk=view_kwargs.get("translation_id")).first()
        try:
            instance = translation and translation.get_target_instance()
        except ObjectDoesNotExist:
            instance = None
    if isinstance(instance, Page):
        allowed = getattr(instance.permissions_for_user(user), TREE_MANAGEMENT_VIEWS[url_name])()
    else:  # snippets have no tester: translators may not, everybody else as wagtail-localize says
        allowed = not is_translator(user)
    if not allowed:
        raise PermissionDenied
