"""The webhook admin (Settings → Webhooky): subscribers, each one's delivery log, replay."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from home.localization import content_languages
from syndication.models import RESOURCES, WebhookDelivery, WebhookSubscriber

from .delivery import replay

LOG_SIZE = 100  # the latest deliveries shown per subscriber


class WebhookSubscriberForm(WagtailAdminModelForm):
    resources = forms.MultipleChoiceField(
        label=_("Zdroje"),
        choices=RESOURCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nic nezaškrtnuto: všechny."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Jazyky"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nic nezaškrtnuto: všechny."),
    )

    class Meta:
        model = WebhookSubscriber
        fields = ["name", "url", "secret", "resources", "languages", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = [(code, code) for code in content_languages()]


def can_manage(user):
    return user.has_perm("syndication.change_webhooksubscriber")


class DeliveryLogView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "syndication/delivery_log.html"
    header_icon = "resubmit"

    def dispatch(self, request, pk):
        if not can_manage(request.user):
            raise PermissionDenied
        self.subscriber = get_object_or_404(WebhookSubscriber, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Doručení webhooků: %(name)s") % {"name": self.subscriber.name}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "subscriber": self.subscriber,
            "deliveries": self.subscriber.deliveries.all()[:LOG_SIZE],
            "failed": WebhookDelivery.Status.FAILED,
        }


@require_POST
def replay_view(request, pk):
    if not can_manage(request.user):
        raise PermissionDenied
    delivery = get_object_or_404(WebhookDelivery, pk=pk, status=WebhookDelivery.Status.FAILED)
    replay(delivery)
    messages.success(request, _("Doručení bylo znovu zařazeno k odeslání."))
    return redirect("webhook_deliveries", pk=delivery.subscriber_id)


class DeliveryLogColumn(Column):
    def get_value(self, instance):
        return _("Doručení")

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["link"] = reverse("webhook_deliveries", args=[instance.pk])
        return context

    cell_template_name = "syndication/delivery_log_cell.html"


class WebhookSubscriberViewSet(ModelViewSet):
    model = WebhookSubscriber
    icon = "resubmit"
    menu_label = _("Webhooky")
    add_to_settings_menu = True
    menu_order = 900
    name = "webhooks"
    list_display = ["name", "url", "active", DeliveryLogColumn("log", label=_("Log"))]

    def get_form_class(self, for_update=False):
        return WebhookSubscriberForm


def admin_urls():
    return [
        path("webhooks/<int:pk>/deliveries/", DeliveryLogView.as_view(), name="webhook_deliveries"),
        path("webhooks/deliveries/<int:pk>/replay/", replay_view, name="webhook_replay"),
    ]
