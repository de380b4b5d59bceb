"""Existing draft pages updated with their translated strings, a batch at a time (PO import).

`Translation.save_target(publish=False)` on a page that exists re-reads the source, ingests the
translated segments, saves the page (its inline children too) and adds a revision: some 55
queries per page. `update_page_drafts` builds the pages the same way in memory (the calls of
home/translation/drafts.py) and writes them with one query per table and batch.

A translated slug is placed as wagtail-localize places it (`find_available_slug` among the
siblings, in the order of the import) and moves the page's address and those of every page
below it, as Wagtail's `save` does: the batch's url_paths are computed from their parents', the
pages below that the batch does not hold are repaired in one pass (`repair_subtrees`).

A live page keeps what readers see: the translation becomes its latest revision and the
published row, its inline children and its address stay until someone publishes it (Wagtail's
"Save draft"). `save_target` would write the translation into the published row: readers would
see an agency's unreviewed text at once.

The caller saves the others with `save_target`: an alias, a draft whose type has many-to-many
fields or nested inline children, a page that does not validate (`save_target` reports the
field), a draft tree root.
"""

import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import router
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import TranslationLog
from wagtail_localize.segments.ingest import ingest_segments

from .bulk import in_memory, prefetch_children
from .drafts import (
    available_slug,
    child_slugs,
    copied_relations,
    index_pages,
    insert_revisions,
    segments_for_translation,
    source_instance,
    validate,
)
from .url_paths import repair_subtrees, url_path_below


def update_page_drafts(translations, user=None):
    """Save the existing draft target pages of `translations` (page translations, one locale
    or several) with their current translations; returns the translations left for
    `save_target`, in the order given."""
    by_locale = defaultdict(list)
    for translation in translations:
        by_locale[translation.target_locale_id].append(translation)
    done = set()
    for group in by_locale.values():
        done |= _update(group, user)
    return [t for t in translations if t.pk not in done]


def _update(translations, user):
    locale = translations[0].target_locale
    sources = [t.source for t in translations]
    keys = [s.object_id for s in sources]
    source_pages = {
        p.translation_key: p
        for p in Page.objects.filter(
            translation_key__in=keys, locale_id__in={s.locale_id for s in sources}
        ).specific()
    }
    targets = {
        p.translation_key: p
        for p in Page.objects.filter(translation_key__in=keys, locale=locale).specific()
    }
    locales = Locale.objects.in_bulk({p.locale_id for p in source_pages.values()} | {locale.pk})
    prefetch_children(list(targets.values()))
    segments = segments_for_translation(sources, locale)
    siblings = _Siblings(targets.values())
    updated, revised = [], []
    for translation in translations:
        page = source_pages.get(translation.source.object_id)
        target = targets.get(translation.source.object_id)
        if page is None or target is None or not (_published(target) or _plain(target)):
            continue
        page.locale = locales[page.locale_id]
        target.locale = locale
        before = {
            r.get_accessor_name(): {c.pk for c in getattr(target, r.get_accessor_name()).all()}
            for r in copied_relations(type(target))
        }
        original = source_instance(page, json.loads(translation.source.content_json))
        with in_memory():
            copy_synchronised_fields(original, target)
            ingest_segments(
                original, target, page.locale, locale, segments.get(translation.source_id)
            )
        slug = slugify(target.slug)
        if not slug:
            continue  # save_target reports the missing slug
        target.slug = available_slug(slug, siblings.taken(target))
        try:
            validate(target)
        except ValidationError:  # save_target reports it, as wagtail-localize does
            continue
        if _published(target):
            revised.append((translation, target))
            continue
        siblings.rename(target)
        updated.append((translation, target, before))
    if updated:
        moved = _place([target for _t, target, _b in updated], siblings)
        _write(updated, user, locale)
        repair_subtrees(Page, [target.path for target in moved])
    if revised:
        _save_revisions(revised, user, locale)
    return {t.pk for t, *_rest in [*updated, *revised]}


def _published(target):
    return target.live and not target.alias_of_id


def _plain(target):
    model = type(target)
    if target.live or target.alias_of_id or target.depth <= 2:
        return False
    if any(f.many_to_many and not f.auto_created for f in model._meta.get_fields()):
        return False
    return not any(get_all_child_relations(r.related_model) for r in copied_relations(model))


class _Siblings:
    """The slugs under each target's parent as the import goes (one query for the batch):
    `taken(target)` are the other pages' slugs, `rename` records a target's new slug."""

    def __init__(self, targets):
        targets = list(targets)
        self.stored = {target.pk: target.slug for target in targets}
        self.by_parent = child_slugs({_parent(target.path) for target in targets})

    def taken(self, target):
        slugs = self.by_parent[_parent(target.path)]
        return {slug for path, slug in slugs.items() if path != target.path}

    def rename(self, target):
        self.by_parent[_parent(target.path)][target.path] = target.slug


def _parent(path):
    return path[: -Page.steplen]


def _place(targets, siblings):
    """Each target's url_path from its parent's (tree order: a parent of the batch before its
    children); returns the targets whose address moved."""
    known = {t.path: t.url_path for t in targets}
    parents = {_parent(t.path) for t in targets} - set(known)
    known.update(Page.objects.filter(path__in=parents).values_list("path", "url_path"))
    moved = []
    for target in sorted(targets, key=lambda t: t.path):
        url_path = url_path_below(target.path, target.slug, known)
        if url_path != target.url_path or target.slug != siblings.stored[target.pk]:
            moved.append(target)
        target.url_path = known[target.path] = url_path
    return moved


def _write(updated, user, locale):
    from home.signals import record_changes

    pages = [target for _t, target, _b in updated]
    revisions = insert_revisions(pages, user, timezone.now())
    base = ContentType.objects.get_for_model(Page)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.draft_title = page.title
        page.has_unpublished_changes = True
    _update_rows(pages)
    children = _save_children(updated)
    _log_translations([t for t, _p, _b in updated], revisions, locale)
    ReferenceIndex.objects.filter(
        base_content_type=base, object_id__in=[str(p.pk) for p in pages]
    ).delete()
    index_pages(pages)
    record_changes(children)


def _save_revisions(revised, user, locale):
    """Live pages: a revision with the translation, and the row's draft fields as
    `save_revision` sets them; the content readers see is not written."""
    pages = [target for _t, target in revised]
    revisions = insert_revisions(pages, user, timezone.now())
    rows = [
        Page(
            pk=page.pk,
            latest_revision=revision,
            latest_revision_created_at=revision.created_at,
            draft_title=page.title,
            has_unpublished_changes=True,
        )
        for page, revision in zip(pages, revisions, strict=True)
    ]
    Page.objects.bulk_update(
        rows,
        ["latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes"],
    )
    _log_translations([t for t, _p in revised], revisions, locale)


def _log_translations(translations, revisions, locale):
    """wagtail-localize's record of each saved translation (`save_target`'s TranslationLog)."""
    TranslationLog.objects.bulk_create(
        TranslationLog(source=t.source, locale=locale, revision=r)
        for t, r in zip(translations, revisions, strict=True)
    )


def _update_rows(pages):
    """What `Page.save` writes for each page: every column of every table of its type, one
    UPDATE per table and batch."""
    fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    Page.objects.bulk_update(pages, fields)
    by_model = defaultdict(list)
    for page in pages:
        for model in [*reversed(type(page)._meta.get_parent_list()), type(page)]:
            if model is not Page:
                by_model[model].append(page)
    for model, objs in by_model.items():
        local = [f.attname for f in model._meta.local_concrete_fields if not f.primary_key]
        if local:
            model._base_manager.using(router.db_for_write(model)).bulk_update(objs, local)


def _save_children(updated):
    """The inline children as modelcluster's commit leaves them: the ones no longer there
    deleted, the kept ones (translatable children keep their id) updated, new ones added."""
    removed = defaultdict(set)
    kept = defaultdict(list)
    added = defaultdict(list)
    for _translation, page, before in updated:
        for relation in copied_relations(type(page)):
            name = relation.get_accessor_name()
            model = relation.related_model
            now = list(getattr(page, name).all())
            for child in now:
                setattr(child, relation.field.attname, page.pk)
                (kept if child.pk in before[name] else added)[model].append(child)
                if child.pk is not None and child.pk not in before[name]:
                    child._state.adding = True
            removed[model] |= before[name] - {c.pk for c in now}
    for model, pks in removed.items():
        if pks:
            model._base_manager.filter(pk__in=pks).delete()
    for model, objs in kept.items():
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        model._base_manager.bulk_update(objs, fields)
    for model, objs in added.items():
        model._base_manager.bulk_create(objs)
    return [c for objs in [*kept.values(), *added.values()] for c in objs]
