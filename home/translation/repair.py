"""One-off repair of pages saved before slugs were ASCII and url_paths were kept consistent (data
migration home 0003). Written against historical models: only plain fields and querysets."""

from .slugs import ascii_slug
from .url_paths import STEPLEN, repair_url_paths


def repair_pages(page_model, revision_model=None):
    """Transliterate every non-ASCII slug (unique among its siblings), then recompute every
    url_path from the tree. Returns (slugs changed, url_paths changed)."""
    renamed = transliterate_slugs(page_model, revision_model)
    return renamed, repair_url_paths(page_model)


def transliterate_slugs(page_model, revision_model=None):
    pages = page_model.objects.order_by("path").values_list("pk", "path", "slug")
    changed = 0
    for pk, path, slug in pages:
        if slug.isascii():
            continue
        new_slug = _free_slug(page_model, path, ascii_slug(slug) or "page", pk)
        page_model.objects.filter(pk=pk).update(slug=new_slug)
        if revision_model is not None:
            _rename_in_revisions(revision_model, pk, slug, new_slug)
        changed += 1
    return changed


def _free_slug(page_model, path, slug, pk):
    """`slug`, or `slug-1`, `slug-2`… when a sibling already has it (Wagtail's own suffix)."""
    taken = set(
        page_model.objects.filter(path__startswith=path[:-STEPLEN], depth=len(path) // STEPLEN)
        .exclude(pk=pk)
        .values_list("slug", flat=True)
    )
    candidate, number = slug, 1
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _rename_in_revisions(revision_model, pk, old_slug, new_slug):
    """Revisions carry the slug too: publishing an older draft must not bring the old one back."""
    revisions = revision_model.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id=str(pk),
        content__slug=old_slug,
    )
    for revision in revisions:
        revision.content["slug"] = new_slug
        revision.save(update_fields=["content"])
