"""Admin views: the translation status report and PO export/import for agencies."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale, Page

from .access import editable_languages, is_translation_staff
from .background import create_job, inline_limit, rerun, submit
from .models import TranslationJob
from .po import (
    ExportedFile,
    POImportError,
    all_source_objects,
    check_po_files,
    export_object_list,
    export_translations,
    import_translations,
    zip_files,
)
from .report import STATUS_LABELS, coverage, edit_url, status_rows


class TranslationStaffMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_translation_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def target_locales_for(user):
    languages = editable_languages(user)
    locales = Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code")
    if languages is not None:
        locales = locales.filter(language_code__in=languages)
    return locales


class TranslationReportView(TranslationStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "home/translation/report.html"
    page_title = _("Stav překladů")
    header_icon = "wagtail-localize-language"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = status_rows()
        languages = [c for c in self._languages() if c != settings.LANGUAGE_CODE]
        wanted = self.request.GET.get("status")
        if wanted:
            rows_shown = [r for r in rows if any(r.states[c].status == wanted for c in languages)]
        else:
            rows_shown = rows
        context.update(
            rows=[(row, [self._cell(row.states[c]) for c in languages]) for row in rows_shown],
            languages=languages,
            coverage=[(c, coverage(rows)[c]) for c in languages],
            status_filter=wanted or "",
        )
        return context

    @staticmethod
    def _cell(state):
        return state, STATUS_LABELS[state.status], edit_url(state.instance)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.as_csv()
        return super().get(request, *args, **kwargs)

    def as_csv(self):
        """The whole report as CSV (for planning with an agency). Statuses stay machine codes
        (up_to_date, outdated, in_progress, missing: docs/translating.md), whatever the admin's
        language, so that spreadsheets and scripts can rely on them."""
        import csv

        languages = [c for c in self._languages() if c != settings.LANGUAGE_CODE]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="translation-status.csv"'
        writer = csv.writer(response)
        writer.writerow(["type", "id", "object", *languages])
        for row in status_rows():
            writer.writerow(
                [row.kind, row.instance.pk, str(row.instance)]
                + [row.states[c].status for c in languages]
            )
        return response

    def _languages(self):
        from home.localization import content_languages

        allowed = editable_languages(self.request.user)
        return [c for c in content_languages() if allowed is None or c in allowed]


class ExportForm(forms.Form):
    locale = forms.ModelChoiceField(label=_("Jazyk"), queryset=Locale.objects.none())
    page = forms.IntegerField(
        label=_("ID stránky"), required=False, help_text=_("Prázdné = všechny stránky a úryvky")
    )
    include_subtree = forms.BooleanField(label=_("Včetně podstránek"), required=False, initial=True)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].queryset = target_locales_for(user)

    def clean_page(self):
        page_id = self.cleaned_data.get("page")
        if page_id is None:
            return None
        page = Page.objects.filter(pk=page_id, locale__language_code=settings.LANGUAGE_CODE)
        page = page.specific().first()
        if page is None:
            raise forms.ValidationError(_("Česká stránka s tímto ID neexistuje."))
        return page


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class ImportForm(forms.Form):
    locale = forms.ModelChoiceField(label=_("Jazyk"), queryset=Locale.objects.none())
    files = MultipleFileField(label=_("Soubory PO"))
    publish = forms.BooleanField(label=_("Rovnou publikovat"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].queryset = target_locales_for(user)
        if editable_languages(user) is not None:
            del self.fields["publish"]  # translators save drafts; editors publish


class POFilesView(TranslationStaffMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "home/translation/po_files.html"
    page_title = _("Překlady v souborech PO")
    header_icon = "download"

    def get_form(self, form_class=None):
        # bound to an export's POST only: after a failed import it shows no errors of its own
        posted = self.request.POST if self.posts_export() else None
        return ExportForm(self.request.user, posted, prefix="export")

    def posts_export(self):
        """Which of the page's two forms was sent (a POST without the import's fields is an
        export, and a missing field of it an error to show)."""
        return self.request.method == "POST" and "import-locale" not in self.request.POST

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("import_form", ImportForm(self.request.user, prefix="import"))
        context["errors"] = kwargs.get("errors", [])
        return context

    def post(self, request, *args, **kwargs):
        if not self.posts_export():
            return self.post_import(request)
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        locale = form.cleaned_data["locale"]
        page = form.cleaned_data["page"]
        if page is None:
            roots, snippets = all_source_objects()
        else:
            roots, snippets = [page], []
        start_missing = request.user.has_perm("wagtail_localize.submit_translation")
        subtree = form.cleaned_data["include_subtree"]
        if len(export_object_list(locale, roots, subtree, snippets)) > inline_limit():
            # A big export runs in the task runner; the zip is downloaded from the job's page.
            job = create_job(
                TranslationJob.Kind.EXPORT,
                user=request.user,
                locale=locale,
                params={
                    "page": page.pk if page else None,
                    "subtree": subtree,
                    # Translators export what editors started; they do not start new ones.
                    "start_missing": start_missing,
                },
            )
            submit(job)
            return redirect("translation_job", job.pk)
        files = export_translations(
            locale,
            roots,
            subtree,
            snippets,
            user=request.user if start_missing else None,
            start_missing=start_missing,
        )
        return zip_response(files, locale)

    def post_import(self, request):
        form = ImportForm(request.user, request.POST, request.FILES, prefix="import")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(import_form=form))
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        locale = form.cleaned_data["locale"]
        publish = form.cleaned_data.get("publish", False)
        if len(files) > inline_limit():
            return self.queue_import(request, form, files, locale, publish)
        try:
            results = import_translations(files, locale, publish=publish, user=request.user)
        except POImportError as exc:
            return self.render_to_response(
                self.get_context_data(import_form=form, errors=exc.messages)
            )
        messages.success(
            request,
            _("Importováno %(n)d souborů.") % {"n": len(results)},
        )
        return redirect(reverse("translation_po_files"))

    def queue_import(self, request, form, files, locale, publish):
        """Many files: checked here (a file that cannot be read, written for another language or
        without a known translation id is refused at once, nothing queued), imported by a job."""
        try:
            contents = [(name, content.decode("utf-8")) for name, content in files]
            check_po_files(contents, locale)
        except (POImportError, UnicodeDecodeError) as exc:
            errors = getattr(exc, "messages", None) or [str(exc)]
            return self.render_to_response(self.get_context_data(import_form=form, errors=errors))
        job = create_job(
            TranslationJob.Kind.IMPORT,
            user=request.user,
            locale=locale,
            params={"publish": publish},
            payload=dict(contents),
        )
        submit(job)
        return redirect("translation_job", job.pk)


def zip_response(files, locale):
    response = HttpResponse(zip_files(files), content_type="application/zip")
    name = f"translations-{locale.language_code}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def visible_jobs(user):
    """Editors and superusers see every job; translators their own."""
    jobs = TranslationJob.objects.select_related("locale", "user")
    if editable_languages(user) is not None:
        jobs = jobs.filter(user=user)
    return jobs


class TranslationJobListView(TranslationStaffMixin, WagtailAdminTemplateMixin, ListView):
    template_name = "home/translation/jobs.html"
    page_title = _("Překladové úlohy")
    header_icon = "cogs"
    paginate_by = 50

    def get_queryset(self):
        return visible_jobs(self.request.user).defer("payload", "completed")


class TranslationJobView(TranslationStaffMixin, WagtailAdminTemplateMixin, DetailView):
    template_name = "home/translation/job.html"
    page_title = _("Překladová úloha")
    header_icon = "cogs"
    context_object_name = "job"

    def get_queryset(self):
        return visible_jobs(self.request.user).defer("payload", "completed")

    def get_page_subtitle(self):
        return str(self.object)

    def post(self, request, *args, **kwargs):
        job = self.get_object()
        if not job.can_rerun:
            messages.error(request, _("Znovu lze spustit jen úlohu, která selhala."))
        else:
            rerun(job)
            messages.success(request, _("Úloha je znovu ve frontě; dokončí, co zbývá."))
        return redirect("translation_job", job.pk)


def job_download(request, pk):
    """The zip of a finished export job."""
    if not is_translation_staff(request.user):
        raise PermissionDenied
    job = get_object_or_404(visible_jobs(request.user), pk=pk, kind=TranslationJob.Kind.EXPORT)
    if job.status != TranslationJob.Status.DONE:
        raise Http404
    files = [ExportedFile(name, content, None) for name, content in sorted(job.payload.items())]
    return zip_response(files, job.locale)
