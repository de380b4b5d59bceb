"""Template helpers of the Concept pages."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def recommendation_body(rec):
    """`{{ rec|recommendation_body }}`: the actors and measures of one recommendation of the tree
    (`actor_list` and `measure_list`, concept.models.attach_parts). Written out here rather than
    as an included template: the Concept page shows 500 of them, and a template's per-node cost
    was most of the page's time. The markup is the one the template had, byte for byte."""
    return mark_safe(_body(rec, conditional_escape(gettext("Aktéři:"))))


@register.filter
def recommendation_items(recs, level):
    """`{{ area.recommendation_list|recommendation_items:level }}`: the `<li>` of each
    recommendation of an area in the tree (heading at `level`, then recommendation_body), the
    bytes the template's loop wrote. Looping in the template cost ~10 variable lookups per
    recommendation, 500 times on the Concept page."""
    actors_label = conditional_escape(gettext("Aktéři:"))
    html = []
    for rec in recs:
        heading = (
            f'<h{level}><a href="{conditional_escape(rec.url)}"><span class="code">'
            f"{conditional_escape(rec.code)}</span> {conditional_escape(rec.title)}</a></h{level}>"
        )
        html.append(
            f'\n            <li class="tree__recommendation">\n                {heading}'
            f"\n                {_body(rec, actors_label)}\n            </li>\n            "
        )
    return mark_safe("".join(html))


def _body(rec, actors_label):
    html = ["\n\n"]
    actors = rec.actor_list
    if actors:
        html.append('\n<p class="actors"><span class="actors__label">')
        html.append(actors_label)
        html.append("</span>\n    ")
        html.append(
            "; ".join(
                f'<span class="actor">{conditional_escape(actor.organisation.name)} '
                f'<span class="actor__role">({conditional_escape(actor.role)})</span></span>'
                for actor in actors
            )
        )
        html.append("\n</p>\n")
    html.append("\n")
    measures = rec.measure_list
    if measures:
        # blocktranslate: the value escaped, the translated sentence as it is
        label = gettext("Opatření doporučení %(code)s") % {"code": conditional_escape(rec.code)}
        html.append(f'\n<ul class="measures" aria-label="{label}">\n    ')
        for measure in measures:
            html.append(
                f'\n    <li><span class="code">{conditional_escape(measure.code)}</span> '
                f"{linebreaksbr(measure.text, autoescape=True)}</li>\n    "
            )
        html.append("\n</ul>\n")
    html.append("\n\n")
    return "".join(html)
