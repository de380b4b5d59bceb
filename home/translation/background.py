"""Translation jobs in the background: starting a whole tree, syncing, exporting and importing PO
files. The admin queues a `TranslationJob` and the task runner (`manage.py run_tasks`) runs it
in batches; the management commands run the same steps in the foreground with a progress bar.

Each batch is one transaction: the objects of a batch are all done or, on an error, rolled back,
and then retried one by one so that the job finishes every object before the one that fails and
names it. The keys of finished objects are stored with the job, so rerunning a failed job skips
them and finishes the rest.
"""

import logging
import sys

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from .models import TranslationJob

logger = logging.getLogger(__name__)

BATCH_SIZE = 50


def batch_size():
    return getattr(settings, "TRANSLATION_JOB_BATCH_SIZE", BATCH_SIZE)


def inline_limit():
    """Jobs with at most this many objects run in the request itself (a handful of pages takes
    a second or two)."""
    return getattr(settings, "TRANSLATION_JOB_INLINE_LIMIT", 20)


# --- What each kind of job does ------------------------------------------------------------


class StartHandler:
    """Translate a page with its subtree into the job's language (drafts)."""

    def plan(self, job):
        root = Page.objects.get(pk=job.params["page"])
        pages = (
            Page.objects.descendant_of(root, inclusive=True)
            if job.params.get("subtree")
            else (Page.objects.filter(pk=root.pk))
        )
        return [str(pk) for pk in pages.order_by("path").values_list("pk", flat=True)]

    def run(self, job, keys):
        from .jobs import start_objects

        pages = list(Page.objects.filter(pk__in=keys).order_by("path").specific())
        start_objects(pages, [job.locale], user=job.user)

    def describe(self, job, key):
        page = Page.objects.filter(pk=key).first()
        return f"{page.title} (ID {key})" if page else f"ID {key}"


class SyncHandler:
    """Re-extract the Czech sources (of a page's subtree, or all) and publish the translations
    that are complete and live, as publishing the Czech page does."""

    def plan(self, job):
        sources = TranslationSource.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if job.params.get("page"):
            root = Page.objects.get(pk=job.params["page"])
            keys = Page.objects.descendant_of(root, inclusive=True).values_list(
                "translation_key", flat=True
            )
            sources = sources.filter(object_id__in=keys)
        return [str(pk) for pk in sources.order_by("pk").values_list("pk", flat=True)]

    def run(self, job, keys):
        from .jobs import sync_sources

        sync_sources(TranslationSource.objects.filter(pk__in=keys), user=job.user)

    def describe(self, job, key):
        source = TranslationSource.objects.filter(pk=key).first()
        return f"{source.object_repr} (source {key})" if source else f"source {key}"


class ExportHandler:
    """PO files of a page's subtree (or of everything) into the job's payload, starting the
    translation of what is not translated yet when the user may start translations."""

    def plan(self, job):
        from .po import all_source_objects, export_object_list

        if job.params.get("page"):
            roots = [Page.objects.get(pk=job.params["page"]).specific]
            snippets = []
        else:
            roots, snippets = all_source_objects()
        objects = export_object_list(job.locale, roots, job.params.get("subtree", True), snippets)
        return [object_key(o) for o in objects]

    def run(self, job, keys):
        from .po import export_objects

        files = export_objects(
            job.locale,
            load_objects(keys),
            user=job.user,
            start_missing=job.params.get("start_missing", True),
        )
        job.payload.update({f.name: f.content for f in files})

    def describe(self, job, key):
        objects = load_objects([key])
        return f"{objects[0]} ({key})" if objects else key


class ImportHandler:
    """PO files (the job's payload) into the job's language, saved as drafts or published. Every
    file is checked before anything is written (locale, translation id)."""

    def plan(self, job):
        from .po import _in_tree_order, check_po_files

        checked = _in_tree_order(check_po_files(sorted(job.payload.items()), job.locale))
        return [name for name, _po, _translation in checked]

    def run(self, job, keys):
        from .po import check_po_files, import_checked

        checked = check_po_files([(name, job.payload[name]) for name in keys], job.locale)
        import_checked(
            checked,
            publish=job.params.get("publish", False),
            user=job.user,
            allow_unknown=job.params.get("allow_unknown", False),
        )

    def describe(self, job, key):
        return key


HANDLERS = {
    TranslationJob.Kind.START: StartHandler(),
    TranslationJob.Kind.SYNC: SyncHandler(),
    TranslationJob.Kind.EXPORT: ExportHandler(),
    TranslationJob.Kind.IMPORT: ImportHandler(),
}


def object_key(instance):
    if isinstance(instance, Page):
        return f"page:{instance.pk}"
    return f"{instance._meta.label_lower}:{instance.pk}"


def load_objects(keys):
    """The objects named by `object_key`s, in the order given (one query per model)."""
    from django.apps import apps

    by_model = {}
    for key in keys:
        label, pk = key.rsplit(":", 1)
        by_model.setdefault(label, []).append(int(pk))
    found = {}
    for label, pks in by_model.items():
        if label == "page":
            rows = Page.objects.filter(pk__in=pks).specific()
        else:
            rows = apps.get_model(label).objects.filter(pk__in=pks)
        for row in rows:
            found[object_key(row)] = row
    return [found[key] for key in keys if key in found]


# --- Running a job -------------------------------------------------------------------------


def create_job(kind, user=None, locale=None, params=None, payload=None):
    return TranslationJob.objects.create(
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        locale=locale,
        params=params or {},
        payload=payload or {},
    )


def submit(job):
    """Run the job now when it is small, else queue it for the task runner. Returns the job."""
    try:
        size = len(HANDLERS[job.kind].plan(job))
    except Exception:  # noqa: BLE001 - the run reports the error as the job's reason
        size = 0
    if size <= inline_limit():
        return run_job(job, notify_user=False)
    run_translation_job.enqueue(job.pk)
    return job


def rerun(job):
    """Queue a failed (or stalled, see `TranslationJob.stalled`) job again; it skips the
    objects it finished before."""
    TranslationJob.objects.filter(pk=job.pk).update(
        status=TranslationJob.Status.QUEUED, error="", finished_at=None
    )
    run_translation_job.enqueue(job.pk)


@task()
def run_translation_job(job_id):
    job = TranslationJob.objects.select_related("locale", "user").filter(pk=job_id).first()
    if job is None or job.status == TranslationJob.Status.DONE:
        return
    run_job(job)


def run_job(job, progress=None, notify_user=True):
    """Run `job` batch by batch; `progress(done, total)` is called after each batch. The job
    ends done or failed (with the reason); it never raises."""
    handler = HANDLERS[job.kind]
    job.status = TranslationJob.Status.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.error = ""
    job.save(update_fields=["status", "started_at", "heartbeat_at", "error"])
    try:
        keys = handler.plan(job)
    except Exception as exc:  # noqa: BLE001 - shown to the editor as the reason
        return _finish(job, failed=describe_error(exc), notify_user=notify_user)
    completed = set(job.completed)
    job.total = len(keys)
    job.done = sum(1 for key in keys if key in completed)
    job.save(update_fields=["total", "done"])
    todo = [key for key in keys if key not in completed]
    size = batch_size()
    for start in range(0, len(todo), size):
        batch = todo[start : start + size]
        finished, error = _run_batch(handler, job, batch)
        if finished:
            job.completed = [*job.completed, *finished]
            job.done += len(finished)
            job.heartbeat_at = timezone.now()
            job.save(update_fields=["completed", "done", "payload", "heartbeat_at"])
        if progress:
            progress(job.done, job.total)
        if error:
            return _finish(job, failed=error, notify_user=notify_user)
    return _finish(job, notify_user=notify_user)


def _run_batch(handler, job, batch):
    """(finished keys, error or None). The batch in one transaction; when it fails, object by
    object, up to the first one that fails."""
    payload = dict(job.payload)
    try:
        with transaction.atomic():
            handler.run(job, batch)
        return batch, None
    except Exception:  # noqa: BLE001 - find the object that fails, below
        job.payload = payload
    finished = []
    for key in batch:
        try:
            with transaction.atomic():
                handler.run(job, [key])
        except Exception as exc:  # noqa: BLE001 - the reason, shown in the admin
            logger.warning("Translation job %s failed at %s", job.pk, key, exc_info=True)
            return finished, f"{handler.describe(job, key)}: {describe_error(exc)}"
        finished.append(key)
    return finished, None


def describe_error(exc):
    messages = getattr(exc, "messages", None)
    if messages:
        return "; ".join(str(m) for m in messages)
    return str(exc) or type(exc).__name__


def _finish(job, failed=None, notify_user=True):
    job.status = TranslationJob.Status.FAILED if failed else TranslationJob.Status.DONE
    job.error = failed or ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    if notify_user:
        notify(job)
    return job


def notify(job):
    """An e-mail to the editor who started the job, with its outcome and a link to it."""
    user = job.user
    if user is None or not user.email:
        return
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    link = base + reverse("translation_job", args=[job.pk])
    if job.status == TranslationJob.Status.DONE:
        subject = _("Překladová úloha dokončena: %(job)s") % {"job": job.get_kind_display()}
        body = _("Hotovo: %(done)d z %(total)d.") % {"done": job.done, "total": job.total}
    else:
        subject = _("Překladová úloha selhala: %(job)s") % {"job": job.get_kind_display()}
        body = _("Hotovo %(done)d z %(total)d. Důvod: %(reason)s") % {
            "done": job.done,
            "total": job.total,
            "reason": job.error,
        }
    try:
        send_mail(subject, f"{body}\n\n{link}\n", None, [user.email])
    except Exception:  # noqa: BLE001 - the job's outcome is in the admin either way
        logger.warning("Could not notify %s about translation job %s", user.pk, job.pk)


# --- The terminal ------------------------------------------------------------------------------


class ProgressBar:
    """`n/N [#####.....]` redrawn in place, for the management commands; silent when the output
    is not a terminal (logs, tests)."""

    def __init__(self, stream=None, label="", width=30):
        self.stream = stream or sys.stderr
        self.label = label
        self.width = width
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done, total):
        if not self.active or not total:
            return
        filled = int(self.width * done / total)
        bar = "#" * filled + "." * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}{end}")
        self.stream.flush()
