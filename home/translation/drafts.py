"""New draft pages of a translation job, a batch at a time.

wagtail-localize creates each translated page on its own (`Translation.save_target`: copy the
page, `add_child` in the tree, ingest the segments, save, two revisions, a log entry: some 110
queries per page of the Concept). Here a batch of pages is built the same way in memory (the same
`_copy`, `copy_synchronised_fields` and `ingest_segments` wagtail-localize calls), then written
with one query per model and batch:

- tree positions (treebeard's materialised path, depth, numchild) and URL paths are computed
  here, parents before children: the language's tree mirrors the Czech one;
- the `wagtailcore_page` rows in one INSERT, then the rows of each specific page model (Django's
  `bulk_create` refuses multi-table inheritance, so `insert_rows` issues the INSERT Django's own
  `Model.save` would, for many objects), then the inline children (measures, actors…);
- one draft revision per page (`latest_revision`), the `TranslationLog` and the
  "copy for translation" log entry wagtail-localize writes, the search and reference index rows.

Pages that cannot be done this way go through `save_target` one by one, as before (see
`needs_one_by_one`): their parent is not translated yet (wagtail-localize creates it, and
`convert_alias_parent` turns it into a draft), an alias is to be converted, the page has
many-to-many fields or nested inline children, or it does not validate (`save_target` then marks
the faulty string as wagtail-localize does).
"""

import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Locale,
    Page,
    PageLogEntry,
    PageViewRestriction,
    ReferenceIndex,
    Revision,
    TranslatableMixin,
)
from wagtail.models.copying import _copy
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    StringSegment,
    TemplateSegment,
    TranslationLog,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.strings import StringValue

from .bulk import in_memory


def create_page_drafts(translations, user=None):
    """Create the draft target pages of `translations` (wagtail-localize `Translation` records of
    Czech pages whose target does not exist yet, in tree order). Returns nothing; a page that
    fails validation is left out exactly as `save_target` leaves it out."""
    by_locale = defaultdict(list)
    for translation in translations:
        by_locale[translation.target_locale_id].append(translation)
    for group in by_locale.values():
        _Batch(group, user).run()


class _Draft:
    """One page to create: its source, the translated instance (unsaved) and its parent (a
    `Page` in the database or the instance of another draft of the batch)."""

    def __init__(self, translation, source_page, page, parent):
        self.translation = translation
        self.source_page = source_page
        self.page = page
        self.parent = parent


class _Batch:
    def __init__(self, translations, user):
        self.translations = translations
        self.user = user
        self.locale = translations[0].target_locale
        self.sources = [t.source for t in translations]
        self.now = timezone.now()

    def run(self):
        pages = self.source_pages()
        segments = segments_for_translation(self.sources, self.locale)
        keys = {p.translation_key for p in pages.values()}
        parent_keys = self.parent_keys(pages.values())
        in_locale = {
            p.translation_key: p
            for p in Page.objects.filter(
                translation_key__in=keys | set(parent_keys.values()), locale=self.locale
            )
        }
        planned = []
        for translation in self.translations:
            page = pages.get(translation.source.object_id)
            if page is None:
                continue  # the source page is gone: nothing to translate
            parent = in_locale.get(parent_keys.get(page.pk))
            draft = None
            if parent is not None and not self.needs_one_by_one(page, in_locale):
                draft = self.build(translation, page, parent, segments.get(translation.source_id))
            if draft is None:
                # Done by wagtail-localize, page by page: after what is planned so far, which
                # its parent may be part of.
                self.write(planned)
                planned = []
                # A page that does not validate in the language stops the batch, naming its
                # fields: a job then fails at it with the reason (and a rerun goes on from it),
                # instead of counting as translated a page that was never created.
                translation.save_target(user=self.user, publish=False)
                created = Page.objects.filter(
                    translation_key=page.translation_key, locale=self.locale
                ).first()
                if created is not None:
                    in_locale[page.translation_key] = created
                continue
            planned.append(draft)
            in_locale[page.translation_key] = draft.page
        self.write(planned)

    def source_pages(self):
        """{translation_key: Czech page} (one query per page model)."""
        ids = [s.object_id for s in self.sources]
        locale_ids = {s.locale_id for s in self.sources}
        pages = {
            p.translation_key: p
            for p in Page.objects.filter(
                translation_key__in=ids, locale_id__in=locale_ids
            ).specific()
        }
        locales = Locale.objects.in_bulk(locale_ids)
        for page in pages.values():
            page.locale = locales[page.locale_id]
        return pages

    def parent_keys(self, pages):
        """{page id: translation_key of its parent} (one query); the parents' ids and titles
        are kept for the log (`self.source_parents`)."""
        paths = {p.pk: p.path[: -Page.steplen] for p in pages if p.depth > 1}
        parents = {
            path: (key, pk, draft_title or title)
            for path, key, pk, draft_title, title in Page.objects.filter(
                path__in=set(paths.values())
            ).values_list("path", "translation_key", "pk", "draft_title", "title")
        }
        self.source_parents = {pk: parents[path] for pk, path in paths.items() if path in parents}
        return {pk: parent[0] for pk, parent in self.source_parents.items()}

    def needs_one_by_one(self, page, in_locale):
        if page.depth <= 2:
            return True  # a new tree root: wagtail-localize's own slug rule (…-uk)
        target = in_locale.get(page.translation_key)
        if target is not None:
            return True  # an alias to convert (existing targets were left out by the caller)
        model = type(page)
        if any(f.many_to_many and not f.auto_created for f in model._meta.get_fields()):
            return True
        return any(get_all_child_relations(r.related_model) for r in copied_relations(model))

    def build(self, translation, page, parent, segments):
        """The translated page in memory, as `create_or_update_translation` builds it (None when
        it does not validate): a copy of the source's content (`as_instance`) into the
        language, its synchronised fields and translated segments applied."""
        source = translation.source
        original = source_instance(page, json.loads(source.content_json))
        exclude = page.default_exclude_fields_in_copy + page.exclude_fields_in_copy
        attrs = {
            "live": False,
            "has_unpublished_changes": True,
            "live_revision": None,
            "first_published_at": None,
            "last_published_at": None,
            "alias_of": None,
            "locale": self.locale,
            "slug": page.slug,
        }
        relations = copied_relations(type(page))
        copy, _children = _copy(
            original,
            exclude_fields=exclude + [r.get_accessor_name() for r in relations],
            update_attrs=attrs,
        )
        copy_children(original, copy, relations, self.locale)
        copied_title = copy.title  # what the per-page path logs: the page before ingesting
        with in_memory():
            copy_synchronised_fields(original, copy)
            ingest_segments(original, copy, page.locale, self.locale, segments or [])
        setattr(copy, COMMENTS_RELATION_NAME, [])  # a new page has none (and asks no query)
        copy.slug = slugify(copy.slug)
        copy.draft_title = copy.title
        copy.latest_revision_created_at = self.now
        try:
            validate(copy)
        except ValidationError:
            return None
        draft = _Draft(translation, page, copy, parent)
        draft.copied_title = copied_title
        return draft

    # --- Writing -----------------------------------------------------------------------------

    def write(self, drafts):
        if not drafts:
            return
        self.place(drafts)
        pages = [d.page for d in drafts]
        insert_pages(pages)
        children = self.insert_children(pages)
        revisions = self.insert_revisions(pages)
        TranslationLog.objects.bulk_create(
            TranslationLog(source=d.translation.source, locale=self.locale, revision=r)
            for d, r in zip(drafts, revisions, strict=True)
        )
        self.log(drafts)
        self.copy_view_restrictions(drafts)
        index_pages(pages)
        from home.signals import record_changes

        record_changes(children)

    def place(self, drafts):
        """Slug, materialised path, depth, URL path and numchild of each new page, parents
        before children; existing parents' numchild is raised in one UPDATE."""
        planned = {id(d.page) for d in drafts}
        existing = {id(d.parent): d.parent for d in drafts if id(d.parent) not in planned}
        slugs, last = defaultdict(set), defaultdict(int)
        for parent_path, children in child_slugs(p.path for p in existing.values()).items():
            slugs[parent_path] = set(children.values())
            last[parent_path] = max(Page._str2int(path[-Page.steplen :]) for path in children)
        added = defaultdict(int)
        for draft in drafts:
            page, parent = draft.page, draft.parent
            page.slug = available_slug(page.slug, slugs[parent.path])
            slugs[parent.path].add(page.slug)
            last[parent.path] += 1
            page.depth = parent.depth + 1
            page.path = Page._get_path(parent.path, page.depth, last[parent.path])
            page.numchild = 0
            page.set_url_path(parent)
            added[id(parent)] += 1
            if id(parent) in planned:
                parent.numchild += 1
        known = {key: parent.numchild for key, parent in existing.items()}
        for key, parent in existing.items():
            parent.numchild = F("numchild") + added[key]  # whatever was added meanwhile
        Page.objects.bulk_update(existing.values(), ["numchild"])
        for key, parent in existing.items():
            parent.numchild = known[key] + added[key]

    def insert_children(self, pages):
        """The inline children (measures, actors, approvals…) of the new pages, one INSERT per
        child model and batch."""
        by_model = defaultdict(list)
        for page in pages:
            for relation in copied_relations(type(page)):
                for child in getattr(page, relation.get_accessor_name()).all():
                    setattr(child, relation.field.attname, page.pk)
                    child.pk = None
                    by_model[relation.related_model].append(child)
        for model, objs in by_model.items():
            model._base_manager.bulk_create(objs)
        return [child for objs in by_model.values() for child in objs]

    def insert_revisions(self, pages):
        revisions = insert_revisions(pages, self.user, self.now)
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision = revision
        Page.objects.bulk_update(pages, ["latest_revision"])
        return revisions

    def log(self, drafts):
        """The log entries of the per-page path: "wagtail.create" (Page.save of a new page) and
        "wagtail.copy_for_translation" (wagtail's page copy)."""
        context = get_active_log_context()
        locale = self.locale
        created, entries = [], []
        for draft in drafts:
            page, source = draft.page, draft.source_page
            about = {
                "content_type": ContentType.objects.get_for_model(
                    type(page), for_concrete_model=False
                ),
                "page_id": page.pk,
                "label": draft.copied_title,
                "timestamp": self.now,
                "uuid": context.uuid,
            }
            created.append(
                PageLogEntry(
                    **about,
                    action="wagtail.create",
                    user_id=page.owner_id or (context.user.pk if context.user else None),
                    content_changed=True,
                )
            )
            _key, parent_id, parent_title = self.source_parents[source.pk]
            entries.append(
                PageLogEntry(
                    **about,
                    action="wagtail.copy_for_translation",
                    user=context.user,  # wagtail's copy is not told the user either
                    data={
                        "page": {
                            "id": page.pk,
                            "title": draft.copied_title,
                            "locale": {"id": locale.pk, "language_code": locale.language_code},
                        },
                        # As wagtail's page copy logs it: "source" is the Czech parent.
                        "source": {"id": parent_id, "title": parent_title},
                        "destination": {
                            "id": draft.parent.pk,
                            "title": draft.parent.get_admin_display_title(),
                        },
                        "keep_live": False,
                        "source_locale": {
                            "id": source.locale.pk,
                            "language_code": source.locale.language_code,
                        },
                    },
                )
            )
        PageLogEntry.objects.bulk_create([*created, *entries])

    def copy_view_restrictions(self, drafts):
        """Privacy settings of the Czech pages that have any (one query to find them)."""
        restricted = set(
            PageViewRestriction.objects.filter(
                page_id__in=[d.source_page.pk for d in drafts]
            ).values_list("page_id", flat=True)
        )
        for draft in drafts:
            if draft.source_page.pk in restricted:
                draft.translation.source.sync_view_restrictions(draft.source_page, draft.page)


def insert_revisions(pages, user, now):
    """A revision of each page's current content (`save_revision`'s row), one INSERT."""
    base = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(type(page)),
            base_content_type=base,
            object_id=str(page.pk),
            user=user,
            created_at=now,
            content=page.serializable_data(),
            object_str=str(page),
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions)
    return revisions


def source_instance(page, content):
    """`TranslationSource.as_instance()` (`page.with_content_json`) without its queries: the
    inline children stay in memory, foreign keys are not looked up one by one (they were
    extracted from the page just now), and the page's own tree and state fields are kept."""
    content.pop("comments", None)
    content.pop(COMMENTS_RELATION_NAME, None)
    obj = type(page).from_serializable_data(content, check_fks=False)
    for name in (
        "id",
        "content_type_id",
        "path",
        "depth",
        "numchild",
        "url_path",
        "draft_title",
        "live",
        "has_unpublished_changes",
        "owner_id",
        "locked",
        "locked_by_id",
        "locked_at",
        "latest_revision_id",
        "latest_revision_created_at",
        "translation_key",
        "locale_id",
        "alias_of_id",
    ):
        setattr(obj, name, getattr(page, name))
    obj.pk = page.pk
    obj.locale = page.locale
    if obj.first_published_at is None:
        obj.first_published_at = page.first_published_at
    return obj


def copy_children(original, copy, relations, locale):
    """modelcluster's `copy_child_relation` for in-memory children (it opens a savepoint for
    each relation), with the locale of translatable children set as wagtail's page copy sets
    it. `original` is a throwaway instance: its children are reused."""
    for relation in relations:
        children = []
        for child in getattr(original, relation.get_accessor_name()).all().order_by("pk"):
            child.pk = None
            child.id = None
            child._state.adding = True
            setattr(child, relation.field.attname, None)
            if isinstance(child, TranslatableMixin):
                child.locale = locale
            children.append(child)
        setattr(copy, relation.get_accessor_name(), children)


def copied_relations(model):
    """The inline child relations a page copy takes along (not the editors' comments)."""
    excluded = set(model.default_exclude_fields_in_copy + model.exclude_fields_in_copy)
    return [r for r in get_all_child_relations(model) if r.get_accessor_name() not in excluded]


def validate(page):
    """What `Page.save` validates (`full_clean`), minus the checks that would query the
    database for each page: the slug's uniqueness among its siblings (`place` makes it unique),
    the unique constraints (translation_key + locale: only missing targets are created) and the
    existence of foreign keys (copied from the Czech page or ingested translations). The tree
    fields are set later, by `place`."""
    foreign_keys = [f.name for f in page._meta.concrete_fields if f.many_to_one]
    tree = ["path", "depth", "numchild", "url_path"]  # set by `place`, after validation
    page._check_slug_is_unique = lambda: None  # noqa: SLF001 - see the docstring
    try:
        page.full_clean(
            exclude=foreign_keys + tree, validate_unique=False, validate_constraints=False
        )
    finally:
        del page._check_slug_is_unique


def child_slugs(parent_paths):
    """{parent path: {child path: slug}} of the pages directly below each of `parent_paths`,
    in one query."""
    condition = Q()
    for path in parent_paths:
        condition |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    children = defaultdict(dict)
    if condition:
        for path, slug in Page.objects.filter(condition).values_list("path", "slug"):
            children[path[: -Page.steplen]][path] = slug
    return children


def available_slug(slug, taken):
    """wagtail's `find_available_slug` over the sibling slugs in hand."""
    candidate, number = slug, 1
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def insert_pages(pages):
    """Insert the `wagtailcore_page` rows of `pages` (specific instances), then the rows of each
    concrete model below Page (RecommendationPage…), one INSERT per model and batch."""
    Page.objects.bulk_create(pages)  # sets page.id; Page has no concrete parent of its own
    by_model = defaultdict(list)
    for page in pages:
        for model in [*reversed(type(page)._meta.get_parent_list()), type(page)]:
            if model is Page:
                continue
            link = model._meta.pk
            if link.attname != "id":
                # The link to the parent table (page_ptr_id) is the specific row's primary key.
                setattr(page, link.attname, page.id)
            by_model[model].append(page)
    for model, objs in by_model.items():
        insert_rows(model, objs)


def insert_rows(model, objs):
    """INSERT the table of `model` alone (its local fields, the parent link included) for
    `objs`: what `Model.save_base` does for each table of a multi-table model
    (`_do_insert` → `manager._insert`), for many objects at once."""
    fields = [f for f in model._meta.local_concrete_fields if f.generated is False]
    using = router.db_for_write(model)
    ops = connections[using].ops
    size = max(ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), size):
        model._base_manager._insert(objs[start : start + size], fields=fields, using=using)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


def index_pages(pages):
    """Search and reference index rows of the new pages, one batch per model (wagtail queues a
    task per saved page for each)."""
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, objs in by_model.items():
        if search_index.class_is_indexed(model):
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objs)
    rows = []
    for page in pages:
        if not ReferenceIndex.is_indexed(type(page)):
            continue
        content_type = ContentType.objects.get_for_model(type(page), for_concrete_model=False)
        base = ContentType.objects.get_for_model(Page)
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)  # noqa: SLF001
        ):
            rows.append(
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=base,
                    object_id=page.pk,
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),  # noqa: SLF001
                )
            )
    if rows:
        ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=True)


# --- Segments ----------------------------------------------------------------------------------


class _KnownRelatedObject(RelatedObjectSegmentValue):
    """A related-object segment whose translated object was loaded with the batch's others
    (wagtail-localize's own value queries for it on ingest)."""

    def __init__(self, path, content_type, translation_key, instance=None, **kwargs):
        super().__init__(path, content_type, translation_key, **kwargs)
        self.instance = instance

    def get_instance(self, locale):
        return self.instance

    def clone(self):
        return _KnownRelatedObject(
            self.path, self.content_type, self.translation_key, self.instance, order=self.order
        )


def segments_for_translation(sources, locale):
    """{source id: segment values}: `TranslationSource._get_segments_for_translation(locale,
    fallback=True)` for many sources, with one query per segment model (and one per model of
    the related objects)."""
    result = defaultdict(list)
    strings = (
        StringSegment.objects.filter(source__in=sources)
        .annotate_translation(locale)
        .select_related("context", "string")
        .order_by("source_id", "order")
    )
    for segment in strings:
        text = segment.translation or segment.string.data
        result[segment.source_id].append(
            StringSegmentValue(
                segment.context.path, StringValue(text), attrs=json.loads(segment.attrs)
            ).with_order(segment.order)
        )
    for segment in (
        TemplateSegment.objects.filter(source__in=sources)
        .select_related("template", "context")
        .order_by("source_id", "order")
    ):
        template = segment.template
        result[segment.source_id].append(
            TemplateSegmentValue(
                segment.context.path,
                template.template_format,
                template.template,
                template.string_count,
                order=segment.order,
            )
        )
    related = list(
        RelatedObjectSegment.objects.filter(source__in=sources)
        .select_related("object", "context")
        .order_by("source_id", "order")
    )
    by_type = defaultdict(set)
    for segment in related:
        by_type[segment.object.content_type_id].add(segment.object.translation_key)
    translated = {}
    for content_type_id, keys in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for obj in model.objects.filter(translation_key__in=keys, locale=locale):
            translated[obj.translation_key] = obj
    for segment in related:
        instance = translated.get(segment.object.translation_key)
        if instance is None:
            continue  # not translated: the copy keeps the Czech object (fallback)
        result[segment.source_id].append(
            _KnownRelatedObject(
                segment.context.path,
                segment.object.content_type,
                segment.object.translation_key,
                instance,
                order=segment.order,
            )
        )
    for segment in (
        OverridableSegment.objects.filter(source__in=sources)
        .annotate_override_json(locale)
        .filter(override_json__isnull=False)
        .select_related("context")
        .order_by("source_id", "order")
    ):
        result[segment.source_id].append(
            OverridableSegmentValue(
                segment.context.path, json.loads(segment.override_json), order=segment.order
            )
        )
    return result
