"""Actor reporting: a user linked to an organisation (ActorReporter) updates the status and note
of the action-plan items that organisation is responsible for, and nothing else.

Each update is a new revision of the action plan, by that user, which editors see in the page's
history. It is published at once, unless the plan has unpublished editor changes: then it is
saved on top of them as a draft (publishing it would publish the editors' unfinished work), and an
editor publishes both. The status history (ActionPlanItemStatusChange) names the reporter."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import ActionPlanItem, ActorReporter
from .monitoring import is_overdue


def reported_organisations(user):
    if not user.is_authenticated:
        return []
    return list(ActorReporter.objects.filter(user=user).values_list("organisation_id", flat=True))


def reporter_items(user):
    """The Czech action-plan items `user` may update."""
    return (
        ActionPlanItem.objects.filter(
            responsible_id__in=reported_organisations(user),
            page__locale__language_code=settings.LANGUAGE_CODE,
        )
        .select_related("page", "measure", "responsible")
        .order_by("-page__year", "page_id", "sort_order", "pk")
    )


class ItemReportForm(forms.Form):
    status = forms.ChoiceField(label=_("stav plnění"), choices=ActionPlanItem.Status.choices)
    note = forms.CharField(
        label=_("poznámka"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@transaction.atomic
def report(item, user, status, note):
    """Store `status` and `note` on `item` as a new revision of its plan. Returns whether it
    was published."""
    plan = item.page.specific
    pending = plan.has_unpublished_changes
    base = plan.get_latest_revision_as_object() if pending else plan
    items = list(base.items.all())
    target = next((i for i in items if i.pk == item.pk), None)
    if target is None:  # an editor removed it in the draft
        raise Http404
    target.status, target.note = status, note
    base.items = items
    revision = base.save_revision(user=user, log_action=True)
    if not pending:
        # The reporter has no page permissions; this view checked what they may change.
        revision.publish(user=user, skip_permission_checks=True)
    return not pending


class ReporterItemsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "concept/admin/reporter_items.html"
    page_title = _("Plnění akčních plánů – moje položky")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not reported_organisations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = kwargs.get("bound")
        rows = []
        for item in reporter_items(self.request.user):
            form = (
                bound[1]
                if bound and bound[0] == item.pk
                else ItemReportForm(
                    initial={"status": item.status, "note": item.note}, prefix=f"i{item.pk}"
                )
            )
            rows.append((item, form, is_overdue(item.deadline, item.status)))
        context["rows"] = rows
        return context

    def post(self, request, *args, **kwargs):
        item_id = request.POST.get("item", "")
        item = None
        if item_id.isdigit():
            item = reporter_items(request.user).filter(pk=int(item_id)).first()
        if item is None:  # not one of the user's organisation's items
            raise PermissionDenied
        form = ItemReportForm(request.POST, prefix=f"i{item.pk}")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bound=(item.pk, form)))
        published = report(
            item, request.user, form.cleaned_data["status"], form.cleaned_data["note"]
        )
        if published:
            messages.success(
                request,
                _("Stav položky %(code)s byl uložen a zveřejněn.") % {"code": item.measure.code},
            )
        else:
            messages.success(
                request,
                _(
                    "Stav položky %(code)s byl uložen; zveřejní jej redakce "
                    "spolu s rozpracovanými změnami plánu."
                )
                % {"code": item.measure.code},
            )
        return redirect(reverse("concept_reporter_items"))
