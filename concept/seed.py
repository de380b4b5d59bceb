"""Seed content of the Concept 2022–2027: the seed page text and the real structure in
shared/data/concept_2022_2027.csv. Titles the source did not show stay "Priorita N" for editors."""

import csv
from pathlib import Path

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
PRIORITY_COUNT = 5  # "Současná pražská koncepce definuje pět základních priorit"

CONCEPT_BODY = "".join(
    f"<p>{text}</p>"
    for text in (
        "Magistrát hlavního města Prahy (MHMP) je úřad pověřený veřejnou správou, jeho činnost je "
        "zaměřena zejména na poskytování služeb občanům hlavního města Prahy. Jedná se o obecní a "
        "krajský úřad hlavního města Prahy. Více o působnosti Magistrátu naleznete v části Úřady "
        "této webové stránky. Jednou z oblastí, kterou se Magistrát také zabývá je oblast "
        "integrace cizinců.",
        "Působení v této oblasti se řídí Koncepce HMP pro oblast integrace cizinců 2022-2027, "
        "která je výsledkem společné práce desítek zástupců Magistrátu hl. m. Prahy, městských "
        "částí, státních organizací, neziskových organizací a migrantů. Pražská koncepce je "
        "shrnutím historie, popisem současného stavu v jeho celém kontextu, ale především "
        "souborem návrhů pro oblast integrace cizinců na území hlavního města Prahy do budoucích "
        "let. Koncepce byla schválena Radou a Zastupitelstvem hlavního města Prahy.",
        "Současná pražská koncepce definuje pět základních priorit integrace a příslušná "
        "doporučení, jak jejich naplnění co nejefektivněji dosáhnout. Konkrétní kroky pro "
        "realizaci priorit jsou každoročně rozpracovány v akčních plánech pražské koncepce. Každé "
        "z doporučení obsahuje i výčet aktérů, kteří by se měli na jejich realizaci podílet. "
        "Předpokladem pro naplňování pražské koncepce je aktivní účast a spolupráce tvůrců "
        "politik, odborníků z praxe i obyvatel hlavního města Prahy včetně migrantů. Flexibilně "
        "reaguje na zjištěné problémy a odpovídá potřebám obyvatel Prahy. Pro některá navrhovaná "
        "doporučení je zapotřebí dostatečná finanční podpora, ale u mnohých stačí pouze lepší "
        "koordinovanost a vzájemná spolupráce. Oblast integrace cizinců je důležitou prioritou "
        "hlavního města Prahy, která má zároveň oporu ve vznikající Aktualizaci Strategického "
        "plánu hlavního města Prahy.",
        "Pražská koncepce navrhuje, jakým směrem by měla pražská integrační politika v budoucích "
        "letech směřovat, aby se Praha rozvíjela jako dynamická a moderní metropole.",
    )
)


def slug_for(code):
    return code.lower().replace(".", "-")


def read_rows():
    with open(CONCEPT_CSV, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _concept(stats):
    concept = ConceptPage(
        title="Koncepce HMP pro oblast integrace cizinců 2022–2027",
        slug="koncepce",
        period_from=2022,
        period_to=2027,
        body=CONCEPT_BODY,
    )
    # Approved by the Council and the Assembly; resolution numbers and dates are for editors.
    for position, body in enumerate((ConceptApproval.Body.COUNCIL, ConceptApproval.Body.ASSEMBLY)):
        concept.approvals.add(ConceptApproval(body=body, sort_order=position))
    concept, created = create_page(home_page(MHMP), concept)
    stats["pages"] += created
    return concept


def load(stats, **options):
    concept = _concept(stats)
    pages = {}
    for number in range(1, PRIORITY_COUNT + 1):
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
