"""Applying an uploaded Concept file. The editor sees a preview first; the import itself runs in
one transaction, in the request when it changes a handful of rows, otherwise in the task runner
(`manage.py run_tasks`): a Concept of hundreds of recommendations takes minutes, longer than a
web worker may take. The admin lists each import with its state; the editor gets an e-mail when
a background import ends. A failed import changes nothing and keeps its row errors."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ConceptImport
from .transfer import UNCHANGED, ImportErrors, RowError, import_concept

logger = logging.getLogger(__name__)


PREVIEW_KEPT_FOR = datetime.timedelta(days=1)


def inline_limit():
    """Imports creating or changing at most this many rows run in the request."""
    return getattr(settings, "CONCEPT_IMPORT_INLINE_LIMIT", 50)


def preview(concept, user, name, content, draft=False):
    """(ConceptImport, Result) of a dry run of the file; raises ImportErrors. The editor's
    earlier previews that were never applied are dropped, and anyone's older than a day."""
    result = import_concept(content, name, concept=concept, dry_run=True)
    # A preview nobody applied keeps its file (up to 10 MB): the editor's own go now, anyone's
    # after a day.
    previewed = ConceptImport.objects.filter(status=ConceptImport.Status.PREVIEWED)
    previewed.filter(Q(user=user) | Q(created_at__lt=timezone.now() - PREVIEW_KEPT_FOR)).delete()
    upload = ConceptImport.objects.create(
        concept=concept,
        user=user,
        file_name=name,
        content=content,
        draft=draft,
        counts=result.counts,
    )
    return upload, result


def submit(upload):
    """Apply a previewed upload now when it is small, else queue it. Returns the upload."""
    changes = sum(n for action, n in upload.counts.items() if action != UNCHANGED)
    if changes <= inline_limit():
        if not _claim(upload, ConceptImport.Status.PREVIEWED, ConceptImport.Status.RUNNING):
            return upload  # applied by a second click or tab meanwhile
        return run(upload, notify_user=False)
    if _claim(upload, ConceptImport.Status.PREVIEWED, ConceptImport.Status.QUEUED):
        transaction.on_commit(lambda: run_concept_import.enqueue(upload.pk))
    return upload


def _claim(upload, current, new):
    """Move the upload from `current` to `new` unless someone else did first (a double click,
    two task runners): one conditional UPDATE, so exactly one of them goes on."""
    claimed = ConceptImport.objects.filter(pk=upload.pk, status=current).update(status=new)
    upload.refresh_from_db(fields=["status"])
    return bool(claimed)


@task()
def run_concept_import(upload_id):
    upload = ConceptImport.objects.select_related("concept", "user").filter(pk=upload_id).first()
    if upload is None or not _claim(
        upload, ConceptImport.Status.QUEUED, ConceptImport.Status.RUNNING
    ):
        return  # gone, or already run by another runner
    run(upload)


def run(upload, notify_user=True):
    """Import the file; the upload ends done (with the counts) or failed (with the errors,
    nothing changed). Never raises. The caller has claimed it (status running)."""
    try:
        result = import_concept(
            bytes(upload.content),
            upload.file_name,
            concept=upload.concept,
            user=upload.user,
            draft=upload.draft,
        )
    except ImportErrors as errors:  # e.g. the Concept changed since the preview
        _finish(upload, errors=errors.errors)
    except Exception as exc:  # noqa: BLE001 - the transaction rolled back; the editor sees why
        logger.exception("Concept import %s failed", upload.pk)
        _finish(upload, errors=[RowError(None, None, str(exc) or type(exc).__name__)])
    else:
        upload.counts = result.counts
        _finish(upload)
    if notify_user:
        notify(upload)
    return upload


def _finish(upload, errors=()):
    upload.status = ConceptImport.Status.FAILED if errors else ConceptImport.Status.DONE
    upload.errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in errors]
    upload.finished_at = timezone.now()
    upload.content = b""  # applied or not, the file is no longer needed
    upload.save(update_fields=["status", "errors", "counts", "finished_at", "content"])


def summary(counts):
    """What an applied import did, in a sentence."""
    counts = {"create": 0, "change": 0, "unchanged": 0, **counts}
    return (
        _("Import dokončen: nových %(create)d, změněných %(change)d, beze změny %(unchanged)d.")
        % counts
    )


def notify(upload):
    """An e-mail to the editor who applied the import: its outcome and a link to the list."""
    user = upload.user
    if user is None or not user.email:
        return
    link = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + reverse("concept_data")
    if upload.status == ConceptImport.Status.DONE:
        subject = _("Import koncepce dokončen: %(file)s") % {"file": upload.file_name}
        body = summary(upload.counts)
    else:
        subject = _("Import koncepce selhal: %(file)s") % {"file": upload.file_name}
        body = _("Nic nebylo změněno. Chyby: %(n)d.") % {"n": len(upload.errors)}
    try:
        send_mail(subject, f"{body}\n\n{link}\n", None, [user.email])
    except Exception:  # noqa: BLE001 - the outcome is in the admin either way
        logger.warning("Could not notify %s about Concept import %s", user.pk, upload.pk)
