"""The seed loader creates the real content of both sites, and running it again changes nothing."""

import datetime
import json
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Site

from concept.models import AreaPage, ConceptPage, Measure, PriorityPage, RecommendationPage
from home.models import Organisation, Person
from platforms import seed
from platforms.models import MeetingPage, PlatformPage, SharedPlatformPage, Venue

MODELS = [
    Page,
    Site,
    Organisation,
    Person,
    Venue,
    PlatformPage,
    MeetingPage,
    ConceptPage,
    PriorityPage,
    AreaPage,
    RecommendationPage,
    Measure,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


class SeedLoaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def test_running_twice_creates_no_duplicates(self):
        before = counts()
        out = StringIO()
        call_command("load_seed_content", stdout=out)
        self.assertEqual(counts(), before)
        self.assertIn("Created nothing", out.getvalue())

    def test_editor_changes_survive_a_rerun(self):
        rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        rpp.summary = "Upraveno redakcí"
        rpp.save_revision().publish()
        call_command("load_seed_content", stdout=StringIO())
        rpp.refresh_from_db()
        self.assertEqual(rpp.summary, "Upraveno redakcí")

    def test_two_sites_with_their_own_home(self):
        sites = {site.hostname: site for site in Site.objects.all()}
        self.assertEqual(set(sites), {"mhmp.localhost", "icp.localhost"})
        self.assertTrue(sites["mhmp.localhost"].is_default_site)
        self.assertNotEqual(
            sites["mhmp.localhost"].root_page_id, sites["icp.localhost"].root_page_id
        )
        self.assertFalse(Page.objects.filter(depth=2, content_type__model="page").exists())

    def test_four_bodies_with_their_seed_texts(self):
        platforms = {p.slug: p for p in PlatformPage.objects.all()}
        self.assertEqual(len(platforms), 4)
        commission = platforms["komise-rady-pro-oblast-integrace-cizincu"]
        self.assertEqual(commission.kind, PlatformPage.Kind.COMMISSION)
        self.assertEqual(commission.established_on, datetime.date(2017, 1, 31))
        self.assertIn("poradním a iniciačním orgánem Rady", commission.description)
        self.assertIn("Ministerstvo vnitra České republiky", commission.composition)

        districts = platforms["platforma-zastupcu-mestskych-casti"]
        self.assertIn("Praha 1–22 a městské části Praha-Libuš", districts.composition)
        self.assertIn("připomínkování", districts.description)
        self.assertEqual(districts.members.count(), 23)
        self.assertEqual([d.title for d in districts.documents.all()], ["Adresář", "Zápisy"])

        rpp = platforms["regionalni-poradni-platforma"]
        self.assertIn("komunit migrantů a akademických institucí", rpp.description)
        self.assertIn("Kdokoliv, kdo má zájem", rpp.participation)
        self.assertEqual(rpp.usual_venue.address, "Jungmannova 35/29, Praha 1")
        self.assertEqual(rpp.usual_venue.room, "2. patro, místnost č. 201")
        self.assertEqual(rpp.coordinator.short_name, "ICP")

        education = platforms["platforma-zastupcu-odboru-skolstvi"]
        self.assertEqual(education.established_year, 2016)
        self.assertIn("3 setkání", education.meeting_frequency)
        self.assertIn("žáků-cizinců", education.description)

    def test_public_contacts_from_the_icp_seed(self):
        people = {p.name: p for p in Person.objects.all()}
        self.assertEqual(set(people), {"Anca Covrigová", "Kateřina Jará"})
        self.assertEqual(people["Anca Covrigová"].email, "a.covrigova@icpraha.com")
        self.assertEqual(people["Kateřina Jará"].email, "sitovani@icpraha.com")
        networking = SharedPlatformPage.objects.get()
        self.assertEqual(networking.contacts.get().person, people["Kateřina Jará"])
        self.assertEqual(networking.platform.slug, "regionalni-poradni-platforma")

    def test_meetings_from_the_seed_page_and_the_data(self):
        rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        meetings = {m.date: m for m in rpp.meetings()}
        self.assertEqual(
            sorted(meetings),
            [
                datetime.date(2018, 9, 18),
                datetime.date(2018, 11, 13),
                datetime.date(2020, 6, 23),
                datetime.date(2020, 9, 8),
                datetime.date(2020, 11, 10),
                datetime.date(2023, 4, 4),
                datetime.date(2024, 11, 21),
            ],
        )
        swot = meetings[datetime.date(2020, 6, 23)]
        self.assertEqual(swot.topic, "SWOT analýza integrace cizinců v Praze")
        self.assertEqual((swot.start_time.hour, swot.end_time.hour), (13, 16))
        self.assertEqual(swot.venue.name, "Sál architektů, Staroměstská radnice")

        rpp63 = meetings[datetime.date(2024, 11, 21)]
        self.assertEqual(rpp63.number, 63)
        self.assertEqual(rpp63.registration_deadline, datetime.date(2024, 11, 19))
        programme = list(rpp63.programme.all())
        self.assertEqual(len(programme), 5)
        self.assertEqual(programme[1].presenter, "Arcidiecézní charita Praha")
        self.assertEqual(str(programme[-1].end_time), "16:00:00")
        # Venues marked [uncertain] in the data are left for editors.
        self.assertIsNone(meetings[datetime.date(2018, 9, 18)].venue)
        self.assertEqual(
            MeetingPage.objects.exclude(pk__in=[m.pk for m in meetings.values()]).get().date,
            datetime.date(2019, 3, 6),
        )

    def test_concept_structure_from_the_data(self):
        concept = ConceptPage.objects.get()
        self.assertEqual((concept.period_from, concept.period_to), (2022, 2027))
        self.assertIn("pět základních priorit", concept.body)
        self.assertEqual(concept.approvals.count(), 2)
        self.assertTrue(all(not a.resolution_number for a in concept.approvals.all()))
        # Titles the source did not show are not made up.
        self.assertEqual(
            list(PriorityPage.objects.order_by("number").values_list("title", flat=True)),
            [f"Priorita {n}" for n in range(1, 6)],
        )
        self.assertEqual(
            list(AreaPage.objects.order_by("code").values_list("code", flat=True)),
            ["1.A", "1.B", "1.C"],
        )
        codes = list(RecommendationPage.objects.order_by("path").values_list("code", flat=True))
        self.assertEqual(codes, ["1.A.1", "1.A.2", "1.A.3", "1.A.4", "1.B.5", "1.B.6", "1.B.7"])
        r4 = RecommendationPage.objects.get(code="1.A.4")
        self.assertEqual([m.code for m in r4.measures.all()], ["1.A.4.I", "1.A.4.II"])
        self.assertEqual(Measure.objects.count(), 7)
        self.assertEqual(
            RecommendationPage.objects.get(code="1.B.6").get_parent().specific.code, "1.B"
        )


class SeedFromDataTests(TestCase):
    """The seeded content is read from data files an editor can correct; a renamed organisation
    is found by its seed key and not created again."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def test_organisations_come_from_the_csv(self):
        from home.seed import organisation_rows

        rows = organisation_rows()
        self.assertIn("Praha-Libuš", [name for _k, name, _s, _c in rows])
        names = set(
            Organisation.objects.filter(locale__language_code="cs").values_list("name", flat=True)
        )
        self.assertTrue({name for _k, name, _s, _c in rows} <= names)

    def test_renamed_organisation_is_not_created_again(self):
        org = Organisation.objects.get(
            locale__language_code="cs", name="odbor školství a mládeže MHMP"
        )
        org.name = "odbor školství, mládeže a sportu MHMP"  # an editor's rename
        org.save_revision().publish()
        before = Organisation.objects.count()
        call_command("load_seed_content", stdout=StringIO())
        self.assertEqual(Organisation.objects.count(), before)
        org.refresh_from_db()
        self.assertEqual(org.name, "odbor školství, mládeže a sportu MHMP")

    def test_concept_text_comes_from_the_json(self):
        from concept.seed import concept_data

        data = concept_data()
        concept = ConceptPage.objects.get(locale__language_code="cs")
        self.assertEqual(concept.title, data["title"])
        self.assertIn(data["body_paragraphs"][-1][:40], concept.body)
        self.assertEqual(concept.approvals.count(), len(data["approvals"]))

    def test_platform_texts_come_from_the_json(self):
        from platforms.seed import seed_data

        data = seed_data()
        for spec in data["platforms"]:
            page = PlatformPage.objects.get(locale__language_code="cs", slug=spec["slug"])
            self.assertEqual(page.title, spec["title"])
            self.assertEqual(page.summary, spec["summary"])
            for paragraph in spec.get("description_paragraphs", []):
                self.assertIn(f"<p>{paragraph}</p>", page.description)
        networking = SharedPlatformPage.objects.get(slug=data["networking"]["slug"])
        for paragraph in data["networking"]["districts_paragraphs"]:
            self.assertIn(f"<p>{paragraph}</p>", networking.body)
        self.assertEqual(
            set(Venue.objects.values_list("name", flat=True)),
            {venue["name"] for venue in data["venues"].values()},
        )


class CorrectedSeedDataTests(TestCase):
    """An editor corrects the data file; a fresh install seeds the corrected text."""

    def test_a_corrected_platform_text_is_seeded(self):
        data = json.loads(seed.PLATFORMS_JSON.read_text(encoding="utf-8"))
        rpp = next(spec for spec in data["platforms"] if spec.get("short_name") == "RPP")
        rpp["summary"] = "Opravený souhrn"
        data["programmes"][0]["items"][0]["title"] = "Opravený bod programu"
        with tempfile.TemporaryDirectory() as folder:
            corrected = Path(folder) / "platforms.json"
            corrected.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            seed.seed_data.cache_clear()
            self.addCleanup(seed.seed_data.cache_clear)
            with mock.patch.object(seed, "PLATFORMS_JSON", corrected):
                call_command("load_seed_content", stdout=StringIO())
        page = PlatformPage.objects.get(slug=rpp["slug"])
        self.assertEqual(page.summary, "Opravený souhrn")
        meeting = MeetingPage.objects.get(number=data["programmes"][0]["number"])
        self.assertEqual(meeting.programme.first().title, "Opravený bod programu")
