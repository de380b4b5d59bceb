"""Import and export of a whole Concept tree (priorities → areas → recommendations → measures)
as CSV or XLSX, in the columns of ``seed_data/concept_2022_2027.csv`` plus three more.

Columns (header row first; order free):

- ``level``: priority | area | recommendation | measure (required)
- ``code``: 1 | 1.A | 1.A.1 | 1.A.1.I, checked as the admin form checks it (required)
- ``parent_code``: the code of the level above; empty for a priority (required)
- ``title_cs``: the title; for a measure its text (required; may be empty for a priority)
- ``actors_cs``: a recommendation's partner actors, names or short names, ``;``-separated
- ``lead_actors_cs``: a recommendation's lead actors (gestor), same form
- ``text_cs``: a priority's goal or a recommendation's description (HTML, or plain text)
- ``source_url``: where the row was read; not stored, exported empty

An empty optional cell leaves the value as it is (the seed file has no actors: importing it does
not remove actors editors added). Nothing is ever deleted by an import. The file is checked as a
whole first: every row error is reported with row and column, and a file with any error changes
nothing. Then everything is written in one transaction; each changed page gets one revision,
published (which syncs its translations, see home.translation.jobs) or left as a draft.
"""

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale

from home.models import Organisation

from .models import (
    AREA_CODE,
    MEASURE_CODE,
    RECOMMENDATION_CODE,
    AreaPage,
    ConceptPage,
    Measure,
    PriorityPage,
    RecommendationActor,
    RecommendationPage,
)

COLUMNS = [
    "level",
    "code",
    "parent_code",
    "title_cs",
    "actors_cs",
    "source_url",
    "lead_actors_cs",
    "text_cs",
]
REQUIRED = ["level", "code", "parent_code", "title_cs"]
LEVELS = ("priority", "area", "recommendation", "measure")
PRIORITY_CODE = re.compile(r"^(?P<number>\d{1,2})$")
PATTERNS = {
    "area": (AREA_CODE, "1.A"),
    "recommendation": (RECOMMENDATION_CODE, "1.A.1"),
    "measure": (MEASURE_CODE, "1.A.1.I"),
}
PARENT_LEVEL = {"area": "priority", "recommendation": "area", "measure": "recommendation"}
MAX_TITLE = 255
MAX_BYTES = 10 * 1024 * 1024

CREATE, CHANGE, UNCHANGED = "create", "change", "unchanged"


@dataclass
class RowError:
    row: int | None  # spreadsheet row number (the header is row 1); None for the whole file
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(_("řádek %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("sloupec %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportErrors(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Row:
    number: int
    level: str
    code: str
    parent_code: str
    title: str
    leads: list | None = None  # Organisation objects, None = leave as is
    partners: list | None = None
    text: str | None = None


@dataclass
class Outcome:
    row: int
    level: str
    code: str
    action: str
    fields: list = field(default_factory=list)


@dataclass
class Result:
    outcomes: list
    applied: bool = False

    @property
    def counts(self):
        counts = Counter(o.action for o in self.outcomes)
        return {action: counts.get(action, 0) for action in (CREATE, CHANGE, UNCHANGED)}


# --- reading ------------------------------------------------------------------------------------


def read_table(content, name=""):
    """(header, [(row number, {column: text})]) from CSV or XLSX bytes; ImportErrors if the file
    cannot be read at all."""
    if len(content) > MAX_BYTES:
        raise ImportErrors([RowError(None, None, _("Soubor je větší než 10 MB."))])
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        table = _read_xlsx(content)
    else:
        table = _read_csv(content)
    if not table:
        raise ImportErrors([RowError(None, None, _("Soubor je prázdný."))])
    header = [str(cell or "").strip().lower() for cell in table[0][1]]
    rows = []
    for number, cells in table[1:]:
        values = [str(c).strip() if c is not None else "" for c in cells]
        if not any(values):
            continue  # blank lines (spreadsheets often end with some)
        padded = values + [""] * (len(header) - len(values))
        rows.append((number, dict(zip(header, padded, strict=False))))
        if len(values) > len(header) and any(values[len(header) :]):
            rows[-1][1][None] = values[len(header) :]
    return header, rows


def _read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportErrors(
            [
                RowError(
                    None,
                    None,
                    _(
                        "Soubor není v kódování UTF-8 (bajt %(pos)s); uložte jej jako "
                        "„CSV UTF-8“ nebo použijte XLSX."
                    )
                    % {"pos": error.start},
                )
            ]
        ) from error
    first_line = text.split("\n", 1)[0]
    # Czech Excel saves "CSV" with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, [csv_unescape(cell) for cell in row]) for row in reader]
    except csv.Error as error:
        raise ImportErrors([RowError(reader.line_num, None, str(error))]) from error


def _read_xlsx(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = [
            (number, [_cell_text(value) for value in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        workbook.close()
        return table
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError) as error:
        raise ImportErrors(
            [RowError(None, None, _("Soubor není čitelný sešit XLSX (%(e)s).") % {"e": error})]
        ) from error
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ImportErrors(
            [RowError(None, None, _("Soubor není čitelný sešit XLSX (%(e)s).") % {"e": error})]
        ) from error


def _cell_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a priority number typed in Excel
    return value


# --- checking -----------------------------------------------------------------------------------


def source_locale():
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def find_concept(concept_id=None):
    concepts = ConceptPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    if concept_id:
        concepts = concepts.filter(pk=concept_id)
    concepts = list(concepts[:2])
    if not concepts:
        raise ImportErrors([RowError(None, None, _("Koncepce nenalezena."))])
    if len(concepts) > 1:
        raise ImportErrors(
            [RowError(None, None, _("Koncepcí je více; zvolte jednu (--concept ID)."))]
        )
    return concepts[0]


class State:
    """The Concept's current tree, read in a fixed number of queries: each item as an editor
    last saved it (the latest revision where it has unpublished changes)."""

    def __init__(self, concept):
        self.concept = concept
        pages = concept.get_descendants()
        self.priorities = {
            str(p.number): self.current(p)
            for p in PriorityPage.objects.child_of(concept).select_related("latest_revision")
        }
        self.areas = {
            a.code: self.current(a)
            for a in AreaPage.objects.filter(pk__in=pages).select_related("latest_revision")
        }
        self.recommendations = {}
        self.measures = {}
        recommendations = (
            RecommendationPage.objects.filter(pk__in=pages)
            .select_related("latest_revision")
            .prefetch_related("measures", "actors")
        )
        for page in recommendations:
            page = self.current(page)
            self.recommendations[page.code] = page
            for measure in page.measures.all():
                self.measures[measure.code] = measure

    @staticmethod
    def current(page):
        if page.has_unpublished_changes and page.latest_revision is not None:
            return page.latest_revision.as_object()
        return page

    def exists(self, level, code):
        return (
            code
            in {
                "priority": self.priorities,
                "area": self.areas,
                "recommendation": self.recommendations,
                "measure": self.measures,
            }[level]
        )


def organisation_index():
    """Czech organisations by lower-cased name and by short name (a short name that two share
    is no match)."""
    by_name, by_short = {}, defaultdict(list)
    for org in Organisation.objects.filter(locale__language_code=settings.LANGUAGE_CODE):
        by_name[org.name.casefold()] = org
        if org.short_name:
            by_short[org.short_name.casefold()].append(org)
    return by_name, {k: v[0] for k, v in by_short.items() if len(v) == 1}


def check(header, table, state):
    """[Row] from the table; ImportErrors listing every error found."""
    errors = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    for column in missing:
        errors.append(RowError(1, column, _("Chybí povinný sloupec.")))
    for column in unknown:
        errors.append(
            RowError(
                1,
                column,
                _("Neznámý sloupec (známé: %(known)s).") % {"known": ", ".join(COLUMNS)},
            )
        )
    if "" in header:
        errors.append(RowError(1, None, _("Sloupec bez názvu.")))
    if errors:
        raise ImportErrors(errors)

    by_name, by_short = organisation_index()
    # Codes in the file, so a parent may come after its children.
    in_file = {}
    for _number, values in table:
        in_file.setdefault(values.get("code", ""), values.get("level", "").lower())
    seen = {}
    rows = []
    for number, values in table:
        row_errors = []

        def error(column, message, number=number, row_errors=row_errors):
            row_errors.append(RowError(number, column, message))

        if None in values:
            error(None, _("Řádek má více buněk než záhlaví."))
        level = values["level"].lower()
        code = values["code"]
        parent_code = values["parent_code"]
        title = values["title_cs"]
        if level not in LEVELS:
            error(
                "level", _("Úroveň musí být jedna z: %(levels)s.") % {"levels": ", ".join(LEVELS)}
            )
        elif not code:
            error("code", _("Chybí kód."))
        elif level == "priority":
            if not PRIORITY_CODE.match(code):
                error("code", _("Kód priority je číslo (např. 1)."))
            if parent_code:
                error("parent_code", _("Priorita nemá nadřazenou položku."))
        else:
            pattern, example = PATTERNS[level]
            match = pattern.match(code)
            if not match:
                error("code", _("Kód neodpovídá schématu (např. %(ex)s).") % {"ex": example})
            elif match["parent"] != parent_code:
                error(
                    "parent_code",
                    _("Kód %(code)s musí navazovat na kód nadřazené položky (%(p)s).")
                    % {"code": code, "p": match["parent"]},
                )
            elif not (
                in_file.get(parent_code) == PARENT_LEVEL[level]
                or state.exists(PARENT_LEVEL[level], parent_code)
            ):
                error(
                    "parent_code",
                    _("Nadřazená položka %(p)s není v souboru ani v koncepci.")
                    % {"p": parent_code},
                )
        if code and code in seen:
            error(
                "code",
                _("Kód %(code)s už je na řádku %(row)s.") % {"code": code, "row": seen[code][0]},
            )
        if level in LEVELS and code:
            seen.setdefault(code, (number, level))
        if level in ("area", "recommendation", "measure") and not title:
            error("title_cs", _("Chybí název."))
        if level != "measure" and len(title) > MAX_TITLE:
            error("title_cs", _("Název je delší než %(n)s znaků.") % {"n": MAX_TITLE})

        actors = {}
        for column, role in (("lead_actors_cs", "lead"), ("actors_cs", "partner")):
            names = [n.strip() for n in values.get(column, "").split(";") if n.strip()]
            if names and level != "recommendation":
                error(column, _("Aktéry lze uvést jen u doporučení."))
                continue
            orgs = []
            for name in names:
                org = by_name.get(name.casefold()) or by_short.get(name.casefold())
                if org is None:
                    error(column, _("Neznámý aktér „%(name)s“.") % {"name": name})
                else:
                    orgs.append(org)
            actors[role] = orgs if names else None
        text = values.get("text_cs", "") or None
        if text and level not in ("priority", "recommendation"):
            error("text_cs", _("Text lze uvést jen u priority a doporučení."))
        if text and "<" not in text:
            text = "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())

        errors.extend(row_errors)
        if not row_errors:
            rows.append(
                Row(
                    number,
                    level,
                    code,
                    parent_code,
                    title,
                    leads=actors.get("lead"),
                    partners=actors.get("partner"),
                    text=text,
                )
            )
    if errors:
        raise ImportErrors(errors)
    return rows


# --- planning and applying ----------------------------------------------------------------------


def _actor_set(page):
    return {(a.organisation_id, a.role) for a in page.actors.all()}


def _wanted_actors(row):
    if row.leads is None and row.partners is None:
        return None
    wanted = {org.pk: "lead" for org in row.leads or []}
    for org in row.partners or []:
        wanted.setdefault(org.pk, "partner")
    return wanted


def _changes(row, state):
    """Names of the fields `row` would change on the existing item."""
    if row.level == "measure":
        measure = state.measures[row.code]
        return ["title_cs"] if measure.text != row.title else []
    page = {
        "priority": state.priorities,
        "area": state.areas,
        "recommendation": state.recommendations,
    }[row.level][row.code]
    changed = []
    if row.title and page.title != row.title:
        changed.append("title_cs")
    if row.level == "priority" and row.text is not None and page.goal != row.text:
        changed.append("text_cs")
    if row.level == "recommendation":
        if row.text is not None and page.description != row.text:
            changed.append("text_cs")
        wanted = _wanted_actors(row)
        if wanted is not None and _actor_set(page) != set(wanted.items()):
            changed.append("actors_cs")
    return changed


def plan(rows, state):
    outcomes = []
    for row in rows:
        if not state.exists(row.level, row.code):
            outcomes.append(Outcome(row.number, row.level, row.code, CREATE))
        else:
            changed = _changes(row, state)
            outcomes.append(
                Outcome(row.number, row.level, row.code, CHANGE if changed else UNCHANGED, changed)
            )
    return outcomes


def _free_slug(parent, slug):
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def slug_for(code):
    return slugify(code.replace(".", "-"))


def _save(page, user, draft, parent=None):
    """Add `page` under `parent` (new) or store its new revision; publish unless `draft`."""
    if parent is not None:
        page.locale = parent.locale
        page.slug = _free_slug(parent, page.slug)
        page.live = not draft
        parent.add_child(instance=page)
    revision = page.save_revision(user=user)
    if not draft:
        revision.publish(user=user)
    return page


def _set_actors(page, wanted):
    kept = []
    for actor in page.actors.all():
        if actor.organisation_id in wanted:
            actor.role = wanted.pop(actor.organisation_id)
            kept.append(actor)
    for position, (org_id, role) in enumerate(wanted.items(), start=len(kept)):
        kept.append(RecommendationActor(organisation_id=org_id, role=role, sort_order=position))
    page.actors = kept


def apply(rows, outcomes, state, user=None, draft=False):
    """Write the planned changes. Parents before children: the file's rows are put in level
    order, and a recommendation with new or changed measures gets one revision for all."""
    actions = {o.row: o for o in outcomes}
    by_level = defaultdict(list)
    for row in rows:
        by_level[row.level].append(row)
    touched = {}  # recommendation code -> page needing a revision

    for row in by_level["priority"]:
        outcome = actions[row.number]
        if outcome.action == CREATE:
            number = int(row.code)
            page = PriorityPage(
                title=row.title or f"Priorita {number}",
                slug=f"priorita-{number}",
                number=number,
                goal=row.text or "",
            )
            state.priorities[row.code] = _save(page, user, draft, parent=state.concept)
        elif outcome.action == CHANGE:
            page = state.priorities[row.code]
            if row.title:
                page.title = row.title
            if row.text is not None:
                page.goal = row.text
            _save(page, user, draft)

    for level, model, pages, parents in (
        ("area", AreaPage, state.areas, state.priorities),
        ("recommendation", RecommendationPage, state.recommendations, state.areas),
    ):
        for row in by_level[level]:
            outcome = actions[row.number]
            if outcome.action == CREATE:
                page = model(title=row.title, slug=slug_for(row.code), code=row.code)
                if level == "recommendation":
                    page.description = row.text or ""
                    wanted = _wanted_actors(row)
                    if wanted:
                        _set_actors(page, wanted)
                parent = parents[row.parent_code]
                pages[row.code] = page
                if level == "recommendation":
                    # Saved with its measures below (one revision).
                    page._new_parent = parent
                    touched[row.code] = page
                else:
                    _save(page, user, draft, parent=parent)
            elif outcome.action == CHANGE:
                page = pages[row.code]
                page.title = row.title
                if level == "recommendation":
                    if row.text is not None:
                        page.description = row.text
                    wanted = _wanted_actors(row)
                    if wanted is not None:
                        _set_actors(page, wanted)
                    touched[row.code] = page
                else:
                    _save(page, user, draft)

    measure_rows = defaultdict(list)
    for row in by_level["measure"]:
        if actions[row.number].action != UNCHANGED:
            measure_rows[row.parent_code].append(row)
    for code, rows_ in measure_rows.items():
        page = state.recommendations[code]
        measures = list(page.measures.all())
        by_code = {m.code: m for m in measures}
        position = max((m.sort_order or 0 for m in measures), default=-1) + 1
        for row in rows_:
            if row.code in by_code:
                by_code[row.code].text = row.title
            else:
                measures.append(Measure(code=row.code, text=row.title, sort_order=position))
                position += 1
        page.measures = measures
        touched[code] = page

    for code, page in touched.items():
        parent = getattr(page, "_new_parent", None)
        try:
            _save(page, user, draft, parent=parent)
        except ValidationError as error:  # e.g. a slug the checks above did not foresee
            row = next(o.row for o in outcomes if o.code == code)
            raise ImportErrors([RowError(row, None, "; ".join(error.messages))]) from error


def import_concept(content, name="", concept=None, user=None, draft=False, dry_run=False):
    """Check the file, plan, and (unless dry_run) apply it in one transaction. Returns a Result;
    raises ImportErrors with every error found."""
    header, table = read_table(content, name)
    concept = concept or find_concept()
    with transaction.atomic():
        state = State(concept)
        rows = check(header, table, state)
        outcomes = plan(rows, state)
        result = Result(outcomes)
        if not dry_run and any(o.action != UNCHANGED for o in outcomes):
            apply(rows, outcomes, state, user=user, draft=draft)
            result.applied = True
    return result


# --- export -------------------------------------------------------------------------------------


def export_rows(concept):
    """The Concept's Czech tree as rows of COLUMNS, in tree order, as stored (latest saved
    state of each page), in a fixed number of queries."""
    state = State(concept)
    areas = sorted(state.areas.values(), key=lambda p: p.path or "")
    recommendations = sorted(state.recommendations.values(), key=lambda p: p.path or "")
    orgs = Organisation.objects.in_bulk(
        {a.organisation_id for r in recommendations for a in r.actors.all()}
    )

    def names(page, role):
        return "; ".join(orgs[a.organisation_id].name for a in page.actors.all() if a.role == role)

    rows = []
    for number, priority in sorted(state.priorities.items(), key=lambda kv: int(kv[0])):
        rows.append(["priority", number, "", priority.title, "", "", "", priority.goal or ""])
        for area in (a for a in areas if a.path.startswith(priority.path)):
            rows.append(["area", area.code, number, area.title, "", "", "", ""])
            for rec in (r for r in recommendations if r.path.startswith(area.path)):
                rows.append(
                    [
                        "recommendation",
                        rec.code,
                        area.code,
                        rec.title,
                        names(rec, "partner"),
                        "",
                        names(rec, "lead"),
                        rec.description or "",
                    ]
                )
                for measure in rec.measures.all():
                    rows.append(["measure", measure.code, rec.code, measure.text, "", "", "", ""])
    return rows


# A spreadsheet runs a CSV cell starting with one of these as a formula (CSV injection: a
# title or an actor's note like "=HYPERLINK(…)" would run on the editor's machine). Such a
# cell is written with a leading apostrophe, which spreadsheets show as text and the importer
# removes again (OWASP's advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_unescape(text):
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_csv_rows(writer, rows):
    writer.writerows([csv_safe(value) for value in row] for row in rows)


def text_cell(sheet, value):
    """An XLSX cell of a write-only sheet; a string is always text, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_csv(rows, handle):
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    write_csv_rows(writer, rows)


def write_xlsx(rows, handle, sheet_title="koncepce"):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])
    workbook.save(handle)


def export_concept(concept, fmt="csv"):
    """The export as bytes."""
    return rows_as_bytes(export_rows(concept), fmt)


def rows_as_bytes(rows, fmt="csv"):
    """Rows in the import/export columns as an XLSX or UTF-8 CSV file's bytes."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(rows, buffer)
        return buffer.getvalue()
    text = io.StringIO()
    write_csv(rows, text)
    return text.getvalue().encode("utf-8")
