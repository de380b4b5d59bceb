"""wagtail-localize's source extraction and translation records, a batch at a time.

wagtail-localize extracts one object at a time and stores each string, context and segment with
its own get_or_create (some 20 queries per page of the Concept). Here a whole batch is extracted
in Python first, then each model is written with one query per batch: existing rows are read in
one SELECT, missing ones added in one INSERT. The rows are the same as wagtail-localize's own
(`TranslationSource.refresh_segments`), so its editor, PO export and import work on them as usual.
"""

import json
import uuid
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import (
    ClusterableModel,
    get_all_child_relations,
    get_serializable_data_for_fields,
)
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    String,
    StringSegment,
    Template,
    TemplateSegment,
    TranslatableObject,
    TranslationContext,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments

SEGMENT_MODELS = (StringSegment, TemplateSegment, RelatedObjectSegment, OverridableSegment)


def content_json(instance):
    """The source content exactly as wagtail-localize stores it."""
    if isinstance(instance, ClusterableModel):
        return instance.to_json()
    return json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)


def ensure_sources(instances, update=False, force=False):
    """{translation_key: TranslationSource} for `instances` (Czech pages or snippets).

    Missing sources are extracted; with `update`, existing ones whose content changed are
    re-extracted too (a sync; `force` re-extracts unchanged ones as well). Unchanged segments keep
    their translations: a translation belongs to the string and its context, not to the segment
    row. The number of queries does not depend on the number of instances."""
    instances = [i.specific if isinstance(i, Page) else i for i in instances]
    instances = [i for i in instances if isinstance(i, TranslatableMixin)]
    if not instances:
        return {}
    prefetch_children(instances)
    _ensure_translatable_objects(instances)
    existing = {
        s.object_id: s
        for s in TranslationSource.objects.filter(
            object_id__in=[i.translation_key for i in instances],
            locale_id__in={i.locale_id for i in instances},
        )
    }
    now = timezone.now()
    schema_versions = {}
    new_sources, changed, extract = [], [], []
    for instance in instances:
        data = content_json(instance)
        source = existing.get(instance.translation_key)
        if source is not None and source.locale_id != instance.locale_id:
            continue  # a translation passed by mistake: only sources are extracted
        label = instance._meta.app_label
        if label not in schema_versions:
            schema_versions[label] = get_schema_version(label)
        if source is None:
            source = TranslationSource(
                object_id=instance.translation_key,
                specific_content_type=ContentType.objects.get_for_model(type(instance)),
                locale_id=instance.locale_id,
                object_repr=str(instance)[:200],
                content_json=data,
                schema_version=schema_versions[label],
                last_updated_at=now,
            )
            new_sources.append(source)
            existing[instance.translation_key] = source
        elif force or (update and json.loads(data) != json.loads(source.content_json)):
            source.content_json = data
            source.object_repr = str(instance)[:200]
            source.schema_version = schema_versions[label]
            source.last_updated_at = now
            changed.append(source)
        else:
            continue
        extract.append((source, instance))
    if new_sources:
        TranslationSource.objects.bulk_create(new_sources)
        if new_sources[0].pk is None:  # a backend that does not return ids (not PG/SQLite)
            ids = dict(
                TranslationSource.objects.filter(
                    object_id__in=[s.object_id for s in new_sources]
                ).values_list("object_id", "pk")
            )
            for source in new_sources:
                source.pk = ids[source.object_id]
    if changed:
        TranslationSource.objects.bulk_update(
            changed, ["content_json", "object_repr", "schema_version", "last_updated_at"]
        )
        for model in SEGMENT_MODELS:
            model.objects.filter(source__in=changed).delete()
    if extract:
        _store_segments(extract)
    # In the order of `instances` (tree order for pages: parents are translated first).
    return {
        i.translation_key: existing[i.translation_key]
        for i in instances
        if i.translation_key in existing and existing[i.translation_key].locale_id == i.locale_id
    }


def prefetch_children(instances):
    """Load the inline children (meetings' programmes, recommendations' measures…) of all
    `instances` with one query per relation: serialising and extracting them would otherwise
    query each object's children."""
    by_model = {}
    for instance in instances:
        if isinstance(instance, ClusterableModel):
            by_model.setdefault(type(instance), []).append(instance)
    for model, group in by_model.items():
        names = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        if names:
            prefetch_related_objects(group, *names)


def _ensure_translatable_objects(instances):
    rows = {
        i.translation_key: TranslatableObject(
            translation_key=i.translation_key,
            content_type=ContentType.objects.get_for_model(i.get_translation_model()),
        )
        for i in instances
    }
    TranslatableObject.objects.bulk_create(rows.values(), ignore_conflicts=True)


def _store_segments(extract):
    """Segments of freshly (re-)extracted sources: strings, templates, contexts and related
    objects are looked up or added once for the batch, then every segment in one INSERT each."""
    values = []  # (source, instance, segment value)
    for source, instance in extract:
        for value in extract_segments(instance):
            values.append((source, instance, value))

    strings = _get_or_create_by_key(
        String,
        "data_hash",
        {
            String._get_data_hash(v.string.data): {
                "locale_id": s.locale_id,
                "data": v.string.data,
            }
            for s, _i, v in values
            if _is_string(v)
        },
        extra_filter=lambda rows: {"locale_id__in": {r["locale_id"] for r in rows.values()}},
        key_of=lambda row: row.data_hash,
        locale_aware=True,
    )
    templates = _get_or_create_by_key(
        Template,
        "uuid",
        {
            _template_uuid(v): {
                "template": v.template,
                "template_format": v.format,
                "string_count": v.string_count,
            }
            for _s, _i, v in values
            if isinstance(v, TemplateSegmentValue)
        },
    )
    contexts = _contexts(values)
    _related_objects(values)

    rows = {model: [] for model in SEGMENT_MODELS}
    for source, _instance, value in values:
        common = {
            "source_id": source.pk,
            "context_id": contexts[(source.object_id, value.path)].pk,
            "order": value.order,
        }
        if isinstance(value, TemplateSegmentValue):
            rows[TemplateSegment].append(
                TemplateSegment(template_id=templates[_template_uuid(value)].pk, **common)
            )
        elif isinstance(value, RelatedObjectSegmentValue):
            rows[RelatedObjectSegment].append(
                RelatedObjectSegment(object_id=value.translation_key, **common)
            )
        elif isinstance(value, OverridableSegmentValue):
            rows[OverridableSegment].append(
                OverridableSegment(
                    data_json=json.dumps(value.data, cls=DjangoJSONEncoder), **common
                )
            )
        else:
            key = (source.locale_id, String._get_data_hash(value.string.data))
            rows[StringSegment].append(
                StringSegment(
                    string_id=strings[key].pk,
                    attrs=json.dumps(value.attrs, cls=DjangoJSONEncoder),
                    **common,
                )
            )
    for model, objs in rows.items():
        if objs:
            model.objects.bulk_create(objs)


def _is_string(value):
    return not isinstance(
        value, TemplateSegmentValue | RelatedObjectSegmentValue | OverridableSegmentValue
    )


def _template_uuid(value):
    namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, value.format)
    return uuid.uuid5(namespace, value.template)


def _get_or_create_by_key(model, field, wanted, extra_filter=None, key_of=None, locale_aware=False):
    """{key: row} for `wanted` ({key: defaults}): one SELECT, one INSERT for the missing ones
    (ignoring rows a concurrent job added meanwhile), one SELECT for those."""
    if not wanted:
        return {}

    def load():
        filters = {f"{field}__in": list(wanted)}
        if extra_filter:
            filters.update(extra_filter(wanted))
        found = {}
        for row in model.objects.filter(**filters):
            key = getattr(row, field)
            found[(row.locale_id, key) if locale_aware else key] = row
        return found

    def wanted_key(key, defaults):
        return (defaults["locale_id"], key) if locale_aware else key

    found = load()
    missing = [
        model(**{field: key}, **defaults)
        for key, defaults in wanted.items()
        if wanted_key(key, defaults) not in found
    ]
    if missing:
        model.objects.bulk_create(missing, ignore_conflicts=True)
        found = load()
    return found


def _contexts(values):
    """{(object_id, path): TranslationContext}, with the field path wagtail-localize fills in
    on first use (`TranslationContext.get_field_path`) computed here for new ones."""
    wanted = {}
    for source, instance, value in values:
        wanted.setdefault((source.object_id, value.path), instance)
    path_ids = {TranslationContext._get_path_id(path) for _o, path in wanted}
    found = {
        (c.object_id, c.path): c
        for c in TranslationContext.objects.filter(
            object_id__in={o for o, _p in wanted}, path_id__in=path_ids
        )
    }
    missing = [
        TranslationContext(
            object_id=object_id,
            path=path,
            path_id=TranslationContext._get_path_id(path),
            field_path=field_path(instance, path),
        )
        for (object_id, path), instance in wanted.items()
        if (object_id, path) not in found
    ]
    if missing:
        TranslationContext.objects.bulk_create(missing, ignore_conflicts=True)
        found = {
            (c.object_id, c.path): c
            for c in TranslationContext.objects.filter(
                object_id__in={o for o, _p in wanted}, path_id__in=path_ids
            )
        }
    stale = [c for c in found.values() if not c.field_path]
    for context in stale:  # contexts from before wagtail-localize 1.0: its own slow path
        context.get_field_path(wanted[(context.object_id, context.path)])
    return found


def field_path(instance, path):
    """`TranslationContext.get_field_path` without its query per inline child: a child's
    field path is the relation's name and the child's field name, unless the child's field is a
    StreamField (then wagtail-localize's own walk, which loads the child)."""
    components = path.split(".")
    field = instance._meta.get_field(components[0])
    if (
        isinstance(field, models.ManyToOneRel)
        and isinstance(field.remote_field, ParentalKey)
        and issubclass(field.related_model, TranslatableMixin)
        and len(components) == 3
    ):
        child_field = field.related_model._meta.get_field(components[2])
        if not isinstance(child_field, StreamField | models.ManyToOneRel):
            return ".".join([components[0], components[2]])
    if isinstance(field, StreamField | models.ManyToOneRel):
        context = TranslationContext(object_id=instance.translation_key, path=path)
        context.save = lambda *args, **kwargs: None  # computed only; stored by the caller
        return context.get_field_path(instance)
    return components[0]


def _related_objects(values):
    """TranslatableObject rows for the snippets the segments point to (wagtail-localize creates
    them with get_or_create per segment)."""
    rows = {
        v.translation_key: TranslatableObject(
            translation_key=v.translation_key, content_type=v.content_type
        )
        for _s, _i, v in values
        if isinstance(v, RelatedObjectSegmentValue)
    }
    if rows:
        TranslatableObject.objects.bulk_create(rows.values(), ignore_conflicts=True)
    return rows


@contextmanager
def in_memory():
    """For building translated pages in memory: wagtail-localize copies each inline child
    relation with modelcluster's `copy_child_relation`, which is `@transaction.atomic` although
    it writes nothing (commit=False): a SAVEPOINT and a RELEASE per page and relation, the only
    queries of a batch that grew with its pages. Inside, nested blocks take no savepoint (as
    with `atomic(savepoint=False)`); nothing in the block writes, and the caller's transaction
    still covers it (an error in it marks that transaction for rollback)."""
    connection = transaction.get_connection()
    connection.savepoint = lambda: None  # the connection's own method, shadowed for the block
    try:
        yield
    finally:
        del connection.savepoint
