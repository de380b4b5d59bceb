"""Big translation work runs as background jobs (issue 12): queued, running n of N, done or failed
with the reason; a failed job leaves whole objects only and a rerun finishes the rest; drafts stay
invisible to readers; starting and syncing take the same number of queries for N and 10·N pages."""

import datetime
import io
import zipfile
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from home.translation import jobs
from home.translation.background import ProgressBar, create_job, run_job, run_translation_job
from home.translation.bulk import ensure_sources
from home.translation.models import TranslationJob
from home.translation.roles import EDITOR_GROUP, translator_group_name
from platforms.models import MeetingPage

from .content import build_site, filled_uploads, locale

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def add_meetings(platform, count, start=0):
    for n in range(start, start + count):
        meeting = MeetingPage(
            title=f"Setkání číslo {n}",
            slug=f"setkani-{n}",
            date=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
            topic=f"Téma {n}",
        )
        platform.add_child(instance=meeting)
        meeting.save_revision().publish()


def uk_pages(keys):
    return Page.objects.filter(translation_key__in=keys, locale__language_code="uk")


@override_settings(TASKS=DUMMY_TASKS, TRANSLATION_JOB_INLINE_LIMIT=0, TRANSLATION_JOB_BATCH_SIZE=2)
class TranslateSubtreeJobTests(TestCase):
    """ "Translate this page" with "Include subtree" in the admin, as an editor does it."""

    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk = locale("uk")
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")

    def setUp(self):
        default_task_backend.clear()
        self.client.force_login(self.editor)

    def translate_platform_subtree(self):
        platform = self.c["platform"]
        response = self.client.post(
            reverse("wagtail_localize:submit_page_translation", args=[platform.pk]),
            {"locales": [self.uk.pk], "include_subtree": "on"},
        )
        self.assertEqual(response.status_code, 302)
        return TranslationJob.objects.get()

    def run_queued(self):
        (result,) = [
            r for r in default_task_backend.results if r.task.name == run_translation_job.name
        ]
        default_task_backend.clear()
        run_translation_job.call(*result.args)

    def test_subtree_is_queued_then_runs_with_progress(self):
        meetings = self.c["meetings"]
        job = self.translate_platform_subtree()
        # The request translated the page itself; its two meetings wait for the runner.
        self.assertEqual((job.status, job.kind), (TranslationJob.Status.QUEUED, "start"))
        self.assertFalse(uk_pages([m.translation_key for m in meetings]).exists())
        page = self.client.get(reverse("translation_job", args=[job.pk]))
        self.assertContains(page, "čeká ve frontě")

        self.run_queued()

        job.refresh_from_db()
        self.assertEqual((job.status, job.done, job.total), ("done", 3, 3))
        drafts = uk_pages([m.translation_key for m in meetings])
        self.assertEqual(drafts.count(), 2)
        self.assertFalse(drafts.filter(live=True).exists())
        page = self.client.get(reverse("translation_job", args=[job.pk]))
        self.assertContains(page, "hotovo (3)")
        # The editor who started it is told.
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["editor@example.org"])
        self.assertIn(reverse("translation_job", args=[job.pk]), mail.outbox[0].body)
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, f'data-job="{job.pk}"')

    def test_progress_is_reported_after_each_batch(self):
        job = create_job(
            TranslationJob.Kind.START,
            locale=self.uk,
            params={"page": self.c["home"].pk, "subtree": True},
        )
        seen = []
        run_job(job, progress=lambda done, total: seen.append((done, total)))
        self.assertEqual(seen, [(2, 5), (4, 5), (5, 5)])  # batches of two, five pages
        self.assertEqual(TranslationJob.objects.get(pk=job.pk).done, 5)

    def test_failed_job_keeps_whole_objects_and_a_rerun_finishes_the_rest(self):
        meetings = self.c["meetings"]
        broken = meetings[1]
        original = jobs.start_objects

        def failing(instances, *args, **kwargs):
            if any(i.pk == broken.pk for i in instances):
                raise ValueError("disk full")
            return original(instances, *args, **kwargs)

        job = create_job(
            TranslationJob.Kind.START,
            user=self.editor,
            locale=self.uk,
            params={"page": self.c["home"].pk, "subtree": True},
        )
        with mock.patch.object(jobs, "start_objects", failing):
            run_job(job)
        job.refresh_from_db()
        self.assertEqual(job.status, TranslationJob.Status.FAILED)
        self.assertIn(broken.title, job.error)
        self.assertIn("disk full", job.error)
        # Home, index, platform, the first meeting: done; the broken meeting rolled back whole.
        self.assertEqual(job.done, 4)
        self.assertTrue(uk_pages([meetings[0].translation_key]).exists())
        self.assertFalse(uk_pages([broken.translation_key]).exists())
        self.assertFalse(
            TranslationSource.objects.filter(object_id=broken.translation_key).exists()
        )
        page = self.client.get(reverse("translation_job", args=[job.pk]))
        self.assertContains(page, "disk full")
        self.assertContains(page, "Spustit znovu")

        self.client.post(reverse("translation_job", args=[job.pk]))  # rerun
        self.run_queued()

        job.refresh_from_db()
        self.assertEqual((job.status, job.done, job.total), ("done", 5, 5))
        for meeting in meetings:  # each page translated once, the first not again
            self.assertEqual(uk_pages([meeting.translation_key]).count(), 1)
        self.assertEqual(
            Translation.objects.filter(
                source__object_id=meetings[0].translation_key, target_locale=self.uk
            ).count(),
            1,
        )

    def test_a_page_that_does_not_validate_fails_the_job_instead_of_counting_as_done(self):
        meetings = self.c["meetings"]
        broken = meetings[1]
        MeetingPage.objects.filter(pk=broken.pk).update(title="")  # e.g. data of an old release
        job = create_job(
            TranslationJob.Kind.START,
            user=self.editor,
            locale=self.uk,
            params={"page": self.c["home"].pk, "subtree": True},
        )
        run_job(job)
        job.refresh_from_db()
        self.assertEqual((job.status, job.done, job.total), ("failed", 4, 5))
        self.assertIn(f"(ID {broken.pk}): ", job.error)
        self.assertFalse(uk_pages([broken.translation_key]).exists())

        MeetingPage.objects.filter(pk=broken.pk).update(title="Setkání 24. 6. 2020")
        run_job(job)  # the rerun an editor starts once the page is fixed
        job.refresh_from_db()
        self.assertEqual((job.status, job.done, job.total), ("done", 5, 5))
        self.assertEqual(uk_pages([broken.translation_key]).count(), 1)

    def test_only_a_failed_job_can_be_rerun_and_others_cannot_see_it(self):
        job = create_job(
            TranslationJob.Kind.START, user=self.editor, locale=self.uk, params={"page": 0}
        )
        run_job(job)
        job.refresh_from_db()
        self.assertEqual(job.status, "failed")  # no such page: failed with the reason
        self.assertTrue(job.error)
        translator = get_user_model().objects.create_user("tr", password="pw")
        translator.groups.add(Group.objects.get(name=translator_group_name("uk")))
        self.client.force_login(translator)
        response = self.client.get(reverse("translation_jobs"))
        self.assertEqual(response.status_code, 200, response.get("Location"))
        self.assertNotContains(response, f'data-job="{job.pk}"')  # an editor's job
        url = reverse("translation_job", args=[job.pk])
        self.assertEqual(self.client.get(url, follow=True).status_code, 404)
        self.assertEqual(self.client.post(url, follow=True).status_code, 404)
        self.assertEqual(TranslationJob.objects.get(pk=job.pk).status, "failed")  # not rerun
        self.assertFalse(default_task_backend.results)
        anonymous = self.client_class()
        response = anonymous.get(reverse("translation_jobs"))
        self.assertNotEqual(response.status_code, 200)

    def test_a_job_left_running_by_a_killed_worker_can_be_rerun(self):
        job = create_job(
            TranslationJob.Kind.START,
            user=self.editor,
            locale=self.uk,
            params={"page": self.c["platform"].pk, "subtree": True},
        )
        started = timezone.now() - datetime.timedelta(minutes=30)
        TranslationJob.objects.filter(pk=job.pk).update(
            status=TranslationJob.Status.RUNNING, started_at=started, heartbeat_at=started
        )
        url = reverse("translation_job", args=[job.pk])
        with override_settings(TRANSLATION_JOB_STALL_SECONDS=3600):  # still beating: no rerun
            self.assertNotContains(self.client.get(url), "Spustit znovu")
            self.client.post(url)
            self.assertEqual(TranslationJob.objects.get(pk=job.pk).status, "running")
            self.assertFalse(default_task_backend.results)
        page = self.client.get(url)  # 30 minutes without a batch (the default limit is 10)
        self.assertContains(page, "nejspíš skončil")
        self.assertContains(page, "Spustit znovu")
        self.client.post(url)
        self.assertEqual(TranslationJob.objects.get(pk=job.pk).status, "queued")
        self.run_queued()
        job.refresh_from_db()
        self.assertEqual((job.status, job.done, job.total), ("done", 3, 3))
        self.assertEqual(uk_pages([m.translation_key for m in self.c["meetings"]]).count(), 2)

    def test_nothing_is_visible_to_readers_before_publishing(self):
        platform = self.c["platform"]
        job = create_job(
            TranslationJob.Kind.START,
            locale=self.uk,
            params={"page": self.c["home"].pk, "subtree": True},
        )
        run_job(job)
        draft = platform.get_translation(self.uk)
        draft.title = "Регіональна платформа"
        draft.save_revision()  # a translator's draft, not published
        self.assertFalse(Page.objects.filter(locale=self.uk, live=True).exists())
        response = self.client_class().get("/uk/poradni-platformy/regionalni-platforma/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Регіональна платформа")
        self.assertContains(response, "Regionální poradní platforma")

    def test_progress_bar_only_on_a_terminal(self):
        class Terminal:
            def __init__(self, tty):
                self.tty, self.text = tty, ""

            def isatty(self):
                return self.tty

            def write(self, text):
                self.text += text

            def flush(self):
                pass

        terminal, log = Terminal(True), Terminal(False)
        for stream in (terminal, log):
            bar = ProgressBar(stream, "start", width=10)
            bar(5, 10)
            bar(10, 10)
        self.assertIn("[#####.....] 5/10", terminal.text)
        self.assertTrue(terminal.text.endswith("[##########] 10/10\n"))
        self.assertEqual(log.text, "")


class QueryCountTests(TestCase):
    """Sources, segments and translation records of a batch: the same queries for N and 10·N
    pages. (Each draft page is still created by wagtail-localize, page by page.)"""

    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk = locale("uk")

    def meetings(self, count, start):
        platform = Page.objects.get(pk=self.c["platform"].pk)
        add_meetings(platform, count, start)
        return list(MeetingPage.objects.filter(title__startswith="Setkání číslo", pk__gt=self.last))

    def count(self, fn):
        with CaptureQueriesContext(connection) as queries:
            fn()
        return len(queries)

    def start_and_sync_queries(self, count, start=0):
        self.last = Page.objects.order_by("-pk").values_list("pk", flat=True).first()
        pages = self.meetings(count, start)
        start = self.count(lambda: ensure_sources(pages))
        sources = list(
            TranslationSource.objects.filter(object_id__in=[p.translation_key for p in pages])
        )
        records = self.count(lambda: jobs.ensure_translations(sources, [self.uk]))
        self.assertEqual(len(sources), count)
        segments = StringSegment.objects.filter(source__in=sources).count()
        self.assertEqual(segments % count, 0)  # the same segments for every meeting
        self.assertGreater(segments, 0)
        for page in pages:
            page.topic += " (změněno)"
        sync = self.count(lambda: ensure_sources(pages, update=True))
        resync = self.count(lambda: jobs.sync_sources(sources, force=True))
        return start, records, sync, resync

    def test_start_and_sync_queries_do_not_grow_with_pages(self):
        small = self.start_and_sync_queries(2)
        large = self.start_and_sync_queries(20, start=100)
        self.assertEqual(small, large)


@override_settings(TRANSLATION_JOB_INLINE_LIMIT=1)
class POFileJobTests(TestCase):
    """An export or upload of more than a handful of files from *Překlady (PO)* becomes a job
    (the test settings' immediate task backend runs it at once)."""

    def setUp(self):
        self.c = build_site()
        self.editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw")
        self.editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
        self.client.force_login(self.editor)
        self.url = reverse("translation_po_files")

    def test_export_and_import_jobs(self):
        response = self.client.post(
            self.url,
            {
                "export-locale": locale("uk").pk,
                "export-page": self.c["platform"].pk,
                "export-include_subtree": "on",
            },
        )
        job = TranslationJob.objects.get(kind="export")
        self.assertRedirects(response, reverse("translation_job", args=[job.pk]))
        self.assertEqual((job.status, job.done, job.total), ("done", 5, 5))  # 2 parents
        page = self.client.get(reverse("translation_job", args=[job.pk]))
        self.assertContains(page, reverse("translation_job_zip", args=[job.pk]))
        archive = zipfile.ZipFile(
            io.BytesIO(self.client.get(reverse("translation_job_zip", args=[job.pk])).content)
        )
        files = filled_uploads(archive)
        self.assertGreater(len(files), 1)

        response = self.client.post(
            self.url, {"import-locale": locale("uk").pk, "import-files": files}
        )
        job = TranslationJob.objects.get(kind="import")
        self.assertRedirects(response, reverse("translation_job", args=[job.pk]))
        self.assertEqual((job.status, job.done, job.total), ("done", len(files), len(files)))
        uk_platform = self.c["platform"].get_translation(locale("uk"))
        self.assertFalse(uk_platform.live)  # saved as a draft: readers see nothing yet
        self.assertEqual(
            uk_platform.get_latest_revision_as_object().title, "УК Regionální poradní platforma"
        )

    def test_bad_upload_is_refused_before_anything_is_queued(self):
        files = [SimpleUploadedFile(f"{n}.po", b'msgid ""\nmsgstr ""\n') for n in range(3)]
        response = self.client.post(
            self.url, {"import-locale": locale("uk").pk, "import-files": files}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "X-WagtailLocalize-TranslationID")
        self.assertFalse(TranslationJob.objects.exists())
