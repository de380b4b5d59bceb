"""PO files for agencies: export a job's translations, import them back atomically.

`Translation.import_po()` silently imports nothing when the file's X-WagtailLocalize-TranslationID
does not match, and only warns about strings it does not know; here every such case is an error
that names the file, and nothing is written unless every file is good.
"""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import DraftStateMixin, Locale, Page
from wagtail_localize.models import (
    SourceDeletedError,
    StringNotUsedInContext,
    StringSegment,
    StringTranslation,
    Translation,
    UnknownContext,
    UnknownString,
)

from .jobs import has_live_target, job_objects

TRANSLATION_ID_HEADER = "X-WagtailLocalize-TranslationID"


class POImportError(Exception):
    """One or more PO files are unusable; `messages` says why, per file."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class ExportedFile:
    name: str
    content: str
    translation: Translation
    started: bool = False  # the export started this translation


@dataclass
class ImportResult:
    name: str
    translation: Translation
    strings: int = 0
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the import did differently than asked


def get_locale(language_code):
    if language_code == settings.LANGUAGE_CODE:
        raise POImportError([f"'{language_code}' is the source language, not a translation"])
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        raise POImportError([f"Unknown locale '{language_code}' (run manage.py sync_locales?)"])
    return locale


def all_source_objects():
    """Every Czech page below the sites' roots (as subtrees of the roots) and every translatable
    snippet, for `--all`."""
    from .roles import translatable_snippet_models

    source = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    roots = list(Page.objects.filter(depth=2, locale=source, alias_of__isnull=True).specific())
    snippets = [
        obj
        for model in translatable_snippet_models()
        for obj in model.objects.filter(locale=source)
    ]
    return roots, snippets


def po_file_name(instance, language_code):
    if isinstance(instance, Page):
        prefix = f"page-{instance.pk}"
    else:
        prefix = f"{instance._meta.app_label}.{instance._meta.model_name}-{instance.pk}"
    return f"{prefix}-{slugify(str(instance))[:40] or 'x'}.{language_code}.po"


def render_pos(translations, language_code):
    """The PO file of each of `translations` (into one locale), as `Translation.export_po()`
    writes it (segments with their translations, then obsolete translations for reference),
    with three queries for the batch instead of three per file."""
    if not translations:
        return []
    locale_id = translations[0].target_locale_id
    sources = {t.source_id: t.source for t in translations}
    segments = {source_id: [] for source_id in sources}
    for segment in (
        StringSegment.objects.filter(source_id__in=list(sources))
        .order_by("source_id", "order")
        .select_related("context", "string")
        .annotate_translation(locale_id, include_errors=True)
    ):
        segments[segment.source_id].append(segment)
    obsolete = {}
    for row in (
        StringTranslation.objects.filter(
            context__object_id__in={s.object_id for s in sources.values()}, locale_id=locale_id
        )
        .select_related("translation_of", "context")
        .order_by("pk")
    ):
        obsolete.setdefault(row.context.object_id, []).append(row)
    files = []
    for translation in translations:
        po = polib.POFile(wrapwidth=200)
        po.metadata = {
            "POT-Creation-Date": str(timezone.now()),
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=utf-8",
            "X-WagtailLocalize-TranslationID": str(translation.uuid),
        }
        used = set()
        for segment in segments[translation.source_id]:
            used.add(segment.string_id)
            po.append(
                polib.POEntry(
                    msgid=segment.string.data,
                    msgctxt=segment.context.path,
                    msgstr=segment.translation or "",
                )
            )
        for row in obsolete.get(translation.source.object_id, []):
            if row.translation_of_id in used:
                continue
            po.append(
                polib.POEntry(
                    msgid=row.translation_of.data,
                    msgstr=row.data or "",
                    msgctxt=row.context.path,
                    obsolete=True,
                )
            )
        po.metadata["Language"] = language_code
        po.metadata["X-Source-Object"] = translation.source.object_repr[:200]
        files.append(str(po))
    return files


@transaction.atomic
def export_translations(
    locale, roots, include_subtree=True, snippets=(), user=None, start_missing=True, progress=None
):
    """PO files for the given pages (with their subtrees) and snippets in `locale`, starting the
    translation of whatever is not translated yet (and of the snippets those pages use) unless
    `start_missing` is false. `progress(done, total)` is called after each batch of objects."""
    from .background import batch_size

    objects = export_object_list(locale, roots, include_subtree, snippets)
    files, size = {}, batch_size()
    for start in range(0, len(objects), size):
        for f in export_objects(locale, objects[start : start + size], user, start_missing):
            files.setdefault(f.name, f)
        if progress:
            progress(min(start + size, len(objects)), len(objects))
    return sorted(files.values(), key=lambda f: f.name)


def export_object_list(locale, roots, include_subtree=True, snippets=()):
    """The objects an export covers: the pages above each root without a live translation,
    each root (with its subtree), the snippets; each once, in that order."""
    objects, seen = [], set()
    for root in roots:
        for obj in [*_unpublished_ancestors(root, locale), *job_objects(root, include_subtree)]:
            if (type(obj), obj.pk) not in seen:
                seen.add((type(obj), obj.pk))
                objects.append(obj)
    objects += [s for s in snippets if (type(s), s.pk) not in seen]
    return objects


def export_objects(locale, objects, user=None, start_missing=True):
    """PO files of `objects` (a batch) in `locale`, starting the missing translations first (in
    one go, see `start_objects`); the snippets a started page uses come along."""
    from .jobs import start_objects

    def enabled_translations(keys):
        return {
            t.source.object_id: t
            for t in Translation.objects.filter(
                source__object_id__in=keys,
                source__locale__language_code=settings.LANGUAGE_CODE,
                target_locale=locale,
                enabled=True,
            ).select_related("source")
        }

    existing = enabled_translations([o.translation_key for o in objects])
    started = set()
    missing = [o for o in objects if o.translation_key not in existing]
    if start_missing and missing:
        for translation in start_objects(missing, [locale], user=user):
            if translation.source.object_id not in existing:
                existing[translation.source.object_id] = translation
                started.add(translation.source.object_id)

    by_key = {o.translation_key: o for o in objects}
    files = []
    contents = render_pos(list(existing.values()), locale.language_code)
    for (key, translation), content in zip(existing.items(), contents, strict=True):
        instance = by_key.get(key) or translation.source.get_source_instance()
        files.append(
            ExportedFile(
                name=po_file_name(instance, locale.language_code),
                content=content,
                translation=translation,
                started=key in started,
            )
        )
    files.sort(key=lambda f: f.name)
    return files


def _unpublished_ancestors(page, locale):
    """Parents without a live translation: the translated page's URL goes through them, so the
    agency translates their titles (and slugs) in the same job."""
    if not isinstance(page, Page):
        return []
    ancestors = list(page.get_ancestors().filter(depth__gte=2).specific())
    live = set(
        Page.objects.filter(
            translation_key__in=[a.translation_key for a in ancestors], locale=locale, live=True
        ).values_list("translation_key", flat=True)
    )
    return [a for a in ancestors if a.translation_key not in live]


def write_files(files, directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for f in files:
        (directory / f.name).write_text(f.content, encoding="utf-8")


def zip_files(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            archive.writestr(f.name, f.content)
    return buffer.getvalue()


def parse_po(name, content):
    """A polib.POFile, or POImportError naming the file."""
    try:
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        return polib.pofile(content)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise POImportError([f"{name}: not a readable PO file ({exc})"]) from exc


def check_po_files(named_contents, locale):
    """[(name, POFile, Translation)] for files that are all good, else POImportError with every
    problem found. The files' translations are read in one query."""
    errors, parsed = [], []
    for name, content in named_contents:
        try:
            parsed.append((name, parse_po(name, content)))
        except POImportError as exc:
            errors += exc.messages
    ids = {_uuid(po.metadata.get(TRANSLATION_ID_HEADER, "")) for _name, po in parsed}
    translations = {
        str(t.uuid): t
        for t in Translation.objects.filter(uuid__in=ids - {None})
        .select_related("source", "target_locale")
        .order_by()
    }
    checked = []
    for name, po in parsed:
        problem, translation = _check_po_file(po, locale, translations)
        if problem:
            errors.append(f"{name}: {problem}")
        else:
            checked.append((name, po, translation))
    if errors:
        raise POImportError(errors)
    return checked


def _check_po_file(po, locale, translations):
    """(problem, None) when the file cannot be imported into `locale`, else (None, its
    Translation), from `translations` ({uuid: Translation})."""
    language = other_language(po, locale)
    if language:
        return f"written for locale '{language}', not '{locale.language_code}'", None
    translation_id = po.metadata.get(TRANSLATION_ID_HEADER, "").strip()
    if not translation_id:
        return f"no {TRANSLATION_ID_HEADER} header; export the file again", None
    translation = translations.get(_uuid(translation_id))
    if translation is None:
        return f"unknown translation {translation_id} (deleted or another site?)", None
    if translation.target_locale_id != locale.pk:
        return (
            f"translation {translation_id} is into "
            f"'{translation.target_locale.language_code}', not '{locale.language_code}'"
        ), None
    if not translation.enabled:
        return f"translation {translation_id} is disabled", None
    return None, translation


def other_language(po, locale):
    """The PO file's Language header when it names another language than `locale`, else None.
    The one rule for the command and the admin's upload: the header's name in any case, `_` or
    `-`, and a region of the same language ("uk_UA" for uk) are the same language."""
    header = next(
        (value for key, value in po.metadata.items() if key.strip().lower() == "language"), ""
    ).strip()
    written, target = (code.lower().replace("_", "-") for code in (header, locale.language_code))
    if not written or written == target:
        return None
    if written.split("-")[0] == target or target.split("-")[0] == written:
        return None  # a region of the same language
    return header


def _uuid(value):
    """The UUID in `value` in its canonical form, or None."""
    import uuid

    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


def import_translations(
    named_contents, locale, publish=False, user=None, allow_unknown=False, progress=None
):
    """Import PO files into `locale`, then save the translations as drafts (or publish them).

    All or nothing: any bad file, unknown string (unless `allow_unknown`) or validation error
    rolls everything back and raises POImportError. `progress(done, total)` after each batch."""
    from .background import batch_size

    checked = _in_tree_order(check_po_files(named_contents, locale))
    results, size = [], batch_size()
    with transaction.atomic():
        for start in range(0, len(checked), size):
            results += import_checked(checked[start : start + size], publish, user, allow_unknown)
            if progress:
                progress(min(start + size, len(checked)), len(checked))
    return results


@transaction.atomic
def import_checked(checked, publish=False, user=None, allow_unknown=False):
    """Import files that passed `check_po_files` (in tree order): all of them or, on any
    error, none (POImportError)."""
    from .strings import import_po_files

    results = []
    errors = []
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL goes on after an error
            imported = import_po_files(checked, user=user, tool_name="PO import")
    except DatabaseError:
        imported = {}  # file by file below, to name the one that cannot be stored
    for name, po, translation in checked:
        if name in imported:
            warnings = imported[name]
        else:
            try:
                with transaction.atomic():
                    warnings = translation.import_po(po, user=user, tool_name="PO import")
            except DatabaseError as exc:  # e.g. a translation longer than its field
                errors.append(f"{name}: cannot be stored: {exc}".strip())
                continue
        result = ImportResult(name, translation, sum(1 for e in po if e.msgstr and not e.obsolete))
        result.warnings = [_describe(w) for w in warnings]
        if result.warnings and not allow_unknown:
            errors += [f"{name}: {w}" for w in result.warnings]
        results.append(result)
    if errors:
        raise POImportError(errors)
    saved = _update_drafts(results, user) if not publish else set()
    for result in results:
        if result.translation.pk not in saved:
            _save(result, errors, user, publish)
    if errors:
        raise POImportError(errors)
    return results


def _in_tree_order(checked):
    """Snippets first, then pages parents before children: a page is saved under its parent's
    translated slug, and a parent's new slug is in place before its children are published."""
    keys = [translation.source.object_id for _name, _po, translation in checked]
    paths = dict(
        Page.objects.filter(
            translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
        ).values_list("translation_key", "path")
    )
    return sorted(checked, key=lambda c: (paths.get(c[2].source.object_id, ""), c[0]))


def _update_drafts(results, user):
    """Page drafts saved in bulk (home/translation/draft_updates.py), as `_save` would save
    them one by one; returns the ids of the translations done. On a database error nothing
    of it stays and `_save` saves every page, naming the one that fails."""
    from django.contrib.contenttypes.models import ContentType

    from .draft_updates import update_page_drafts

    def model(translation):
        content_type = ContentType.objects.get_for_id(translation.source.specific_content_type_id)
        return content_type.model_class() or object

    pages = [r.translation for r in results if issubclass(model(r.translation), Page)]
    try:
        with transaction.atomic():
            left = update_page_drafts(pages, user=user)
    except DatabaseError:
        return set()
    return {t.pk for t in pages} - {t.pk for t in left}


def _save(result, errors, user, publish):
    """Save a translation as a draft and, with `publish`, publish it inside the import's
    transaction (wagtail-localize would publish after the commit, where a failure leaves the
    import half done). Pages and snippets both have drafts; a published snippet translation is
    never saved as a draft without publishing: wagtail-localize would take it offline
    (live=False), so its strings wait in the translation editor."""
    translation = result.translation
    model = translation.source.specific_content_type.model_class()
    if model is None:
        return
    if not issubclass(model, DraftStateMixin):
        if publish:
            translation.save_target(user=user, publish=True)
        return
    if publish and not _source_is_live(translation):
        # Publishing a translation of a Czech draft would make public what the source is not
        # (e.g. the empty seeded accessibility statement): it stays a draft until the source is.
        result.notes.append("source not published: saved as a draft")
        publish = False
    if not publish and not issubclass(model, Page) and has_live_target(translation):
        return
    try:
        with transaction.atomic():
            translation.save_target(user=user, publish=False)
            if publish:
                target = translation.get_target_instance()
                target.get_latest_revision().publish(user=user, skip_permission_checks=True)
    except DatabaseError as exc:
        errors.append(f"{result.name}: cannot be stored: {exc}".strip())
    except ValidationError as exc:
        errors.append(f"{result.name}: the translation does not validate: {exc}")
    except AttributeError as exc:
        # wagtail-localize 1.14 fails reading `error_dict` of a field-level ValidationError (a
        # too long title): report the validation error, not a crash.
        if not isinstance(exc.__context__, ValidationError):
            raise
        errors.append(f"{result.name}: the translation does not validate: {exc.__context__}")
    except SourceDeletedError:
        errors.append(f"{result.name}: its source was deleted")


def _source_is_live(translation):
    try:
        source = translation.source.get_source_instance()
    except SourceDeletedError:
        return True  # reported when saving
    return getattr(source, "live", True)


def _describe(warning):
    if isinstance(warning, UnknownString):
        return f"entry {warning.index}: unknown source string {warning.string!r}"
    if isinstance(warning, UnknownContext):
        return f"entry {warning.index}: unknown context {warning.context!r}"
    if isinstance(warning, StringNotUsedInContext):
        return f"entry {warning.index}: string {warning.string!r} not used in {warning.context!r}"
    return str(warning)


def read_directory(directory):
    directory = Path(directory)
    if not directory.is_dir():
        raise POImportError([f"{directory}: not a directory"])
    paths = sorted(directory.glob("*.po"))
    if not paths:
        raise POImportError([f"{directory}: no .po files"])
    return [(p.name, p.read_bytes()) for p in paths]


def refuse_bad_upload(request, translation):
    """For wagtail-localize's PO upload in the translation editor: a missing file, a file that is
    not PO, or one without the translation id header (wagtail-localize answers 500 for these) is
    sent back with a message; a good file goes on to wagtail-localize's view. None to go on."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from wagtail.admin.utils import get_valid_next_url_from_request

    upload = request.FILES.get("file")
    problem = None
    if upload is None:
        problem = "No PO file was uploaded."
    else:
        try:
            check_po_files([(upload.name, upload.read())], translation.target_locale)
        except POImportError as exc:
            problem = " ".join(exc.messages)
        upload.seek(0)
    if problem is None:
        return None
    messages.error(request, problem)
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")
