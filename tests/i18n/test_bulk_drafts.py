"""The draft pages a translation job creates in bulk (home/translation/drafts.py) are the pages
wagtail-localize creates one by one (`Translation.save_target`): the same tree, addresses,
content, inline children and draft state, in a constant number of queries."""

import contextlib
from datetime import datetime
from unittest import mock

import polib
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageLogEntry
from wagtail_localize.models import StringSegment, StringTranslation, TranslationLog

from concept.models import (
    AreaPage,
    ConceptApproval,
    ConceptPage,
    Measure,
    PriorityPage,
    RecommendationActor,
    RecommendationPage,
)
from home.models import ContentChange, Organisation
from home.translation import draft_updates, jobs
from home.translation.bulk import ensure_sources
from home.translation.po import export_translations, import_translations, render_pos
from home.translation.strings import import_po_files
from home.translation.url_paths import repair_url_paths
from platforms.models import PlatformPage

from .content import build_site, locale, publish


def one_by_one(translations, user=None):
    """The per-page path the bulk one replaces (wagtail-localize's own)."""
    for translation in translations:
        with contextlib.suppress(ValidationError):
            translation.save_target(user=user, publish=False)


class _Rollback(Exception):
    pass


def add_concept(home, recommendations=2):
    organisation = Organisation.objects.create(name="Centrum pro integraci", category="ngo")
    concept = ConceptPage(title="Koncepce", slug="koncepce", period_from=2022, period_to=2027)
    concept.approvals = [ConceptApproval(body="council", resolution_number="123/2022")]
    home.add_child(instance=concept)
    publish(concept)
    priority = concept.add_child(instance=PriorityPage(title="Priorita", slug="p1", number=1))
    publish(priority)
    area = priority.add_child(instance=AreaPage(title="Oblast", slug="a", code="1.A"))
    publish(area)
    for n in range(1, recommendations + 1):
        rec = RecommendationPage(
            title=f"Doporučení {n}",
            slug=f"d{n}",
            code=f"1.A.{n}",
            description=f"<p>Popis <b>doporučení</b> {n}</p>",
        )
        rec.measures = [
            Measure(code=f"1.A.{n}.I", text=f"Opatření {n}.I"),
            Measure(code=f"1.A.{n}.II", text=f"Opatření {n}.II"),
        ]
        rec.actors = [RecommendationActor(organisation=organisation, role="lead")]
        area.add_child(instance=rec)
        publish(rec)
    return ConceptPage.objects.get(pk=concept.pk)


def without_ids(data):
    """A log entry's data without the ids of the pages (new rows in each run)."""
    if isinstance(data, dict):
        return {k: without_ids(v) for k, v in data.items() if k != "id"}
    return data


def snapshot(keys, uk):
    """Everything a reader, an editor or the API could tell about the uk drafts of `keys`."""
    pages = {
        p.translation_key: p
        for p in Page.objects.filter(translation_key__in=keys, locale=uk).specific()
    }
    result = {}
    for key, page in pages.items():
        fields = {
            f.attname: getattr(page, f.attname)
            for f in page._meta.concrete_fields
            if f.attname
            not in {
                "id",
                "page_ptr_id",
                "latest_revision_id",
                "latest_revision_created_at",
                "locale_id",
            }
        }
        revision = page.latest_revision
        content = dict(revision.content)
        # Fields of a revision that are not read back (the page's own win: with_content_json).
        ignored = (
            "url_path",  # recomputed from the tree when read back (with_content_json)
            "latest_revision",
            "latest_revision_created_at",
            "path",
            "numchild",
            "draft_title",
        )
        for name in ("pk", *ignored):
            content.pop(name, None)
        for relation in ("measures", "actors", "approvals"):
            for child in content.get(relation, []):
                child.pop("pk", None)
                child.pop("page", None)
        children = {}
        for relation in ("measures", "actors", "approvals"):
            if hasattr(page, relation):
                children[relation] = [
                    {k: v for k, v in vars(child).items() if k not in {"_state", "id", "page_id"}}
                    for child in getattr(page, relation).order_by("sort_order")
                ]
        result[key] = {
            "fields": fields,
            "locale": page.locale.language_code,
            "revision": content,
            "revision_is_latest": revision.object_id == str(page.pk),
            "children": children,
            "parent": page.get_parent().translation_key,
            "log": sorted(
                (action, label, user, changed, without_ids(data))
                for action, label, user, changed, data in PageLogEntry.objects.filter(
                    page=page
                ).values_list("action", "label", "user_id", "content_changed", "data")
            ),
            "translation_logs": TranslationLog.objects.filter(
                source__object_id=key, locale=uk
            ).count(),
            "searchable": Page.objects.filter(pk=page.pk).search(page.title).count(),
        }
    result["changes"] = sorted(
        ContentChange.objects.filter(language="uk").values_list("model", "translation_key")
    )
    return result


class BulkDraftsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.concept = add_concept(cls.c["home"])
        cls.uk = locale("uk")

    def subtree(self):
        return jobs.job_objects(self.concept, include_subtree=True)

    def start(self, path):
        """Translate the Concept's subtree (its parent, the home page, too: it is missing) by
        `path` ("bulk" or the per-page path), returning the snapshot; rolled back."""
        keys = [p.translation_key for p in Page.objects.all()]
        try:
            with transaction.atomic():
                if path == "bulk":
                    jobs.start_objects(self.subtree(), [self.uk])
                else:
                    with mock.patch("home.translation.drafts.create_page_drafts", one_by_one):
                        jobs.start_objects(self.subtree(), [self.uk])
                result = snapshot(keys, self.uk)
                raise _Rollback
        except _Rollback:
            pass
        return result

    maxDiff = None

    def test_bulk_pages_equal_pages_made_one_by_one(self):
        # A title translated before the start (translation memory) reaches the draft both ways.
        rec = RecommendationPage.objects.get(code="1.A.2", locale__language_code="cs")
        ensure_sources([rec])
        segment = StringSegment.objects.get(
            source__object_id=rec.translation_key, context__path="title"
        )
        StringTranslation.objects.create(
            translation_of=segment.string,
            context=segment.context,
            locale=self.uk,
            data="Рекомендація 2",
        )
        bulk, reference = self.start("bulk"), self.start("one by one")
        self.assertEqual(len(bulk) - 1, 1 + 3 + 2)  # home (its parent), the Concept tree
        self.assertEqual(bulk.keys(), reference.keys())
        for key in reference:
            self.assertEqual(bulk[key], reference[key], key)
        translated = bulk[rec.translation_key]["fields"]
        self.assertEqual(translated["title"], "Рекомендація 2")
        self.assertFalse(translated["live"])
        self.assertTrue(translated["has_unpublished_changes"])
        self.assertIsNone(translated["alias_of_id"])
        self.assertEqual(translated["url_path"], "/mhmp-uk/koncepce/p1/a/d2/")

    def test_slugs_stay_unique_under_a_parent_with_pages_in_the_language(self):
        """A uk page already under the area with the slug a new draft would take: the draft
        gets Wagtail's suffix, and the area's numchild counts both."""
        jobs.start_objects(
            [p for p in self.subtree() if not isinstance(p, RecommendationPage)], [self.uk]
        )
        area = AreaPage.objects.get(locale=self.uk)
        area.add_child(
            instance=RecommendationPage(title="Jiné", slug="d1", code="1.A.9", live=False)
        )
        jobs.start_objects(self.subtree(), [self.uk])
        recs = RecommendationPage.objects.filter(locale=self.uk).order_by("path")
        self.assertEqual([r.slug for r in recs], ["d1", "d1-1", "d2"])
        area.refresh_from_db()
        self.assertEqual(area.numchild, 3)
        self.assertEqual(len({r.path for r in recs}), 3)
        for rec in recs:
            self.assertEqual(rec.get_parent().pk, area.pk)
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))

    def test_queries_do_not_grow_with_pages(self):
        small = self.queries(3)
        large = self.queries(30)
        self.assertEqual(small, large)
        # Pinned, so that a change shows here (SQLite's search index takes one query more).
        self.assertEqual(small, 44 if connection.vendor == "sqlite" else 43)

    def queries(self, count):
        """Queries of creating `count` recommendation drafts (their parents translated)."""
        area = AreaPage.objects.get(locale__language_code="cs")
        try:
            with transaction.atomic():
                for rec in RecommendationPage.objects.filter(locale__language_code="cs"):
                    rec.delete()
                for n in range(count):
                    rec = RecommendationPage(title=f"R {n}", slug=f"r{n}", code=f"1.A.{n + 1}")
                    rec.measures = [Measure(code=f"1.A.{n + 1}.I", text="Opatření")]
                    area.add_child(instance=rec)
                    publish(rec)
                subtree = self.subtree()
                jobs.start_objects(subtree[:3], [self.uk])  # the Concept, priority, area
                recs = subtree[3:]
                self.assertEqual(len(recs), count)
                with CaptureQueriesContext(connection) as queries:
                    jobs.start_objects(recs, [self.uk])
                self.assertEqual(RecommendationPage.objects.filter(locale=self.uk).count(), count)
                raise _Rollback
        except _Rollback:
            pass
        return len(queries)


class BatchedExportTests(TestCase):
    """`render_pos` writes for a batch what wagtail-localize's `export_po` writes per file."""

    def test_files_equal_wagtail_localize_export(self):
        c = build_site()
        concept = add_concept(c["home"])
        uk = locale("uk")
        subtree = jobs.job_objects(concept, include_subtree=True)
        translations = jobs.start_objects(subtree, [uk])
        rec = subtree[-1]

        def translate_segment(page, path, data, language=uk, **fields):
            segment = StringSegment.objects.get(
                source__object_id=page.translation_key, context__path=path
            )
            StringTranslation.objects.create(
                translation_of=segment.string,
                context=segment.context,
                locale=language,
                data=data,
                **fields,
            )

        # current translations (one with an error, as the translation editor keeps them) come
        # before the obsolete one; another language's translation stays out of the file
        translate_segment(rec, "slug", "stara-nazva")
        translate_segment(concept, "title", "<b>Koncepce", has_error=True)
        translate_segment(rec, "title", "Old title", language=locale("en"))
        translate_segment(rec, "title", "Стара назва")
        rec.title = "Doporučení nově"  # the old title's translation becomes obsolete
        rec.save_revision().publish()
        pages = [t for t in translations if t.source.object_id != c["home"].translation_key]
        for translation in pages:
            translation.source.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            files = render_pos(pages, "uk")
        self.assertEqual(len(queries), 2)  # segments with their translations, obsolete rows

        def entries(text):
            po = polib.pofile(text)
            return (
                {k: v for k, v in po.metadata.items() if k != "POT-Creation-Date"},
                [(e.msgctxt, e.msgid, e.msgstr, e.obsolete) for e in po],
            )

        for translation, text in zip(pages, files, strict=True):
            expected = translation.export_po()
            expected.metadata["Language"] = "uk"
            expected.metadata["X-Source-Object"] = translation.source.object_repr[:200]
            self.assertEqual(entries(text), entries(str(expected)))
        obsolete = [e for e in polib.pofile(files[-1]) if e.obsolete]
        self.assertEqual([e.msgstr for e in obsolete], ["Стара назва"])
        current = {e.msgctxt: e.msgstr for e in polib.pofile(files[-1]) if not e.obsolete}
        self.assertEqual(current["slug"], "stara-nazva")
        created = polib.pofile(files[0]).metadata["POT-Creation-Date"]
        self.assertLess(abs(timezone.now() - datetime.fromisoformat(created)).total_seconds(), 60)


class BatchedImportTests(TestCase):
    """`import_po_files` stores for a batch what wagtail-localize's `import_po` stores per file."""

    def test_rows_and_warnings_equal_wagtail_localize_import(self):
        c = build_site()
        concept = add_concept(c["home"])
        uk = locale("uk")
        translations = jobs.start_objects(jobs.job_objects(concept, True), [uk])
        pages = [t for t in translations if t.source.object_id != c["home"].translation_key]
        rec = pages[-1]
        segment = StringSegment.objects.filter(source=rec.source, context__path="title").get()
        StringTranslation.objects.create(  # an earlier translation, replaced by the file
            translation_of=segment.string, context=segment.context, locale=uk, data="Старе"
        )
        checked = []
        for translation, text in zip(pages, render_pos(pages, "uk"), strict=True):
            po = polib.pofile(text)
            for entry in po:
                if entry.msgctxt == "slug":
                    entry.msgstr = "Регіональна платформа"
                elif entry.msgctxt == "description":
                    entry.msgstr = "<p>Опис <b>рекомендації</b> <i>без кінця"  # broken HTML
                else:
                    entry.msgstr = f"[uk] {entry.msgid}"
            po.append(polib.POEntry(msgid="Neznámý text", msgctxt="title", msgstr="x"))
            checked.append((translation.source.object_repr, po, translation))

        def rows():
            return sorted(
                StringTranslation.objects.filter(locale=uk).values_list(
                    "translation_of_id", "context_id", "data", "has_error", "tool_name"
                )
            )

        def run(bulk):
            try:
                with transaction.atomic():
                    if bulk:
                        warnings = import_po_files(checked, tool_name="PO import")
                    else:
                        warnings = {
                            name: t.import_po(po, tool_name="PO import") for name, po, t in checked
                        }
                    result = rows(), {k: [str(w) for w in v] for k, v in warnings.items()}
                    raise _Rollback
            except _Rollback:
                return result

        bulk, reference = run(True), run(False)
        self.assertEqual(bulk, reference)
        data = [row[2] for row in bulk[0]]
        self.assertIn("regionalna-platforma", data)  # slugs transliterated (pre_save)
        self.assertIn("[uk] Doporučení 2", data)
        self.assertNotIn("Старе", data)
        self.assertTrue(any(row[3] for row in bulk[0]))  # the broken HTML is flagged
        self.assertTrue(all(len(w) == 1 for w in bulk[1].values()))  # the unknown string


class BulkDraftUpdateTests(TestCase):
    """A PO import saves the existing drafts in bulk (home/translation/draft_updates.py) as
    `save_target` saves them one by one."""

    maxDiff = None

    def setUp(self):
        self.c = build_site()
        self.concept = add_concept(self.c["home"])
        self.uk = locale("uk")
        self.subtree = jobs.job_objects(self.concept, True)
        jobs.start_objects(self.subtree, [self.uk])

    def po_set(self, slugs=None):
        """The agency's answer to an export of the Concept: every string translated; the slug
        entries only where `slugs` ({Czech slug: translated slug}) says."""
        named = []
        for f in export_translations(self.uk, [self.concept], include_subtree=True):
            po = polib.pofile(f.content)
            for entry in po:
                if entry.msgctxt != "slug":
                    entry.msgstr = f"[uk] {entry.msgid}"
                elif entry.msgid in (slugs or {}):
                    entry.msgstr = slugs[entry.msgid]
            named.append((f.name, str(po)))
        return named

    def import_both_ways(self, named):
        """(bulk, reference): the snapshot after importing `named` in bulk, and after importing
        it page by page (wagtail-localize's path), each rolled back. The reference's addresses
        are repaired as publishing repairs them (home/translation/url_paths.py): one by one,
        wagtail-localize leaves the descendants of a renamed tree root under its old address."""
        keys = [p.translation_key for p in Page.objects.all()]
        calls, original = [], draft_updates.update_page_drafts

        def spy(translations, user=None):
            left = original(translations, user)
            calls.append((len(translations), [t.source.object_id for t in left]))
            return left

        def run(bulk):
            try:
                with transaction.atomic():
                    if bulk:
                        with mock.patch("home.translation.draft_updates.update_page_drafts", spy):
                            import_translations(named, self.uk)
                        self.assertEqual(repair_url_paths(Page), 0, "addresses out of step")
                    else:
                        with mock.patch(
                            "home.translation.draft_updates.update_page_drafts",
                            lambda translations, user=None: translations,
                        ):
                            import_translations(named, self.uk)
                        repair_url_paths(Page)
                    result = snapshot(keys, self.uk)
                    raise _Rollback
            except _Rollback:
                return result

        bulk, reference = run(True), run(False)
        # Every page in bulk but the home page (a tree root: save_target).
        self.assertEqual(calls, [(6, [self.c["home"].translation_key])])
        self.assertEqual(bulk.keys(), reference.keys())
        for key in reference:
            self.assertEqual(bulk[key], reference[key], key)
        return bulk

    def test_imported_drafts_equal_drafts_saved_one_by_one(self):
        bulk = self.import_both_ways(self.po_set())  # the same addresses
        rec = bulk[self.subtree[-1].translation_key]
        self.assertEqual(rec["fields"]["title"], "[uk] Doporučení 2")
        self.assertEqual(rec["fields"]["description"], "<p>[uk] Popis <b>doporučení</b> 2</p>")
        self.assertFalse(rec["fields"]["live"])

    def test_translated_slugs_move_the_drafts_as_one_by_one(self):
        """Translated slugs (Cyrillic, and two siblings asking for the same one) give the pages
        and every page below them the addresses wagtail-localize gives them one by one."""
        bulk = self.import_both_ways(
            self.po_set(
                {
                    "koncepce": "Концепція",
                    "p1": "priorytet",
                    "d1": "rekomendatsiia",
                    "d2": "rekomendatsiia",
                }
            )
        )
        fields = {key: bulk[key]["fields"] for key in (p.translation_key for p in self.subtree)}
        self.assertEqual(
            [(f["slug"], f["url_path"]) for f in fields.values()],
            [
                ("kontseptsiya", "/mhmp-1/kontseptsiya/"),
                ("priorytet", "/mhmp-1/kontseptsiya/priorytet/"),
                ("a", "/mhmp-1/kontseptsiya/priorytet/a/"),
                ("rekomendatsiia", "/mhmp-1/kontseptsiya/priorytet/a/rekomendatsiia/"),
                ("rekomendatsiia-1", "/mhmp-1/kontseptsiya/priorytet/a/rekomendatsiia-1/"),
            ],
        )

    def test_a_renamed_page_moves_the_pages_below_it_that_the_import_leaves(self):
        """Only the Concept's own file comes back, with a new slug: its drafts below follow."""
        named = [
            (name, content)
            for name, content in self.po_set({"koncepce": "kontseptsiia"})
            if name.startswith(f"page-{self.concept.pk}-")
        ]
        import_translations(named, self.uk)
        rec = RecommendationPage.objects.get(locale=self.uk, slug="d2")
        self.assertEqual(rec.url_path, "/mhmp-1/kontseptsiia/p1/a/d2/")
        self.assertEqual(repair_url_paths(Page), 0)

    def test_a_published_translation_changes_for_readers_only_when_published(self):
        """An agency's new version of published pages is saved as their latest revision:
        readers keep the published text and address until an editor publishes it."""
        for page in Page.objects.filter(locale=self.uk).order_by("path"):
            page.get_latest_revision().publish()
        rec = RecommendationPage.objects.get(locale=self.uk, slug="d2")
        address = rec.url
        named = self.po_set({"d2": "rekomendatsiia"})
        # Every page in bulk, the home page too (wagtail-localize would write each live row).
        with mock.patch("home.translation.po._save", side_effect=AssertionError("one by one")):
            import_translations(named, self.uk)
        rec.refresh_from_db()
        self.assertEqual((rec.title, rec.slug, rec.url), ("Doporučení 2", "d2", address))
        self.assertTrue(rec.has_unpublished_changes)
        self.assertEqual(rec.draft_title, "[uk] Doporučení 2")
        response = self.client.get(address)
        self.assertContains(response, "Doporučení 2")
        self.assertNotContains(response, "[uk]")
        self.assertEqual(
            [m.text for m in rec.measures.order_by("sort_order")],
            ["Opatření 2.I", "Opatření 2.II"],
        )
        rec.get_latest_revision().publish()
        rec.refresh_from_db()
        self.assertEqual((rec.title, rec.slug), ("[uk] Doporučení 2", "rekomendatsiia"))
        self.assertEqual(rec.url_path.rsplit("/", 2)[1], "rekomendatsiia")
        self.assertContains(self.client.get(rec.url), "[uk] Doporučení 2")
        self.assertEqual(
            [m.text for m in rec.measures.order_by("sort_order")],
            ["[uk] Opatření 2.I", "[uk] Opatření 2.II"],
        )

    def test_a_published_platform_keeps_its_contacts_and_members_until_published(self):
        """A platform (many-to-many members, inline contacts) published in uk: an import as
        drafts changes nothing readers see, publishing it shows the translated contact role."""
        platform = self.c["platform"]
        platform.members.add(Organisation.objects.get())
        publish(PlatformPage.objects.get(pk=platform.pk))
        jobs.start_objects(jobs.job_objects(platform, False), [self.uk])
        for page in Page.objects.filter(locale=self.uk, live=False).order_by("path"):
            page.get_latest_revision().publish()
        named = []
        for f in export_translations(self.uk, [platform], include_subtree=False):
            po = polib.pofile(f.content)
            for entry in po:
                if entry.msgctxt != "slug":
                    entry.msgstr = f"[uk] {entry.msgid}"
            named.append((f.name, str(po)))
        with mock.patch("home.translation.po._save", side_effect=AssertionError("one by one")):
            import_translations(named, self.uk)
        uk_platform = PlatformPage.objects.get(
            translation_key=platform.translation_key, locale=self.uk
        )
        self.assertEqual([c.role for c in uk_platform.contacts.all()], ["kontakt pro veřejnost"])
        self.assertEqual(uk_platform.members.count(), 1)
        self.assertNotContains(self.client.get(uk_platform.url), "[uk]")
        uk_platform.get_latest_revision().publish()
        uk_platform.refresh_from_db()
        self.assertEqual(
            [c.role for c in uk_platform.contacts.all()], ["[uk] kontakt pro veřejnost"]
        )
        self.assertEqual(uk_platform.members.count(), 1)
        self.assertContains(self.client.get(uk_platform.url), "[uk] kontakt pro veřejnost")

    def test_queries_do_not_grow_with_renamed_pages(self):
        """Importing N recommendations with translated slugs: the same queries at 2 and 20."""
        self.assertEqual(self.import_queries(2), self.import_queries(20))

    def import_queries(self, count):
        area = AreaPage.objects.get(locale__language_code="cs")
        try:
            with transaction.atomic():
                for n in range(3, count + 1):
                    rec = RecommendationPage(title=f"R {n}", slug=f"d{n}", code=f"1.A.{n}")
                    rec.measures = [Measure(code=f"1.A.{n}.I", text="Opatření")]
                    area.add_child(instance=rec)
                    publish(rec)
                recs = RecommendationPage.objects.filter(locale__language_code="cs")
                jobs.start_objects(list(recs), [self.uk])
                named = [
                    (name, content)
                    for name, content in self.po_set({f"d{n}": f"r-{n}" for n in range(count + 1)})
                    if any(name.startswith(f"page-{rec.pk}-") for rec in recs)
                ]
                self.assertEqual(len(named), count)
                with CaptureQueriesContext(connection) as queries:
                    import_translations(named, self.uk)
                self.assertEqual(
                    sorted(
                        RecommendationPage.objects.filter(locale=self.uk).values_list(
                            "slug", flat=True
                        )
                    ),
                    sorted(f"r-{n}" for n in range(1, count + 1)),
                )
                raise _Rollback
        except _Rollback:
            pass
        # Wagtail's SQLite search backend updates an existing index entry row by row (its
        # PostgreSQL backend in one statement): those are left out on SQLite.
        return sum(
            1
            for q in queries.captured_queries
            if connection.vendor != "sqlite" or "wagtailsearch_indexentry" not in q["sql"]
        )
