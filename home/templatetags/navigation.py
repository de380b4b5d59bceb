"""Site navigation for the public templates: site root, main menu, breadcrumbs and links.

Everything is resolved from the request's site and the reader's language (home.localization), so
one template serves both sites (MHMP, ICP) in every content language, and every link keeps the
reader in their language, also from a page shown in Czech because it is not translated yet.
"""

from django import template
from wagtail.models import Page, Site

from home.localization import localize, localize_all, reader_chain, reader_children
from home.models import AccessibilityStatementPage
from home.routing import reader_url

register = template.Library()


def _request_site(context):
    request = context.get("request")
    if request is None:
        return None
    return Site.find_for_request(request)


@register.simple_tag(takes_context=True)
def site_root(context):
    """The current site's home page as the reader sees it, or None."""
    site = _request_site(context)
    if site is None:
        return None
    root = localize(site.root_page)
    return root.specific if root is not None else None


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """Live, public, in-menu children of the current site's home, as the reader sees them."""
    root = site_root(context)
    if root is None:
        return Page.objects.none()
    return reader_children(root).filter(show_in_menus=True)


@register.simple_tag(takes_context=True)
def readerurl(context, page):
    """`{% readerurl page %}`: like Wagtail's pageurl, in the reader's language (see
    home.routing.reader_url); empty, never "None", for a page without an address."""
    if page is None:
        return ""
    return reader_url(page, context.get("request")) or ""


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The main navigation; marks the current section and the current page."""
    page = context.get("page")
    frame = context.get("frame_page")
    # A meeting routed through a frame page belongs to the frame's section, but is not the frame.
    current_key = None if frame else getattr(page, "translation_key", None)
    section_key = _section_key(frame or page)
    items = [
        {
            "page": item,
            "is_current": item.translation_key == current_key,
            "in_section": item.translation_key == section_key,
        }
        for item in menu_pages(context)
    ]
    return {"items": items, "request": context.get("request")}


def _section_key(page):
    """translation_key of the top-level section (below the site home) holding `page`: compared
    by key, because the menu and the page may be in different language trees."""
    if not isinstance(page, Page) or page.depth < 3:
        return None
    if page.depth == 3:
        return page.translation_key
    top = page.path[: 3 * Page.steplen]
    return Page.objects.filter(path=top).values_list("translation_key", flat=True).first()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Ancestors from the site's home down to the current page, as the reader sees them.

    A meeting shown in another site's frame (SharedPlatformPage) gets the frame's trail, so the
    reader stays on the site they came from.
    """
    page = context.get("page")
    frame = context.get("frame_page")
    if page is None or not isinstance(page, Page):
        return {"crumbs": [], "current": None}
    trail_end = frame or page
    # depth 1 is Wagtail's root; the site homes (one per language) sit at depth 2.
    crumbs = [c for c in localize_all(trail_end.get_ancestors().filter(depth__gte=2)) if c]
    if frame is not None:
        crumbs.append(frame)
    if not crumbs:  # the home page itself: no trail
        return {"crumbs": [], "current": None}
    return {"crumbs": crumbs, "current": page, "request": context.get("request")}


@register.simple_tag(takes_context=True)
def accessibility_statement(context):
    """The site's published accessibility statement for the footer: in the reader's language or
    the next one of its fallback chain (home.localization), else None.

    Looked up once per request and language (the footer is on every page).
    """
    site = _request_site(context)
    if site is None:
        return None
    request = context["request"]
    chain = tuple(reader_chain())
    cache = request.__dict__.setdefault("_accessibility_statements", {})
    if chain not in cache:
        cache[chain] = AccessibilityStatementPage.for_site(site, list(chain))
    return cache[chain]
