"""The accessibility statement (law 99/2019 Sb.): one per site tree, seeded as an empty draft,
publishable only with the facts the decree requires, linked from every footer once published."""

import datetime
from io import StringIO
from itertools import pairwise
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import AccessibilityStatementPage, ContentPage, HomePage, NonAccessibleContent
from home.routing import in_language
from home.seed import home_page
from platforms.models import PlatformIndexPage, SharedPlatformPage

from .api.factories import translate
from .test_accessibility import Structure
from .utils import sitemap_xml

OFFICIAL_FIELDS = AccessibilityStatementPage.required_to_publish + [
    "assessor",
    "reviewed_on",
    "additional_information",
]
Reason = NonAccessibleContent.Reason


def fill(statement, **overrides):
    """Every section filled in (test data, not official content); published."""
    values = {
        "obligated_body": "TESTOVACI-SUBJEKT",
        "websites": "https://test.example/\njavascript:alert(1)",
        "compliance_status": AccessibilityStatementPage.Compliance.PARTIAL,
        "preparation_method": AccessibilityStatementPage.Method.THIRD_PARTY,
        "assessor": "TESTOVACI-AUDITOR",
        "prepared_on": datetime.date(2025, 2, 24),
        "reviewed_on": datetime.date(2025, 9, 15),
        "feedback": "<p>TESTOVACI-ZPETNA-VAZBA</p>",
        "contact": "<p>TESTOVACI-KONTAKT</p>",
        "enforcement": "<p>TESTOVACI-DOHLED</p>",
        "additional_information": "<p>TESTOVACI-DALSI</p>",
    }
    values.update(overrides)
    for name, value in values.items():
        setattr(statement, name, value)
    statement.non_accessible_content = [
        NonAccessibleContent(description="VIDEO-BEZ-TITULKU", reason=Reason.NONCOMPLIANCE),
        NonAccessibleContent(
            description="STARY-SYSTEM",
            reason=Reason.DISPROPORTIONATE_BURDEN,
            alternative="NA-POZADANI",
        ),
        NonAccessibleContent(description="CIZI-MAPA", reason=Reason.OUT_OF_SCOPE),
    ]
    statement.save_revision().publish()
    statement.refresh_from_db()
    return statement


def path(page):
    return urlsplit(page.get_full_url()).path


class PageRequests:
    def get(self, page):
        url = urlsplit(page.get_full_url())
        return url, self.client.get(url.path, HTTP_HOST=url.hostname)


class SeededStatementTests(PageRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())

    def statements(self):
        return {s.get_parent().slug: s for s in AccessibilityStatementPage.objects.all()}

    def test_each_site_gets_an_empty_draft_under_its_czech_home(self):
        statements = self.statements()
        self.assertEqual(set(statements), {"mhmp", "icp"})
        for statement in statements.values():
            with self.subTest(site=statement.get_parent().slug):
                self.assertEqual(statement.title, "Prohlášení o přístupnosti")
                self.assertEqual(statement.locale.language_code, "cs")
                self.assertFalse(statement.live)
                self.assertFalse(statement.show_in_menus)
                self.assertIsNotNone(statement.latest_revision)
                self.assertEqual([n for n in OFFICIAL_FIELDS if getattr(statement, n)], [])
                self.assertFalse(statement.non_accessible_content.exists())

    def test_rerun_creates_nothing_and_keeps_the_editors_draft(self):
        statement = self.statements()["mhmp"]
        statement.obligated_body = "ROZPRACOVANO"
        statement.slug = "pristupnost"
        statement.save_revision()
        statement.save()
        out = StringIO()
        call_command("load_seed_content", stdout=out)
        self.assertIn("Created nothing", out.getvalue())
        self.assertEqual(AccessibilityStatementPage.objects.count(), 2)
        statement = AccessibilityStatementPage.objects.get(pk=statement.pk)
        self.assertEqual(statement.get_latest_revision_as_object().obligated_body, "ROZPRACOVANO")
        self.assertFalse(statement.live)

    def test_the_draft_is_nowhere_public(self):
        statement = self.statements()["mhmp"]
        url, response = self.get(statement)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("prohlaseni-o-pristupnosti", sitemap_xml(self.client, url.hostname))


class PageTypeRuleTests(PageRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.admin = get_user_model().objects.create_superuser("admin", password="pw")

    def setUp(self):
        self.client.force_login(self.admin)

    def add_url(self, parent):
        return f"/admin/pages/add/home/accessibilitystatementpage/{parent.pk}/"

    def test_one_statement_per_site_tree_and_only_under_a_home(self):
        mhmp = home_page("mhmp")
        self.assertFalse(AccessibilityStatementPage.can_create_at(mhmp))  # the seeded one
        AccessibilityStatementPage.objects.child_of(mhmp).delete()
        self.assertTrue(AccessibilityStatementPage.can_create_at(Page.objects.get(pk=mhmp.pk)))
        for parent in (PlatformIndexPage.objects.get(), SharedPlatformPage.objects.get()):
            self.assertFalse(AccessibilityStatementPage.can_create_at(parent))
        self.assertEqual(AccessibilityStatementPage.allowed_subpage_models(), [])
        self.assertNotIn(AccessibilityStatementPage, ContentPage.allowed_subpage_models())

    def test_admin_refuses_a_second_statement(self):
        response = self.client.get(self.add_url(home_page("icp")))
        self.assertIn(response.status_code, (302, 403))
        self.assertEqual(AccessibilityStatementPage.objects.child_of(home_page("icp")).count(), 1)

    def test_a_home_translation_may_have_its_own_statement_translation(self):
        statement = fill(AccessibilityStatementPage.objects.child_of(home_page("mhmp")).get())
        english = translate(statement, "en", title="Accessibility statement")
        self.assertEqual(english.get_parent().specific_class, HomePage)
        self.assertEqual(english.compliance_status, statement.compliance_status)
        self.assertEqual(english.prepared_on, statement.prepared_on)
        self.assertEqual(english.non_accessible_content.count(), 3)


class PublishValidationTests(PageRequests, TestCase):
    """Saving a draft accepts empty facts; publishing refuses them (Wagtail's deferred
    validation of required fields, driven by the admin action)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.admin = get_user_model().objects.create_superuser("admin", password="pw")
        cls.statement = AccessibilityStatementPage.objects.child_of(home_page("mhmp")).get()

    def setUp(self):
        self.client.force_login(self.admin)

    def post(self, publish=True, items=(), **overrides):
        data = {
            "title": "Prohlášení o přístupnosti",
            "slug": "prohlaseni-o-pristupnosti",
            "obligated_body": "TESTOVACI-SUBJEKT",
            "websites": "https://test.example/",
            "compliance_status": "full",
            "non_accessible_content": inline_formset(list(items)),
            "preparation_method": "self_assessment",
            "assessor": "",
            "prepared_on": "2025-02-24",
            "reviewed_on": "",
            "feedback": rich_text("TESTOVACI-ZPETNA-VAZBA"),
            "contact": rich_text("TESTOVACI-KONTAKT"),
            "enforcement": rich_text("TESTOVACI-DOHLED"),
            "additional_information": rich_text(""),
        }
        data.update(overrides)
        if publish:
            data["action-publish"] = "action-publish"
        return self.client.post(f"/admin/pages/{self.statement.pk}/edit/", nested_form_data(data))

    def live(self):
        return AccessibilityStatementPage.objects.get(pk=self.statement.pk).live

    def test_an_empty_draft_can_be_saved(self):
        empty = dict.fromkeys(
            ["obligated_body", "websites", "compliance_status", "preparation_method"], ""
        )
        empty |= {"prepared_on": "", "feedback": rich_text(""), "contact": rich_text("")}
        empty["enforcement"] = rich_text("")
        response = self.post(publish=False, **empty)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.live())

    def test_publishing_without_the_required_facts_is_refused(self):
        for field in AccessibilityStatementPage.required_to_publish:
            value = rich_text("") if field in ("feedback", "contact", "enforcement") else ""
            with self.subTest(field=field):
                response = self.post(**{field: value})
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
                self.assertFalse(self.live())

    def test_partial_compliance_needs_the_non_accessible_content(self):
        response = self.post(compliance_status="partial")
        self.assertIn("compliance_status", response.context["form"].errors)
        self.assertFalse(self.live())
        item = {"description": "VIDEO-BEZ-TITULKU", "reason": "noncompliance", "alternative": ""}
        response = self.post(compliance_status="partial", items=[item])
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.live())
        self.assertEqual(self.statement.non_accessible_content.get().reason, "noncompliance")

    def test_impossible_dates_are_refused_even_in_a_draft(self):
        future = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
        for overrides, field in (
            ({"prepared_on": future}, "prepared_on"),
            ({"reviewed_on": "2025-01-01"}, "reviewed_on"),  # before preparation
        ):
            for as_draft in (False, True):
                with self.subTest(overrides=overrides, draft=as_draft):
                    response = self.post(publish=not as_draft, **overrides)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(field, response.context["form"].errors)
        self.assertFalse(self.live())

    def test_a_complete_statement_is_published(self):
        response = self.post()
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.live())


class StatementRenderingTests(PageRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.statement = fill(AccessibilityStatementPage.objects.child_of(home_page("mhmp")).get())
        cls.english = translate(cls.statement, "en", title="Accessibility statement")
        cls.ukrainian = translate(cls.statement, "uk", title="Заява про доступність")

    def test_every_section_in_every_language(self):
        for page, dates, sections in (
            (
                self.statement,
                ("24. února 2025", "15. září 2025"),
                ("Stav souladu", "Nepřístupný obsah", "Postup pro prosazování práva"),
            ),
            (
                self.english,
                ("Feb. 24, 2025", "Sept. 15, 2025"),
                ("Compliance status", "Non-accessible content", "Enforcement procedure"),
            ),
            (
                self.ukrainian,
                ("24 лютого 2025", "15 вересня 2025"),
                ("Стан відповідності", "Недоступний вміст", "Порядок захисту прав"),
            ),
        ):
            with self.subTest(language=page.locale.language_code):
                _url, response = self.get(page)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                for text in dates + sections:
                    self.assertIn(text, html)
                self.assertIn('<time datetime="2025-02-24">', html)
                for text in (
                    "TESTOVACI-SUBJEKT",
                    "TESTOVACI-AUDITOR",
                    "TESTOVACI-ZPETNA-VAZBA",
                    "TESTOVACI-KONTAKT",
                    "TESTOVACI-DOHLED",
                    "TESTOVACI-DALSI",
                    "VIDEO-BEZ-TITULKU",
                    "NA-POZADANI",
                ):
                    self.assertIn(text, html)
                self.assertNotIn("Toto prohlášení zatím není úplné", html)

    def test_reasons_are_subsections_in_the_decrees_order(self):
        html = self.get(self.statement)[1].content.decode()
        positions = [
            html.index(text)
            for text in ("Nesoulad s předpisem", "Nepřiměřená zátěž", "Obsah mimo rozsah předpisu")
        ]
        self.assertEqual(positions, sorted(positions))
        self.assertLess(html.index("VIDEO-BEZ-TITULKU"), html.index("STARY-SYSTEM"))

    def test_accessible_structure(self):
        for page in (self.statement, self.english, self.ukrainian):
            with self.subTest(language=page.locale.language_code):
                parser = Structure()
                parser.feed(self.get(page)[1].content.decode())
                self.assertEqual(parser.headings[0], 1)
                self.assertEqual(parser.headings.count(1), 1)
                self.assertEqual(parser.headings.count(3), 3)
                self.assertEqual([(a, b) for a, b in pairwise(parser.headings) if b > a + 1], [])
                self.assertEqual([i for i, n in parser.ids.items() if n > 1], [])
                self.assertEqual(parser.problems, [])

    def test_only_web_addresses_become_links(self):
        html = self.get(self.statement)[1].content.decode()
        self.assertIn('<a href="https://test.example/">', html)
        self.assertNotIn('href="javascript:', html)
        self.assertIn("javascript:alert(1)", html)

    def test_an_incomplete_published_statement_says_so(self):
        self.statement.contact = ""
        self.statement.save_revision().publish()
        html = self.get(self.statement)[1].content.decode()
        self.assertIn("Toto prohlášení zatím není úplné.", html)
        self.assertNotIn("TESTOVACI-KONTAKT", html)


class FooterLinkTests(PageRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.statements = {
            key: AccessibilityStatementPage.objects.child_of(home_page(key)).get()
            for key in ("mhmp", "icp")
        }
        # A page besides the home on each site, in each language.
        cls.pages = {
            "mhmp": PlatformIndexPage.objects.get(),
            "icp": SharedPlatformPage.objects.get(),
        }
        for page in cls.pages.values():
            for language in ("en", "uk"):
                translate(page.specific, language)

    def pages_of(self, key, language="cs"):
        found = []
        for page in (home_page(key), self.pages[key]):
            page = page.get_translation(page.locale.__class__.objects.get(language_code=language))
            found.append(page.specific)
        return found

    def footer(self, page):
        _url, response = self.get(page)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        return html[html.index('<footer class="site-footer">') :]

    def test_no_link_while_the_statements_are_drafts(self):
        for key in ("mhmp", "icp"):
            for language in ("cs", "en", "uk"):
                for page in self.pages_of(key, language):
                    with self.subTest(site=key, language=language, page=page.title):
                        self.assertNotIn("site-footer__accessibility", self.footer(page))

    def test_each_site_links_to_its_own_statement_once_published(self):
        fill(self.statements["icp"])
        for page in self.pages_of("icp"):
            footer = self.footer(page)
            self.assertIn(
                '<a href="/cs/prohlaseni-o-pristupnosti/">Prohlášení o přístupnosti</a>', footer
            )
        for page in self.pages_of("mhmp"):
            self.assertNotIn("site-footer__accessibility", self.footer(page))

    def test_readers_get_their_language_or_the_next_in_the_fallback_chain(self):
        statement = fill(self.statements["mhmp"])
        for language, label in (("en", "Accessibility statement"), ("uk", "Заява про доступність")):
            for page in self.pages_of("mhmp", language):
                with self.subTest(language=language, page=page.title):
                    # The link keeps the reader in their language (the Czech statement is shown
                    # there as a fallback) and says which language the statement is in.
                    link = f'<a href="/{language}/prohlaseni-o-pristupnosti/" hreflang="cs">'
                    self.assertIn(f"{link}{label}</a>", self.footer(page))
        english = translate(statement, "en", title="Accessibility", slug="accessibility")
        # uk falls back to en before cs (settings.LANGUAGE_FALLBACK_CHAINS)
        for language, hreflang in (("en", ""), ("uk", ' hreflang="en"')):
            for page in self.pages_of("mhmp", language):
                with self.subTest(language=language, page=page.title):
                    url = in_language(path(english), language)
                    self.assertIn(f'<a href="{url}"{hreflang}>', self.footer(page))
        ukrainian = translate(statement, "uk", title="Доступність", slug="dostupnist")
        for page in self.pages_of("mhmp", "uk"):
            self.assertIn(f'<a href="{path(ukrainian)}">', self.footer(page))
        for page in self.pages_of("mhmp", "cs"):
            self.assertIn('<a href="/cs/prohlaseni-o-pristupnosti/">', self.footer(page))

    def test_a_restricted_or_unpublished_statement_is_not_linked(self):
        statement = fill(self.statements["mhmp"])
        restriction = PageViewRestriction.objects.create(
            page=statement, restriction_type="password", password="x"
        )
        self.assertNotIn("site-footer__accessibility", self.footer(home_page("mhmp")))
        restriction.delete()
        self.assertIn("site-footer__accessibility", self.footer(home_page("mhmp")))
        statement.unpublish()
        self.assertNotIn("site-footer__accessibility", self.footer(home_page("mhmp")))

    def test_one_query_for_the_lookup(self):
        fill(self.statements["mhmp"])
        site = Site.objects.get(hostname="mhmp.localhost")
        with CaptureQueriesContext(connection) as queries:
            found = AccessibilityStatementPage.for_site(site, ["uk", "en", "cs"])
        self.assertEqual(len(queries), 1)
        self.assertEqual(found.pk, self.statements["mhmp"].pk)
