"""Seed content of the advisory platforms: the four bodies with their full seed texts, venues,
contacts, the ICP "Síťování" page and the real meetings (seed page + shared/data/meetings.csv)."""

import csv
import datetime
from pathlib import Path

from home.models import Organisation, Person
from home.seed import (
    ICP,
    MHMP,
    create_page,
    home_page,
    organisation,
    published_snippet,
    source_locale,
)

from .models import (
    AgendaItem,
    MeetingPage,
    PlatformContact,
    PlatformDocument,
    PlatformIndexPage,
    PlatformPage,
    SharedPlatformContact,
    SharedPlatformPage,
    Venue,
)

ICP_NAME = "Integrační centrum Praha, o. p. s."
MEETINGS_CSV = Path(__file__).parent / "seed_data" / "meetings.csv"

SAL_ARCHITEKTU = dict(
    name="Sál architektů, Staroměstská radnice", address="Staroměstské náměstí 1/3, Praha 1"
)
SKODUV_PALAC = dict(
    name="Magistrát hl. m. Prahy – Škodův palác",
    address="Jungmannova 35/29, Praha 1",
    room="2. patro, místnost č. 201",
)

COMMISSION = "Komise Rady hl. m. Prahy pro oblast integrace cizinců"
DISTRICT_PLATFORM = (
    "Poradní platforma zástupců městských částí a Magistrátu hl. m. Prahy pro oblast integrace "
    "cizinců"
)
RPP = "Regionální poradní platforma"
EDUCATION_PLATFORM = (
    "Platforma zástupců odborů školství k tématu vzdělávání dětí a žáků s odlišným mateřským "
    "jazykem"
)


def p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


PLATFORMS = [
    dict(
        title=COMMISSION,
        slug="komise-rady-pro-oblast-integrace-cizincu",
        kind=PlatformPage.Kind.COMMISSION,
        summary="Poradní a iniciační orgán Rady hl. m. Prahy pro oblast integrace cizinců.",
        established_by="usnesení Rady hl. m. Prahy",
        established_on=datetime.date(2017, 1, 31),
        description=p(
            "Usnesením Rady hl. m. Prahy ze dne 31. 1. 2017 byla zřízena Komise Rady hl. m. Prahy "
            "pro oblast integrace cizinců, která je poradním a iniciačním orgánem Rady hl. m. "
            "Prahy.",
            "Komise projednává důležité aspekty integrační politiky HMP jako jsou strategické "
            "dokumenty integrace cizinců (Koncepce a Akční plány) a jejich provázání s dalšími "
            "krajskými strategiemi a agendami magistrátu a dává doporučení k dalšímu systémovému "
            "rozvoji integrace cizinců na území Prahy.",
        ),
        composition=p(
            "Členy Komise jsou členové Zastupitelstva hl. m. Prahy a dále odborníci zastupující "
            "jednotlivé odbory Magistrátu hl. města Prahy, Ministerstvo vnitra České republiky, "
            "městské části, neziskové organizace zabývající se integrací cizinců."
        ),
    ),
    dict(
        title=DISTRICT_PLATFORM,
        slug="platforma-zastupcu-mestskych-casti",
        kind=PlatformPage.Kind.ADVISORY_PLATFORM,
        summary="Zástupci městských částí Praha 1–22 a Praha-Libuš a Magistrátu hl. m. Prahy.",
        coordinator="Magistrát hlavního města Prahy",
        members="districts",
        composition=p(
            "Poradní platforma je složena výhradně ze zástupců městských částí Praha 1–22 a "
            "městské části Praha-Libuš, kteří byli v rámci svého pracovního zařazení delegováni "
            "danou městskou částí pro možnost spolupráce a komunikace s Magistrátem hl. m. Prahy v "
            "oblasti integrace cizinců. Tato poradní platforma je koordinována Magistrátem hl. m. "
            "Prahy ve spolupráci s Integračním centrem Praha, o. p. s., a úzce navázána na "
            "činnost Regionální poradní platformy."
        ),
        description=p(
            "Zároveň je prostorem, kde je možné sdílení zkušeností a příkladů dobré praxe na "
            "lokální úrovni, a místem vzájemné informovanosti mezi městskými částmi a Magistrátem "
            "hl. m. Prahy. Členové platformy jsou pravidelně informováni o významných opatřeních, "
            "aktivitách a akcích týkajících se oblasti integrace cizinců. Tato poradní platforma "
            "se podílí na přípravě koncepčních materiálů a jejich připomínkování."
        ),
        documents=["Adresář", "Zápisy"],
    ),
    dict(
        title=RPP,
        slug="regionalni-poradni-platforma",
        kind=PlatformPage.Kind.ADVISORY_PLATFORM,
        short_name="RPP",
        summary=(
            "Představitelé všech dotčených subjektů zabývajících se oblastí integrace cizinců v "
            "hl. m. Praze."
        ),
        coordinator="Integrační centrum Praha, o. p. s.",
        description=p(
            "V souvislosti se zahájením činnosti Integračního centra Praha, o. p. s., byla "
            "vytvořena také Regionální poradní platforma představitelů všech dotčených subjektů "
            "zabývajících se oblastí integrace cizinců v hl. m. Praze. Jedná se o zástupce všech "
            "poboček Integračního centra Praha, o. p. s., zástupce Magistrátu hl. m. Prahy, "
            "městských částí Praha 1–22, městské části Praha-Libuš, státních institucí, "
            "nevládních neziskových organizací, komunit migrantů a akademických institucí. Tato "
            "platforma napomáhá k nezbytné kooperaci jednotlivých aktérů integrace, aby bylo "
            "možné zajistit komplexní přístup a systémově zpracovávat konkrétní návrhy a opatření "
            "v dané oblasti.",
            "Platforma umožňuje sdílení aktuálních problémů, je prostorem pro diskusi mezi "
            "jednotlivými aktéry, vzájemnou výměnu zkušeností a sdílení nových informací.",
        ),
        participation=p(
            "Kdokoliv, kdo má zájem problematiku integrace a chce podílet na dění v této oblasti. "
            "Pravidelně se ho účastní zástupci Magistrátu hl. m. Prahy, jednotlivých městských "
            "částí, NNO, migrantských sdružení, státních institucí, školských a vzdělávacích "
            "zařízení a mezinárodních organizací."
        ),
        usual_venue=SKODUV_PALAC,
        contacts=[("Anca Covrigová", "metodická vedoucí", "a.covrigova@icpraha.com")],
    ),
    dict(
        title=EDUCATION_PLATFORM,
        slug="platforma-zastupcu-odboru-skolstvi",
        kind=PlatformPage.Kind.ADVISORY_PLATFORM,
        summary=(
            "Platforma zástupců odborů školství městských částí k vzdělávání dětí a žáků s "
            "odlišným mateřským jazykem."
        ),
        established_year=2016,
        coordinator="odbor školství a mládeže MHMP",
        description=p(
            "V průběhu roku 2016 zahájila pod koordinací odboru školství a mládeže Magistrátu hl. "
            "m. Prahy činnost platforma zástupců odborů školství městských částí zaměřená na "
            "oblast vzdělávání dětí a žáků s odlišným mateřským jazykem, resp. žáků-cizinců. "
            "Platforma je prostorem, kde se setkávají ti pracovníci, kteří na městské části mají "
            "na starosti agendu vzdělávání žáků s odlišným mateřským jazykem. Platforma "
            "představuje důležitý zdroj informací o potřebách městských částí v oblasti "
            "vzdělávání dětí a žáků s odlišným mateřským jazykem a zdroj podnětů pro formulace "
            "budoucích cílů v dané oblasti. Současně nabízí příležitost ke sdílení relevantních "
            "aktuálních informací z dané oblasti, např. týkajících se způsobů financování "
            "aktivit v oblasti vzdělávání žáků s odlišným mateřským jazykem, legislativních "
            "změn, existujících podpůrných služeb apod. Důležité je také to, že platforma "
            "umožňuje odborné diskuse nad danou problematikou a výměnu zkušeností."
        ),
        meeting_frequency=(
            "V průběhu roku jsou realizována 3 setkání platformy zástupců odborů školství "
            "městských částí."
        ),
    ),
]

# The ICP "Síťování" page: its own text; the platform's facts come from the RPP page.
NETWORKING_INTRO = p(
    "Integrační centrum Praha se jako realizátor, iniciátor a koordinátor integračních "
    "opatření v rámci hl. m. Prahy snaží vytvářet prostor pro setkávání aktérů na poli "
    "integrace cizinců na lokální úrovni. Zároveň vytváří jedinečný prostor pro setkávání "
    "aktérů na poli integrace cizinců v hl. m. Praze – Regionální poradní platformu (RPP).",
    "RPP je místem pro vzájemné sdílení zkušeností, prezentaci zajímavých projektů a "
    "odborných výzkumů.",
    "Členové RPP se podíleli na tvorbě první koncepce hl. m. Prahy pro oblast integrace "
    "cizinců (2014–2017), její aktualizace platné pro období 2018–2021 a na přípravě "
    "navazujících Akčních plánů.",
)
NETWORKING_DISTRICTS = p(
    "Nejčastěji spolupracujeme se samosprávami městských částí (starostové, radní, "
    "zastupitelé), zaměstnanci úřadů městských částí či dalších institucí (knihovny, školy, "
    "nemocnice, neziskové organizace).",
    "Spolupráci s městskými částmi má na starosti Specialistka integrace na městských "
    "částech, která zároveň propojuje všechny aktéry integrace, předává know-how i příklady "
    "dobré praxe, provádí monitoring situace v Praze a vytváří strategické materiály pro "
    "odbornou veřejnost.",
)
NETWORKING_BODY = (
    NETWORKING_INTRO + "<h2>Jak probíhá spolupráce s městskými částmi?</h2>" + NETWORKING_DISTRICTS
)
NETWORKING_CONTACT = (
    "Kateřina Jará",
    "Specialistka integrace na městských částech",
    "sitovani@icpraha.com",
)

# The ICP seed page names the 2020 dates; its first meeting is also in meetings.csv.
SEED_PAGE_MEETINGS = [
    dict(
        date=datetime.date(2020, 6, 23),
        start_time=datetime.time(13),
        end_time=datetime.time(16),
        venue=SAL_ARCHITEKTU,
        topic="SWOT analýza integrace cizinců v Praze",
    ),
    dict(date=datetime.date(2020, 9, 8)),
    dict(date=datetime.date(2020, 11, 10)),
]

# Programme of the 63rd RPP (shared/data/README.md), times as published.
RPP_63_PROGRAMME = [
    ("13:00", "13:25", "Informace z oddělení národnostních menšin a cizinců MHMP a z ICP", ""),
    (
        "13:25",
        "13:40",
        "Projekt AMIF na podporu přechodu do nájemního bydlení",
        "Arcidiecézní charita Praha",
    ),
    (
        "13:40",
        "14:20",
        "Nová data z výzkumu o uprchlících z Ukrajiny",
        "CVVM, Sociologický ústav AV ČR",
    ),
    ("14:20", "14:45", "Přestávka", ""),
    ("14:45", "16:00", "Panelová diskuse", ""),
]
RPP_63_REGISTRATION_DEADLINE = datetime.date(2024, 11, 19)
CSV_PLATFORMS = {"Regionální poradní platforma (RPP)": RPP, COMMISSION: COMMISSION}


def venue(spec, stats):
    spec = dict(spec)
    obj, created = published_snippet(Venue, spec, name=spec.pop("name"))
    stats["venues"] += created
    return obj


def person(name, role, email, stats):
    obj, created = published_snippet(
        Person, {"role": role, "email": email, "organisation": organisation(ICP_NAME)}, name=name
    )
    stats["people"] += created
    return obj


def _platform(index, spec, stats):
    spec = dict(spec)
    contacts = spec.pop("contacts", [])
    documents = spec.pop("documents", [])
    members = spec.pop("members", None)
    if "coordinator" in spec:
        spec["coordinator"] = organisation(spec["coordinator"])
    if "usual_venue" in spec:
        spec["usual_venue"] = venue(spec["usual_venue"], stats)
    page = PlatformPage(**spec)
    for position, (name, role, email) in enumerate(contacts):
        contact = person(name, role, email, stats)
        page.contacts.add(PlatformContact(person=contact, role=role, sort_order=position))
    for position, title in enumerate(documents):
        page.documents.add(PlatformDocument(title=title, sort_order=position))
    if members == "districts":
        page.members.set(
            Organisation.objects.filter(
                locale=source_locale(), category=Organisation.Category.CITY_DISTRICT
            )
        )
    page, created = create_page(index, page)
    stats["pages"] += created
    return page


def _meeting(platform, spec, stats, programme=()):
    spec = dict(spec)
    if spec.get("venue"):
        spec["venue"] = venue(spec["venue"], stats)
    if spec.get("number"):
        title = f"{spec['number']}. setkání – {spec['date']:%-d. %-m. %Y}"
    else:
        title = f"Setkání {spec['date']:%-d. %-m. %Y}"
    page = MeetingPage(title=title, slug=spec["date"].isoformat(), **spec)
    for position, (start, end, item, presenter) in enumerate(programme):
        page.programme.add(
            AgendaItem(
                sort_order=position,  # without it the order is the database's whim
                start_time=datetime.time.fromisoformat(start),
                end_time=datetime.time.fromisoformat(end),
                title=item,
                presenter=presenter,
            )
        )
    _page, created = create_page(platform, page)
    stats["meetings"] += created


def _csv_meetings():
    with open(MEETINGS_CSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            venue_text = row["venue"]
            spec = dict(
                date=datetime.date.fromisoformat(row["date"]),
                start_time=datetime.time.fromisoformat(row["start"]) if row["start"] else None,
                end_time=datetime.time.fromisoformat(row["end"]) if row["end"] else None,
                number=int(row["number"]) if row["number"] else None,
                # Uncertain venues are left for editors; the hall of architects is one venue.
                venue=SAL_ARCHITEKTU if venue_text.startswith("Sál architektů") else None,
                topic=row["topic_cs"],
            )
            yield CSV_PLATFORMS[row["platform"]], spec


def load(stats, **options):
    mhmp, icp = home_page(MHMP), home_page(ICP)
    index, created = create_page(
        mhmp, PlatformIndexPage(title="Poradní platformy", slug="poradni-platformy")
    )
    stats["pages"] += created
    platforms = {spec["title"]: _platform(index, spec, stats) for spec in PLATFORMS}

    rpp = platforms[RPP]
    seeded_dates = set()
    for spec in SEED_PAGE_MEETINGS:
        _meeting(rpp, spec, stats)
        seeded_dates.add(spec["date"])
    for title, spec in _csv_meetings():
        if title == RPP and spec["date"] in seeded_dates:
            continue  # the seed page has the full topic of the same meeting
        programme = RPP_63_PROGRAMME if spec["number"] == 63 else ()
        if spec["number"] == 63:
            spec["registration_deadline"] = RPP_63_REGISTRATION_DEADLINE
        _meeting(platforms[title], spec, stats, programme)

    networking = SharedPlatformPage(
        title="Síťování", slug="sitovani", body=NETWORKING_BODY, platform=rpp
    )
    networking.contacts.add(
        SharedPlatformContact(
            person=person(*NETWORKING_CONTACT, stats), role=NETWORKING_CONTACT[1], sort_order=0
        )
    )
    _page, created = create_page(icp, networking)
    stats["pages"] += created
