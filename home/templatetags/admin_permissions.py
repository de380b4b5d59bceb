"""Admin templates ask the project's page permission tester (home.translation.permissions) the
questions Wagtail and wagtail-localize do not ask themselves."""

from django import template
from wagtail.models import Page

from home.translation.access import is_translator

register = template.Library()


@register.simple_tag(takes_context=True)
def page_allows(context, page, question):
    """{% page_allows page "can_convert_alias" as allowed %}; for a snippet (no tester):
    anyone but a translator."""
    user = context["request"].user
    if not isinstance(page, Page):
        return not is_translator(user)
    tester = page.permissions_for_user(user)
    check = getattr(tester, question, None)
    return bool(check and check())
