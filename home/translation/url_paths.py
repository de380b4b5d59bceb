"""Every page's `url_path` follows its ancestors' slugs, in whatever order pages are published.

Wagtail stores a page's address in `url_path` and rewrites its descendants by prefix when its slug
changes. Publishing a translation breaks that: wagtail-localize publishes a revision whose page
object still holds the parent it cached before the parent's slug was translated, so a child
published after (or before) its parent keeps the old prefix, is outside every site and has no URL
(`href="None"`, 500s). Recomputing from the tree after each publish repairs the page and its
whole subtree, in any order.
"""

from django.db.models import Q
from wagtail.models import Page, Site

STEPLEN = Page.steplen


def repair_url_paths(page_model=Page, path=""):
    """Recompute `url_path` of the page at `path` and of every page below it (all pages when
    `path` is empty) from the slugs of the tree. Returns how many pages were fixed.

    Works on the historical model in migrations too: it only reads path, slug and url_path."""
    return repair_subtrees(page_model, [path])


def repair_subtrees(page_model, paths):
    """`repair_url_paths` for the subtrees at several `paths` at once (e.g. every page a PO
    import renamed): three queries however many subtrees and pages."""
    roots = _outermost(paths)
    if not roots:
        return 0
    below = Q()
    for root in roots:
        below |= Q(path__startswith=root)
    rows = (
        page_model.objects.filter(below)
        .order_by("path")
        .values_list("pk", "path", "slug", "url_path")
    )
    url_paths = _parent_url_paths(page_model, roots)
    changed = []
    for pk, page_path, slug, url_path in rows:
        expected = url_path_below(page_path, slug, url_paths)
        url_paths[page_path] = expected
        if expected != url_path:
            changed.append(page_model(pk=pk, path=page_path, url_path=expected))
    page_model.objects.bulk_update(changed, ["url_path"], batch_size=500)
    if any(len(page.path) <= 2 * STEPLEN for page in changed):
        Site.clear_site_root_paths_cache()  # a site root (or its translation) moved
    return len(changed)


def _outermost(paths):
    """The paths not below another of `paths` ("" stands for the whole tree)."""
    roots = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def _parent_url_paths(page_model, roots):
    parents = {root[:-STEPLEN] for root in roots} - {""}
    return dict(page_model.objects.filter(path__in=parents).values_list("path", "url_path"))


def url_path_below(path, slug, known):
    """The url_path of the page at `path` with `slug`, from its parent's in `known`
    ({path: url_path}): Wagtail's `set_url_path` without the parent instance."""
    if len(path) == STEPLEN:
        return "/"  # the tree's root
    return known[path[:-STEPLEN]] + slug + "/"


def repair_on_publish(sender, instance, **kwargs):
    """`page_published` receiver: the published page and its subtree get consistent url_paths."""
    if isinstance(instance, Page) and repair_url_paths(Page, instance.path):
        instance.url_path = Page.objects.values_list("url_path", flat=True).get(pk=instance.pk)
