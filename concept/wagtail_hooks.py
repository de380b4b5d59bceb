from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, reporting
from .models import ActorReporter, ConceptPage


@hooks.register("register_admin_urls")
def concept_admin_urls():
    return [
        path("concept-data/", admin_views.ConceptDataIndexView.as_view(), name="concept_data"),
        path(
            "concept-data/<int:pk>/import/",
            admin_views.ConceptImportView.as_view(),
            name="concept_import",
        ),
        path(
            "concept-data/<int:pk>/export/",
            admin_views.concept_export_view,
            name="concept_export",
        ),
        path(
            "concept-data/plan/<int:pk>/report/",
            admin_views.plan_report_view,
            name="concept_plan_report",
        ),
        path(
            "concept-data/my-items/",
            reporting.ReporterItemsView.as_view(),
            name="concept_reporter_items",
        ),
    ]


class ConceptEditorMenuItem(MenuItem):
    """Shown to whoever may edit a Concept page."""

    def is_shown(self, request):
        return any(
            admin_views.can_export(request.user, concept)
            for concept in ConceptPage.objects.filter(locale__language_code="cs")
        )


@hooks.register("register_admin_menu_item")
def concept_data_menu_item():
    return ConceptEditorMenuItem(
        _("Koncepce – data"), reverse("concept_data"), icon_name="table", order=850
    )


class ReporterMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(reporting.reported_organisations(request.user))


@hooks.register("register_admin_menu_item")
def reporter_menu_item():
    return ReporterMenuItem(
        _("Plnění akčních plánů"), reverse("concept_reporter_items"), icon_name="tasks", order=860
    )


class ActorReporterViewSet(ModelViewSet):
    """Editors with the model permissions link users to the organisations they report for."""

    model = ActorReporter
    icon = "user"
    menu_label = _("Zpravodajové aktérů")
    add_to_settings_menu = True
    list_display = ["user", "organisation"]
    form_fields = ["user", "organisation"]


@hooks.register("register_admin_viewset")
def register_actor_reporters():
    return ActorReporterViewSet("actor_reporters")
