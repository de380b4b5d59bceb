from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation, Person
from .translation.slugs import AsciiSlugFormField

# Replaces Wagtail's own override for slugs (same widget) with a field that transliterates.
register_form_field_override(
    models.SlugField, override={"widget": SlugInput, "form_class": AsciiSlugFormField}
)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Aktéři")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "short_name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "short_name"]


class PersonViewSet(SnippetViewSet):
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
from django.conf import settings  # noqa: E402
from django.urls import path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import AdminOnlyMenuItem, MenuItem  # noqa: E402, F401

from home.translation import access, jobs  # noqa: E402
from home.translation.views import POFilesView, TranslationReportView  # noqa: E402


@hooks.register("register_admin_urls")
def translation_admin_urls():
    return [
        path("translations/status/", TranslationReportView.as_view(), name="translation_report"),
        path("translations/po/", POFilesView.as_view(), name="translation_po_files"),
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


@hooks.register("before_edit_snippet", order=-100)  # before wagtail-localize's editor
def check_snippet_language(request, instance):
    access.check_instance_language(request.user, instance)


@hooks.register("before_delete_snippet", order=-100)
def check_snippet_languages_on_delete(request, instances):
    for instance in instances:
        access.check_instance_language(request.user, instance)


@hooks.register("after_edit_snippet")
def sync_snippet_translations(request, instance):
    # Snippets have no publish signal; a saved Czech snippet is its new source.
    locale = getattr(instance, "locale", None)
    if locale is not None and locale.language_code == settings.LANGUAGE_CODE:
        jobs.sync_source(instance, user=request.user)


@hooks.register("before_serve_page")
def serve_untranslated_page_in_its_own_language(page, request, serve_args, serve_kwargs):
    """/uk/… can reach a Czech page where the Ukrainian tree is missing (Wagtail falls back to
    the source tree). Render it as what it is, Czech (html lang, UI strings), and let the
    language switcher include tell the reader in the language they asked for."""
    from django.utils import translation

    requested = translation.get_language()
    own = page.locale.language_code
    if requested and own != requested:
        request.requested_language = requested
        translation.activate(own)
        request.LANGUAGE_CODE = own
