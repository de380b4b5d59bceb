"""The public actor page: what an organisation leads or partners in, and its action-plan items
with status and deadline (overdue ones flagged). Only what readers may see: live, public pages
in the reader's language (falling back as elsewhere), a published organisation."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from home.localization import localize, localize_all, localize_attribute, readable
from home.models import Organisation
from home.templatetags.translation_tags import view_alternates

from .models import ActionPlanItem, ActionPlanPage, RecommendationActor, RecommendationPage
from .monitoring import Progress, is_overdue


def actor_page(request, pk):
    source = Organisation.objects.filter(pk=pk, locale__language_code=settings.LANGUAGE_CODE)
    source = source.first()
    organisation = localize(source) if source is not None else None
    if organisation is None:  # unknown, or not published
        raise Http404
    roles = dict(
        RecommendationActor.objects.filter(organisation=source).values_list("page_id", "role")
    )
    recommendations = readable(RecommendationPage.objects.filter(pk__in=roles)).public()
    recommendations = sorted(recommendations, key=lambda r: r.path)
    shown = localize_all(recommendations)
    led = [(r, roles[src.pk]) for src, r in zip(recommendations, shown, strict=True) if r]

    plans = readable(ActionPlanPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE))
    items = list(
        ActionPlanItem.objects.filter(responsible=source, page__in=plans.public())
        .select_related("measure", "page")
        .order_by("-page__year", "sort_order", "pk")
    )
    items = localize_attribute(localize_attribute(items, "measure"), "page")
    progress = Progress()
    rows = []
    for item in items:
        progress.add(item.status)
        rows.append((item, is_overdue(item.deadline, item.status)))
    # The page exists in every language; its alternates are the languages the organisation is
    # published in (elsewhere readers get its Czech name, along their fallback chain).
    languages = set(
        Organisation.objects.filter(translation_key=source.translation_key, live=True).values_list(
            "locale__language_code", flat=True
        )
    )
    alternates = view_alternates(request, languages)
    shown = organisation.locale.language_code
    return render(
        request,
        "concept/actor_page.html",
        {
            "alternates": alternates,
            "canonical": next((a.full_url for a in alternates if a.language == shown), None),
            "organisation": organisation,
            "recommendations": [(r, RecommendationActor.Role(role).label) for r, role in led],
            "rows": rows,
            "progress": progress,
        },
    )
