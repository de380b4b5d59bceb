"""Rows and coverage figures for the translation status report (pages and snippets)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import pgettext_lazy
from wagtail.models import Locale, Page

from home.localization import content_languages
from home.translation_status import (
    IN_PROGRESS,
    MISSING,
    OUTDATED,
    STATUSES,
    UP_TO_DATE,
    PageRow,
    translation_states,
)

from .roles import translatable_snippet_models

# Statuses as the admin reads them (its own language); the CSV export and the API keep the codes.
STATUS_LABELS = {
    UP_TO_DATE: pgettext_lazy("stav překladu", "aktuální"),
    OUTDATED: pgettext_lazy("stav překladu", "zastaralý"),
    IN_PROGRESS: pgettext_lazy("stav překladu", "rozpracovaný"),
    MISSING: pgettext_lazy("stav překladu", "chybí"),
}


@dataclass
class Row:
    kind: str  # verbose name of the page type / snippet model
    instance: object
    depth: int
    states: dict  # language -> TranslationState

    @property
    def edit_url(self):
        return edit_url(self.instance)


def edit_url(instance):
    """Admin edit URL without queries (the report must stay bulk)."""
    from django.urls import NoReverseMatch, reverse

    if instance is None:
        return ""
    if isinstance(instance, Page | PageRow):
        return reverse("wagtailadmin_pages:edit", args=[instance.pk])
    meta = instance._meta
    try:
        return reverse(
            f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[instance.pk]
        )
    except NoReverseMatch:
        return ""


def status_rows():
    """One row per Czech page (in tree order) and translatable snippet. A fixed number of
    queries: one listing and three status queries per model family."""
    source = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    pages = list(
        Page.objects.filter(locale=source, depth__gt=1, alias_of__isnull=True)
        .select_related("content_type")
        .order_by("path")
    )
    states = translation_states(Page, [p.translation_key for p in pages])
    rows = [
        Row(
            str(p.content_type.model_class()._meta.verbose_name)
            if p.content_type.model_class()
            else "",
            p,
            p.depth - 2,
            states[p.translation_key],
        )
        for p in pages
    ]
    for model in translatable_snippet_models():
        objects = list(model.objects.filter(locale=source))
        states = translation_states(model, [o.translation_key for o in objects])
        rows += [
            Row(str(model._meta.verbose_name), o, 0, states[o.translation_key]) for o in objects
        ]
    return rows


def coverage(rows):
    """{language: {"total", status counts…, "percent" (share up to date)}} for target languages."""
    result = {}
    for language in content_languages():
        if language == settings.LANGUAGE_CODE:
            continue
        counts = dict.fromkeys(STATUSES, 0)
        for row in rows:
            counts[row.states[language].status] += 1
        total = len(rows)
        counts["total"] = total
        counts["percent"] = round(100 * counts[UP_TO_DATE] / total, 1) if total else 100.0
        result[language] = counts
    return result


__all__ = [
    "IN_PROGRESS",
    "MISSING",
    "OUTDATED",
    "STATUS_LABELS",
    "UP_TO_DATE",
    "coverage",
    "status_rows",
]
