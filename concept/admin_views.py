"""Admin views of the Concept as data: upload → preview (created / changed / left alone) → apply,
and the download of the same format. Who may: a user who can publish the Concept's pages (or,
for a draft import, edit them); the checks are Wagtail's page permissions on the Concept."""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import imports
from .models import ActionPlanItem, ActionPlanPage, ConceptImport, ConceptPage, PriorityPage
from .monitoring import STATUSES, is_overdue, rollups
from .transfer import (
    CHANGE,
    CREATE,
    MAX_BYTES,
    UNCHANGED,
    ImportErrors,
    export_concept,
    text_cell,
    write_csv_rows,
)

LEVEL_LABELS = {
    "priority": _("priorita"),
    "area": _("oblast"),
    "recommendation": _("doporučení"),
    "measure": _("opatření"),
}
ACTION_LABELS = {CREATE: _("nové"), CHANGE: _("změněno"), UNCHANGED: _("beze změny")}


def czech_concepts():
    return ConceptPage.objects.filter(locale__language_code="cs").order_by("path")


def can_import(user, concept, draft=False):
    perms = concept.permissions_for_user(user)
    return perms.can_edit() and (draft or perms.can_publish())


def can_export(user, concept):
    return concept.permissions_for_user(user).can_edit()


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Soubor CSV nebo XLSX"))
    draft = forms.BooleanField(label=_("Uložit změny jako koncepty (nepublikovat)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Soubor je větší než 10 MB."))
        return upload


class ConceptDataIndexView(WagtailAdminTemplateMixin, TemplateView):
    """The Concepts an editor may import into or export, with links."""

    template_name = "concept/admin/index.html"
    page_title = _("Koncepce jako data")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["concepts"] = [
            (
                concept,
                can_import(user, concept, draft=True),
                ActionPlanPage.objects.child_of(concept).order_by("-year"),
            )
            for concept in czech_concepts()
            if can_export(user, concept)
        ]
        context["imports"] = (
            ConceptImport.objects.exclude(status=ConceptImport.Status.PREVIEWED)
            .filter(concept__in=[concept for concept, *_rest in context["concepts"]])
            .select_related("concept", "user")
            .defer("content")[:20]
        )
        return context


class ConceptImportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "concept/admin/import.html"
    page_title = _("Import koncepce")
    header_icon = "upload"

    def dispatch(self, request, pk):
        self.concept = get_object_or_404(czech_concepts(), pk=pk)
        if not can_import(request.user, self.concept, draft=True):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update(concept=self.concept, level_labels=LEVEL_LABELS)
        return context

    def post(self, request, pk):
        if request.POST.get("action") == "apply":
            return self.apply(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        draft = form.cleaned_data["draft"]
        if not can_import(request.user, self.concept, draft=draft):
            form.add_error("draft", _("Nemáte právo publikovat; importujte jako koncepty."))
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            stored, result = imports.preview(
                self.concept, request.user, upload.name, upload.read(), draft=draft
            )
        except ImportErrors as errors:
            return self.render_to_response(self.get_context_data(form=form, errors=errors.errors))
        return self.render_to_response(
            self.get_context_data(
                form=form,
                preview=[
                    (o, LEVEL_LABELS[o.level], ACTION_LABELS[o.action])
                    for o in result.outcomes
                    if o.action != UNCHANGED
                ],
                counts=result.counts,
                upload=stored,
            )
        )

    def apply(self, request):
        upload_id = request.POST.get("upload", "")
        stored = ConceptImport.objects.filter(
            pk=int(upload_id) if upload_id.isdigit() else None,
            concept=self.concept,
            user=request.user,
            status=ConceptImport.Status.PREVIEWED,
        ).first()
        if stored is None:
            messages.error(request, _("Náhled vypršel; nahrajte soubor znovu."))
            return redirect(reverse("concept_import", args=[self.concept.pk]))
        if not can_import(request.user, self.concept, draft=stored.draft):
            raise PermissionDenied
        stored = imports.submit(stored)
        if stored.status in (ConceptImport.Status.QUEUED, ConceptImport.Status.RUNNING):
            messages.info(
                request,
                _("Import běží na pozadí; stav je v přehledu, po dokončení přijde e-mail."),
            )
        elif stored.status == ConceptImport.Status.FAILED:  # the Concept changed since the preview
            return self.render_to_response(self.get_context_data(errors=stored.errors))
        else:
            messages.success(request, imports.summary(stored.counts))
        return redirect(reverse("concept_data"))


def concept_export_view(request, pk):
    concept = get_object_or_404(czech_concepts(), pk=pk)
    if not can_export(request.user, concept):
        raise PermissionDenied
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    response = HttpResponse(export_concept(concept, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="koncepce-{concept.pk}.{fmt}"'
    return response


# --- monitoring report ---------------------------------------------------------------------------

REPORT_ITEM_COLUMNS = [
    "measure_code",
    "measure_cs",
    "responsible_cs",
    "deadline",
    "status",
    "status_label",
    "overdue",
    "note_cs",
]
REPORT_ROLLUP_COLUMNS = ["scope", "code", "name_cs", *STATUSES, "total", "share_done"]


def plan_report_rows(plan):
    """(item rows, rollup rows) of a Czech action plan: every item with its status, then the
    counts by status for the plan, each priority and each responsible actor."""
    concept = plan.get_parent().specific
    data = rollups(concept, plans=ActionPlanPage.objects.filter(pk=plan.pk), public=False)
    items = [
        [
            item["measure__code"],
            item["measure__text"],
            item["responsible__name"] or "",
            item["deadline"].isoformat() if item["deadline"] else "",
            item["status"],
            str(ActionPlanItem.Status(item["status"]).label),
            "ano" if is_overdue(item["deadline"], item["status"]) else "",
            item["note"],
        ]
        for item in data.items
    ]

    def rollup_row(scope, code, name, progress):
        return [scope, code, name, *(progress.counts[s] for s in STATUSES)] + [
            progress.total,
            progress.share_done,
        ]

    rows = [rollup_row("action_plan", str(plan.year), plan.title, data.get(plan))]
    for priority in PriorityPage.objects.child_of(concept).order_by("number"):
        if priority.translation_key in data.priorities:
            rows.append(rollup_row("priority", priority.code, priority.title, data.get(priority)))
    names = {i["responsible__translation_key"]: i["responsible__name"] for i in data.items}
    for key, progress in sorted(data.actors.items(), key=lambda kv: names[kv[0]]):
        rows.append(rollup_row("actor", "", names[key], progress))
    return items, rows


def plan_report_view(request, pk):
    plan = get_object_or_404(ActionPlanPage.objects.filter(locale__language_code="cs"), pk=pk)
    if not plan.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    items, rollup_rows = plan_report_rows(plan)
    fmt = request.GET.get("format", "xlsx")
    name = f"akcni-plan-{plan.year}-monitoring"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(REPORT_ITEM_COLUMNS)
        write_csv_rows(writer, items)
        writer.writerow([])
        writer.writerow(REPORT_ROLLUP_COLUMNS)
        write_csv_rows(writer, rollup_rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        for title, header, rows in (
            ("polozky", REPORT_ITEM_COLUMNS, items),
            ("souhrn", REPORT_ROLLUP_COLUMNS, rollup_rows),
        ):
            sheet = workbook.create_sheet(title)
            sheet.append(header)
            for row in rows:
                sheet.append([text_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        fmt = "xlsx"
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
