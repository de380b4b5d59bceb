"""The strings of many PO files stored at once.

wagtail-localize's `Translation.import_po` looks up the string, the context and the existing
translation of each PO entry with queries of its own, and saves each translation on its own
(some 8 queries an entry). `import_po_files` does the same for a batch of files with one query
per model: the same `StringTranslation` rows, the same warnings, the same error flag.
"""

from django.utils import timezone
from wagtail_localize.models import (
    String,
    StringNotUsedInContext,
    StringSegment,
    StringTranslation,
    TranslationContext,
    UnknownContext,
    UnknownString,
    validate_translation_links,
)
from wagtail_localize.strings import StringValue

from .slugs import transliterate_slug_translation


def import_po_files(checked, user=None, tool_name="", translation_type="manual"):
    """`translation.import_po(po, user=…, tool_name=…)` for each (name, po, translation) of
    `checked`; returns {name: warnings}. Files whose translation id header is not the
    translation's are skipped (no warnings), as wagtail-localize skips them."""
    files = [
        (name, po, t)
        for name, po, t in checked
        if po.metadata.get("X-WagtailLocalize-TranslationID", str(t.uuid)) == str(t.uuid)
    ]
    hashes = {String._get_data_hash(e.msgid) for _n, po, _t in files for e in po}
    strings = {
        (s.locale_id, s.data_hash): s
        for s in String.objects.filter(
            data_hash__in=hashes, locale_id__in={t.source.locale_id for _n, _p, t in files}
        )
    }
    contexts = {
        (c.object_id, c.path): c
        for c in TranslationContext.objects.filter(
            object_id__in={t.source.object_id for _n, _p, t in files},
            path__in={e.msgctxt for _n, po, _t in files for e in po if e.msgctxt is not None},
        )
    }
    string_ids = [s.pk for s in strings.values()]
    context_ids = [c.pk for c in contexts.values()]
    used = set(
        StringSegment.objects.filter(
            string_id__in=string_ids, context_id__in=context_ids
        ).values_list("string_id", "context_id")
    )
    existing = {}
    for row in StringTranslation.objects.filter(
        translation_of_id__in=string_ids, context_id__in=context_ids
    ):
        used.add((row.translation_of_id, row.context_id))  # an obsolete translation counts
        existing[(row.translation_of_id, row.context_id, row.locale_id)] = row

    warnings = {name: [] for name, _po, _t in checked}
    new, changed = {}, {}
    now = timezone.now()
    for name, po, translation in files:
        source = translation.source
        for index, entry in enumerate(po):
            string = strings.get((source.locale_id, String._get_data_hash(entry.msgid)))
            context = contexts.get((source.object_id, entry.msgctxt))
            if string is None:
                warnings[name].append(UnknownString(index, entry.msgid))
                continue
            if context is None:
                warnings[name].append(UnknownContext(index, entry.msgctxt))
                continue
            if not entry.msgstr:
                continue
            if (string.pk, context.pk) not in used:
                warnings[name].append(StringNotUsedInContext(index, entry.msgid, entry.msgctxt))
                continue
            key = (string.pk, context.pk, translation.target_locale_id)
            row = existing.get(key) or new.get(key)
            if row is None:
                new[key] = StringTranslation(
                    translation_of=string,
                    locale_id=translation.target_locale_id,
                    context=context,
                    data=entry.msgstr,
                    translation_type=translation_type,
                    tool_name=tool_name,
                    last_translated_by=user,
                    has_error=False,
                    field_error="",
                )
            elif row.data != entry.msgstr:
                row.translation_of, row.context = string, context  # in hand: no query per row
                row.data = entry.msgstr
                row.translation_type = translation_type
                row.tool_name = tool_name
                row.last_translated_by = user
                row.updated_at = now
                row.has_error = False
                if key in existing:
                    changed[key] = row
    for row in [*new.values(), *changed.values()]:
        transliterate_slug_translation(StringTranslation, row)  # its pre_save signal
        row.has_error = has_error(row)
    if new:
        for row in new.values():
            row.created_at = row.updated_at = now
        StringTranslation.objects.bulk_create(new.values())
    if changed:
        StringTranslation.objects.bulk_update(
            changed.values(),
            ["data", "translation_type", "tool_name", "last_translated_by", "updated_at"]
            + ["has_error"],
        )
    return warnings


def has_error(row):
    """`StringTranslation.save`'s check: HTML that cannot be used on a page, or links that are
    not the source's, mark the translation as having an error."""
    try:
        StringValue.from_translated_html(row.data)
        validate_translation_links(row.translation_of.data, row.data)
    except ValueError:
        return True
    return False
