from django import template

from platforms.jsonld import jsonld_script, meeting_event

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_jsonld(context, meeting):
    """{% meeting_jsonld page %}: the meeting as schema.org Event JSON-LD."""
    return jsonld_script(meeting_event(meeting, context.get("request")))
