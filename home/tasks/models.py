"""The schedule's memory: which period each scheduled task was last enqueued for."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledTaskSlot(models.Model):
    """One row per scheduled task. A runner enqueues the task only when it moves `slot` (the
    number of the current period since the epoch) forward in one conditional UPDATE, so however
    many runners tick in the same period, exactly one of them enqueues it."""

    task_path = models.CharField(_("úloha"), max_length=255, unique=True)
    slot = models.BigIntegerField(_("poslední období"))
    enqueued_at = models.DateTimeField(_("naposledy zařazeno"), null=True, blank=True)

    class Meta:
        verbose_name = _("naplánovaná úloha")
        verbose_name_plural = _("naplánované úlohy")

    def __str__(self):
        return self.task_path
