"""Site navigation for the public templates: site root, main menu and breadcrumbs.

Everything is resolved from the request's site and the active language, so one template serves
both sites (MHMP, ICP) in every content language.
"""

from django import template
from django.utils import translation
from wagtail.models import Page, Site

from home.api.locale import fallback_chain
from home.models import AccessibilityStatementPage

register = template.Library()


def _request_site(context):
    request = context.get("request")
    if request is None:
        return None
    return Site.find_for_request(request)


@register.simple_tag(takes_context=True)
def site_root(context):
    """The current site's home page in the active language (or the source one), or None."""
    site = _request_site(context)
    if site is None:
        return None
    return site.root_page.localized.specific


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """Live, public, in-menu children of the current site's home in the active language."""
    root = site_root(context)
    if root is None:
        return Page.objects.none()
    return root.get_children().live().public().in_menu()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    """The main navigation; marks the current section and the current page."""
    page = context.get("page")
    frame = context.get("frame_page")
    # A meeting routed through a frame page belongs to the frame's section, but is not the frame.
    page_path = "" if frame else getattr(page, "path", "")
    section_path = getattr(frame or page, "path", "")
    items = []
    for item in menu_pages(context):
        items.append(
            {
                "page": item,
                "is_current": item.path == page_path,
                "in_section": bool(section_path) and section_path.startswith(item.path),
            }
        )
    return {"items": items, "request": context.get("request")}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Ancestors from the site's home down to the current page.

    A meeting shown in another site's frame (SharedPlatformPage) gets the frame's trail, so the
    reader stays on the site they came from.
    """
    page = context.get("page")
    frame = context.get("frame_page")
    if page is None or not isinstance(page, Page):
        return {"crumbs": [], "current": None}
    trail_end = frame or page
    # depth 1 is Wagtail's root; the site homes (one per language) sit at depth 2.
    crumbs = list(trail_end.get_ancestors().filter(depth__gte=2).specific())
    if frame is not None:
        crumbs.append(frame)
    if not crumbs:  # the home page itself: no trail
        return {"crumbs": [], "current": None}
    return {"crumbs": crumbs, "current": page, "request": context.get("request")}


@register.simple_tag(takes_context=True)
def accessibility_statement(context):
    """The site's published accessibility statement for the footer: in the reader's language or
    the next one of its fallback chain (settings.API_FALLBACK_CHAINS, Czech last), else None.

    Looked up once per request and language (the footer is on every page).
    """
    site = _request_site(context)
    if site is None:
        return None
    request = context["request"]
    language = translation.get_language()
    cache = request.__dict__.setdefault("_accessibility_statements", {})
    if language not in cache:
        cache[language] = AccessibilityStatementPage.for_site(site, fallback_chain(language))
    return cache[language]
