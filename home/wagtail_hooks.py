from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.snippets.models import register_snippet

from .models import Organisation, Person
from .snippet_views import TranslatableSnippetViewSet
from .translation.slugs import AsciiSlugFormField

# Replaces Wagtail's own override for slugs (same widget) with a field that transliterates.
register_form_field_override(
    models.SlugField, override={"widget": SlugInput, "form_class": AsciiSlugFormField}
)


class OrganisationViewSet(TranslatableSnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Aktéři")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "short_name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "short_name"]


class PersonViewSet(TranslatableSnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Kontaktní osoby")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "role", "email", "organisation"]
    search_fields = ["name", "role"]


register_snippet(OrganisationViewSet)
register_snippet(PersonViewSet)


# --- Translation workflow ------------------------------------------------------------------
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import AdminOnlyMenuItem, MenuItem  # noqa: E402, F401

from home.translation import access  # noqa: E402
from home.translation.views import (  # noqa: E402
    POFilesView,
    TranslationJobListView,
    TranslationJobView,
    TranslationReportView,
    job_download,
)


@hooks.register("register_admin_urls")
def translation_admin_urls():
    return [
        path("translations/status/", TranslationReportView.as_view(), name="translation_report"),
        path("translations/po/", POFilesView.as_view(), name="translation_po_files"),
        path("translations/jobs/", TranslationJobListView.as_view(), name="translation_jobs"),
        path("translations/jobs/<int:pk>/", TranslationJobView.as_view(), name="translation_job"),
        path("translations/jobs/<int:pk>/zip/", job_download, name="translation_job_zip"),
    ]


class TranslationStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_translation_staff(request.user)


@hooks.register("register_reports_menu_item")
def translation_report_menu_item():
    return TranslationStaffMenuItem(
        _("Stav překladů"), reverse("translation_report"), icon_name="doc-full", order=50
    )


@hooks.register("register_admin_menu_item")
def po_files_menu_item():
    return TranslationStaffMenuItem(
        _("Překlady (PO)"), reverse("translation_po_files"), icon_name="download", order=900
    )


@hooks.register("register_admin_menu_item")
def translation_jobs_menu_item():
    return TranslationStaffMenuItem(
        _("Překladové úlohy"), reverse("translation_jobs"), icon_name="cogs", order=901
    )


@hooks.register("construct_homepage_panels")
def translation_jobs_panel(request, panels):
    """The editor's notification in the admin: their jobs of the last days, with their state."""
    from home.translation.panels import RecentTranslationJobsPanel

    if access.is_translation_staff(request.user):
        panels.append(RecentTranslationJobsPanel(request.user))


@hooks.register("before_edit_snippet", order=-100)  # before wagtail-localize's editor
def check_snippet_language(request, instance):
    access.check_instance_language(request.user, instance)


@hooks.register("before_delete_snippet", order=-100)
def check_snippet_languages_on_delete(request, instances):
    for instance in instances:
        access.check_instance_language(request.user, instance)


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own "page" link type
def reader_page_links(features):
    from home.routing import ReaderPageLinkHandler

    features.register_link_type(ReaderPageLinkHandler)


# --- Translators translate; editors manage the tree (home/translation/permissions.py) ----------
@hooks.register("before_convert_alias_page")
def check_convert_alias(request, page):
    # Wagtail's view asks can_edit() only.
    if not page.permissions_for_user(request.user).can_convert_alias():
        raise PermissionDenied


# wagtail-localize's edit-view menu items, shown to anyone who may edit the page.
SYNC_MENU_ITEMS = {
    "localize-restart-translation": "can_stop_sync",
    "localize-convert-to-alias": "can_convert_alias",
}


@hooks.register("before_edit_page", order=-100)  # before wagtail-localize's editor
def check_translation_sync_actions(request, page):
    """The edit form's "Start Synced translation" / "Convert to alias page" submissions."""
    if request.method != "POST":
        return
    tester = page.permissions_for_user(request.user)
    for name, question in SYNC_MENU_ITEMS.items():
        if name in request.POST and not getattr(tester, question)():
            raise PermissionDenied


@hooks.register("construct_page_action_menu")
def hide_translation_sync_actions(menu_items, request, context):
    page = context.get("page")
    if page is None or page.pk is None:
        return
    tester = page.permissions_for_user(request.user)
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in SYNC_MENU_ITEMS or getattr(tester, SYNC_MENU_ITEMS[item.name])()
    ]


@hooks.register("construct_reports_menu")
def one_translation_report(request, menu_items):
    """wagtail-localize adds its own "Translations" report; the project's "Stav překladů" covers
    it (statuses per language for pages and snippets), so the menu offers that one only."""
    localize_report = reverse("wagtail_localize:translations_report")
    menu_items[:] = [item for item in menu_items if item.url != localize_report]
