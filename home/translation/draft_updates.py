"""Existing draft pages updated with their translated strings, a batch at a time (PO import).

`Translation.save_target(publish=False)` on a page that exists re-reads the source, ingests the
translated segments, saves the page (its inline children too) and adds a revision: some 55
queries per page. `update_page_drafts` builds the pages the same way in memory (the calls of
home/translation/drafts.py) and writes them with one query per table and batch.

Only the plain case is done here; the caller saves the others with `save_target`: a page
whose slug changes (its address and those of all pages below it move, which Wagtail's `save`
handles), a live page, an alias, a page type with many-to-many fields or nested inline
children, a page that does not validate (`save_target` reports the field), a tree root.
"""

import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import TranslationLog
from wagtail_localize.segments.ingest import ingest_segments

from .bulk import prefetch_children
from .drafts import (
    copied_relations,
    index_pages,
    insert_revisions,
    segments_for_translation,
    source_instance,
    validate,
)


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
    siblings = _sibling_slugs(targets.values())
    updated = []
    for translation in translations:
        page = source_pages.get(translation.source.object_id)
        target = targets.get(translation.source.object_id)
        if page is None or target is None or not _plain(target):
            continue
        page.locale = locales[page.locale_id]
        target.locale = locale
        before = {
            r.get_accessor_name(): {c.pk for c in getattr(target, r.get_accessor_name()).all()}
            for r in copied_relations(type(target))
        }
        original = source_instance(page, json.loads(translation.source.content_json))
        copy_synchronised_fields(original, target)
        ingest_segments(original, target, page.locale, locale, segments.get(translation.source_id))
        slug = slugify(target.slug)
        if slug != _stored_slug(target) or slug in siblings[(target.path, "other")]:
            continue  # a new address: Wagtail's save moves the pages below it too
        target.slug = slug
        try:
            validate(target)
        except ValidationError:  # save_target reports it, as wagtail-localize does
            continue
        updated.append((translation, target, before))
    if updated:
        _write(updated, user, locale)
    return {t.pk for t, _target, _before in updated}


def _plain(target):
    model = type(target)
    if target.live or target.alias_of_id or target.depth <= 2:
        return False
    if any(f.many_to_many and not f.auto_created for f in model._meta.get_fields()):
        return False
    return not any(get_all_child_relations(r.related_model) for r in copied_relations(model))


def _stored_slug(target):
    return target._stored_slug


def _sibling_slugs(targets):
    """{(path, "other"): slugs of the other pages under the same parent} per target, and the
    stored slug of each target (`_stored_slug`), in one query."""
    targets = list(targets)
    condition = Q()
    for target in targets:
        target._stored_slug = target.slug
        condition |= Q(path__startswith=target.path[: -Page.steplen], depth=target.depth)
    by_parent = defaultdict(dict)
    if targets:
        for path, slug in Page.objects.filter(condition).values_list("path", "slug"):
            by_parent[path[: -Page.steplen]][path] = slug
    result = defaultdict(set)
    for target in targets:
        others = by_parent[target.path[: -Page.steplen]]
        result[(target.path, "other")] = {s for p, s in others.items() if p != target.path}
    return result


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
    TranslationLog.objects.bulk_create(
        TranslationLog(source=t.source, locale=locale, revision=r)
        for (t, _p, _b), r in zip(updated, revisions, strict=True)
    )
    ReferenceIndex.objects.filter(
        base_content_type=base, object_id__in=[str(p.pk) for p in pages]
    ).delete()
    index_pages(pages)
    record_changes(children)


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
