"""Webhook subscribers and the log of their deliveries."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .webhooks import signing
from .webhooks.addresses import check_url

# The API resources an event can be about (the `resource` of an event, /api/v1/<resource>/).
RESOURCES = [
    ("platforms", "platforms"),
    ("meetings", "meetings"),
    ("concepts", "concepts"),
    ("recommendations", "recommendations"),
    ("action-plans", "action-plans"),
    ("organisations", "organisations"),
    ("people", "people"),
    ("venues", "venues"),
    ("pages", "pages"),
]


class WebhookSubscriber(models.Model):
    """A consumer that wants to hear about changes. Empty `resources`/`languages`: all."""

    name = models.CharField(_("název"), max_length=255)
    url = models.URLField(_("adresa (URL)"), max_length=1000)
    secret = models.CharField(
        _("tajný klíč"),
        max_length=200,
        default=signing.new_secret,
        help_text=_("whsec_ + base64, nejméně 24 bajtů; odběratel jím ověřuje podpis."),
    )
    resources = models.JSONField(_("zdroje"), default=list, blank=True)
    languages = models.JSONField(_("jazyky"), default=list, blank=True)
    active = models.BooleanField(_("aktivní"), default=True)
    created = models.DateTimeField(_("vytvořeno"), auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("secret"),
        FieldPanel("resources"),
        FieldPanel("languages"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("odběratel webhooků")
        verbose_name_plural = _("odběratelé webhooků")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        try:
            signing.secret_bytes(self.secret or "")
        except ValueError as exc:
            errors["secret"] = str(exc)
        try:
            check_url(self.url or "")
        except ValidationError as exc:
            errors["url"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def wants(self, resource, language):
        return (not self.resources or resource in self.resources) and (
            not self.languages or language in self.languages
        )


class WebhookDelivery(models.Model):
    """One event for one subscriber: its exact body, and how sending it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("čeká")
        SUCCEEDED = "succeeded", _("doručeno")
        FAILED = "failed", _("selhalo")

    subscriber = models.ForeignKey(
        WebhookSubscriber,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("odběratel"),
    )
    message_id = models.CharField(_("id zprávy"), max_length=64, unique=True)
    event_type = models.CharField(_("událost"), max_length=64)
    body = models.TextField(_("obsah"))  # the exact bytes signed and sent (UTF-8 JSON)
    status = models.CharField(
        _("stav"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("pokusy"), default=0)
    response_status = models.PositiveIntegerField(_("odpověď HTTP"), null=True, blank=True)
    last_error = models.TextField(_("poslední chyba"), blank=True)
    created = models.DateTimeField(_("vytvořeno"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("poslední pokus"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("další pokus"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("doručeno"), null=True, blank=True)

    class Meta:
        verbose_name = _("doručení webhooku")
        verbose_name_plural = _("doručení webhooků")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["subscriber", "-created"], name="webhook_delivery_log")]

    def __str__(self):
        return f"{self.event_type} → {self.subscriber}"
