"""Action-plan monitoring: counts and shares by status for each action plan, the Concept, each
priority, area and recommendation, and each responsible actor, in a fixed number of queries.

Everything is computed on the Czech source items (status is a synchronised field: every language
has the same) and keyed by translation_key, so a page in any language finds its numbers.

The Concept, its priorities, areas and recommendations count each measure once, at its latest
entry (the action plan with the highest year): a measure carried over from 2025 to 2026 counts
with its 2026 status. An action plan and an actor count their own items."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from home.localization import readable

from .models import ActionPlanItem, ActionPlanPage, ConceptPage

Status = ActionPlanItem.Status
STATUSES = [choice.value for choice in Status]
DONE = Status.DONE.value
# Colours are a help, never the only carrier of meaning: every bar has a text equivalent and the
# table beside it; segments also differ by pattern (see progress.html).
COLOURS = {
    "done": "#1b7a3a",
    "in_progress": "#1f5fa8",
    "planned": "#6b6b6b",
    "postponed": "#a05a00",
    "cancelled": "#8b1c1c",
}


@dataclass
class Progress:
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @classmethod
    def of(cls, items):
        """The Progress of action-plan items (objects with a `status`), each counted once."""
        progress = cls()
        for item in items:
            progress.add(item.status)
        return progress

    def add(self, status):
        self.counts[status] = self.counts.get(status, 0) + 1

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def done(self):
        return self.counts.get(DONE, 0)

    @property
    def share_done(self):
        """Done / all items, 0–1 (0 with no items), rounded to 4 places."""
        return round(self.done / self.total, 4) if self.total else 0.0

    @property
    def percent_done(self):
        return round(100 * self.share_done)

    def segments(self):
        """(status, label, count, percent, x, width, colour) in status order, for bars and
        tables; x and width in percent of the bar."""
        x = 0.0
        rows = []
        for status in STATUSES:
            count = self.counts.get(status, 0)
            width = 100 * count / self.total if self.total else 0.0
            rows.append(
                (status, Status(status).label, count, round(width), x, width, COLOURS[status])
            )
            x += width
        return rows

    def summary(self):
        """The whole bar as one sentence (the bar's text equivalent)."""
        if not self.total:
            return _("Zatím bez položek akčního plánu.")
        parts = ", ".join(f"{label} {count}" for _s, label, count, *_rest in self.segments())
        return _("Splněno %(done)d z %(total)d (%(percent)d %%): %(parts)s.") % {
            "done": self.done,
            "total": self.total,
            "percent": self.percent_done,
            "parts": parts,
        }

    def as_dict(self):
        return {
            "counts": dict(self.counts),
            "total": self.total,
            "done": self.done,
            "share_done": self.share_done,
        }


@dataclass
class Rollups:
    concept: Progress
    plans: dict  # plan translation_key -> Progress
    priorities: dict  # translation_key -> Progress
    areas: dict
    recommendations: dict
    actors: dict  # organisation translation_key -> Progress
    items: list  # the item rows read (dicts), for reports

    def get(self, page):
        """The Progress of a Concept, priority, area, recommendation or action-plan page in any
        language (an empty one where nothing is planned yet)."""
        for mapping in (self.plans, self.priorities, self.areas, self.recommendations):
            if page.translation_key in mapping:
                return mapping[page.translation_key]
        if isinstance(page, ConceptPage):
            return self.concept
        return Progress()


def source_concept(concept):
    if concept.locale.language_code == settings.LANGUAGE_CODE:
        return concept
    return ConceptPage.objects.filter(
        translation_key=concept.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()


ITEM_FIELDS = (
    "pk",
    "status",
    "deadline",
    "note",
    "sort_order",
    "page_id",
    "page__year",
    "page__translation_key",
    "page__path",
    "measure_id",
    "measure__code",
    "measure__text",
    "measure__page__path",
    "measure__page__translation_key",
    "responsible_id",
    "responsible__translation_key",
    "responsible__name",
)


def rollups(concept, plans=None, public=True):
    """Rollups for `concept` (any language) over `plans` (default: its Czech action plans,
    the ones readers see when `public`). Three queries (see `rollups_for`)."""
    found = rollups_for([concept], plans, public)
    return found.get(concept.translation_key) or Rollups(Progress(), {}, {}, {}, {}, {}, [])


def rollups_for(concepts, plans=None, public=True):
    """{concept translation_key: Rollups} for any number of Concepts, in three queries: the
    Czech Concepts, the items of their plans, the priorities and areas."""
    from wagtail.models import Page

    keys = {concept.translation_key for concept in concepts}
    sources = list(
        ConceptPage.objects.filter(
            translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
        ).only("path", "depth", "translation_key")
    )
    if not sources:
        return {}
    below = Q()
    for source in sources:
        below |= Q(path__startswith=source.path)
    if plans is None:
        plans = ActionPlanPage.objects.filter(below, locale__language_code=settings.LANGUAGE_CODE)
        if public:
            plans = readable(plans).public()
    items = list(
        ActionPlanItem.objects.filter(page_id__in=plans.values("pk"))
        .order_by("page__year", "page_id", "sort_order", "pk")
        .values(*ITEM_FIELDS)
    )
    depths = {s.depth + 1 for s in sources} | {s.depth + 2 for s in sources}
    tree = list(
        Page.objects.filter(below, depth__in=depths).values_list("path", "translation_key", "depth")
    )
    return {
        source.translation_key: _rollup(
            source,
            [i for i in items if i["page__path"].startswith(source.path)],
            [t for t in tree if t[0].startswith(source.path)],
        )
        for source in sources
    }


def _rollup(concept, items, tree):
    priorities = [(p, k) for p, k, d in tree if d == concept.depth + 1]
    areas = [(p, k) for p, k, d in tree if d == concept.depth + 2]
    by_plan, by_actor = defaultdict(Progress), defaultdict(Progress)
    latest = {}  # measure id -> item (items come in year order: the last one wins)
    for item in items:
        by_plan[item["page__translation_key"]].add(item["status"])
        if item["responsible__translation_key"]:
            by_actor[item["responsible__translation_key"]].add(item["status"])
        latest[item["measure_id"]] = item

    whole = Progress()
    by_priority, by_area, by_rec = (
        defaultdict(Progress),
        defaultdict(Progress),
        defaultdict(Progress),
    )
    for item in latest.values():
        status, path = item["status"], item["measure__page__path"] or ""
        whole.add(status)
        by_rec[item["measure__page__translation_key"]].add(status)
        for prefix, key in priorities:
            if path.startswith(prefix):
                by_priority[key].add(status)
        for prefix, key in areas:
            if path.startswith(prefix):
                by_area[key].add(status)
    return Rollups(
        whole, dict(by_plan), dict(by_priority), dict(by_area), dict(by_rec), dict(by_actor), items
    )


def is_overdue(deadline, status, today=None):
    today = today or datetime.date.today()
    return bool(deadline) and deadline < today and status not in (DONE, Status.CANCELLED.value)
