"""A translation job: starting a whole tree, syncing, exporting or importing PO files, run by the
task runner (`manage.py run_tasks`) and shown in the admin (home/translation/background.py)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationJob(models.Model):
    class Kind(models.TextChoices):
        START = "start", _("Zahájení překladu")
        SYNC = "sync", _("Synchronizace se zdrojem")
        EXPORT = "export", _("Export souborů PO")
        IMPORT = "import", _("Import souborů PO")

    class Status(models.TextChoices):
        QUEUED = "queued", _("čeká ve frontě")
        RUNNING = "running", _("běží")
        DONE = "done", _("hotovo")
        FAILED = "failed", _("selhalo")

    kind = models.CharField(_("druh"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("stav"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zadal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("jazyk"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What to do: {"page": id, "subtree": bool, "publish": bool, …} (see background.HANDLERS).
    params = models.JSONField(_("parametry"), default=dict, blank=True)
    # Import: the uploaded files {name: text}; export: the files written so far {name: text}.
    payload = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(_("celkem"), default=0)
    done = models.PositiveIntegerField(_("hotovo"), default=0)
    # Keys of the objects finished (committed); a rerun skips them and finishes the rest.
    completed = models.JSONField(default=list, blank=True)
    error = models.TextField(_("důvod selhání"), blank=True)
    created_at = models.DateTimeField(_("zadáno"), auto_now_add=True)
    started_at = models.DateTimeField(_("spuštěno"), null=True, blank=True)
    finished_at = models.DateTimeField(_("dokončeno"), null=True, blank=True)
    # Written when the job starts and after each batch: a running job whose worker was killed
    # stops beating, and after `stall_seconds()` it may be rerun (see `stalled`).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("překladová úloha")
        verbose_name_plural = _("překladové úlohy")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def stalled(self):
        """Running, but no batch finished for longer than a batch can take: the worker that ran
        it is gone (killed, restarted) and nobody will finish it unless it is rerun."""
        if self.status != self.Status.RUNNING:
            return False
        beat = self.heartbeat_at or self.started_at
        limit = settings.TRANSLATION_JOB_STALL_SECONDS
        return beat is None or timezone.now() - beat > datetime.timedelta(seconds=limit)

    @property
    def can_rerun(self):
        return self.status == self.Status.FAILED or self.stalled

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
