"""Seed content of the Concept 2022–2027: the seed page text and the real structure in
shared/data/concept_2022_2027.csv. Titles the source did not show stay "Priorita N" for editors."""

import csv
import json
from pathlib import Path

from django.utils.html import escape

from home.seed import MHMP, create_page, home_page

from .models import (
    AreaPage,
    ConceptApproval,
    ConceptPage,
    Measure,
    PriorityPage,
    RecommendationPage,
)

CONCEPT_CSV = Path(__file__).parent / "seed_data" / "concept_2022_2027.csv"

CONCEPT_JSON = Path(__file__).parent / "seed_data" / "concept.json"


def concept_data():
    with open(CONCEPT_JSON, encoding="utf-8") as handle:
        return json.load(handle)


def slug_for(code):
    return code.lower().replace(".", "-")


def read_rows():
    with open(CONCEPT_CSV, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _concept(stats, data):
    concept = ConceptPage(
        title=data["title"],
        slug=data["slug"],
        period_from=data["period_from"],
        period_to=data["period_to"],
        body="".join(f"<p>{escape(text)}</p>" for text in data["body_paragraphs"]),
    )
    # Approved by the Council and the Assembly; resolution numbers and dates are for editors.
    for position, body in enumerate(data["approvals"]):
        concept.approvals.add(ConceptApproval(body=body, sort_order=position))
    concept, created = create_page(home_page(MHMP), concept)
    stats["pages"] += created
    return concept


def load(stats, **options):
    data = concept_data()
    concept = _concept(stats, data)
    pages = {}
    # "Současná pražská koncepce definuje pět základních priorit"
    for number in range(1, data["priority_count"] + 1):
        priority = PriorityPage(
            title=f"Priorita {number}", slug=f"priorita-{number}", number=number
        )
        pages[str(number)], created = create_page(concept, priority)
        stats["pages"] += created

    measures = {}
    for row in read_rows():
        level, code, parent = row["level"], row["code"], row["parent_code"]
        if level == "area":
            page = AreaPage(title=row["title_cs"], slug=slug_for(code), code=code)
        elif level == "recommendation":
            page = RecommendationPage(title=row["title_cs"], slug=slug_for(code), code=code)
        elif level == "measure":
            measures.setdefault(parent, []).append((code, row["title_cs"]))
            continue
        else:
            continue  # priorities are created above, by number
        pages[code], created = create_page(pages[parent], page)
        stats["pages"] += created

    for code, items in measures.items():
        recommendation = pages[code]
        if recommendation.measures.exists():
            continue
        # In the CSV's order (I, II, III…); without sort_order the order is the database's whim.
        for position, (measure_code, text) in enumerate(items):
            recommendation.measures.add(Measure(code=measure_code, text=text, sort_order=position))
        recommendation.save_revision().publish()
        stats["measures"] += len(items)
