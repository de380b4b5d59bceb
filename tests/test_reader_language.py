"""What a reader of a language sees on the rendered sites: the page in the best language of their
fallback chain, the site's chrome in their own language, links that keep them there, and a
language switcher on every page."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from wagtail.models import Site

from concept.models import AreaPage, ConceptPage, PriorityPage, RecommendationPage
from home.models import ContentPage
from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage, SharedPlatformPage

from .api.factories import add, translate
from .crawl import crawl

HREF = re.compile(r'<a [^>]*href="([^"]+)"')


def internal_links(response):
    """hrefs of the page body's links to pages of the sites (not the language switcher, not
    mail, phone, documents or other hosts)."""
    html = response.content.decode()
    html = re.sub(r'<div class="language-switcher">.*?</div>', "", html, flags=re.S)
    links = []
    for href in HREF.findall(html):
        path = urlsplit(href).path
        if href.startswith(("mailto:", "tel:", "#")) or "mapy.cz" in href:
            continue
        if path.startswith(("/documents/", "/static/", "/media/")):
            continue
        links.append(href)
    return links


class ReaderLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.home = Site.objects.get(hostname="mhmp.localhost").root_page.specific
        cls.index = PlatformIndexPage.objects.get()
        cls.rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma")
        others = PlatformPage.objects.exclude(pk=cls.rpp.pk).order_by("path")
        cls.commission, cls.education = others[0], others[len(others) - 1]
        cls.home_en = translate(cls.home, "en", title="Integration of foreigners")
        cls.index_en = translate(
            cls.index, "en", title="Advisory platforms", slug="advisory-platforms"
        )
        # uk → en → cs: the education platform has an English translation only.
        cls.education_en = translate(cls.education, "en", title="Education platform")
        cls.rpp_uk = translate(
            cls.rpp, "uk", title="Регіональна платформа", slug="rehionalna-platforma"
        )

    def get(self, path, host="mhmp.localhost"):
        return self.client.get(path, HTTP_HOST=host)

    def test_an_untranslated_page_is_read_in_the_visitors_chrome(self):
        path = f"/en/advisory-platforms/{self.commission.slug}/"
        response = self.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, self.commission.pk)
        self.assertContains(response, '<html lang="en"')
        self.assertContains(response, '<header class="page-header" lang="cs">')
        self.assertContains(response, "This page has not been translated yet")
        self.assertContains(response, 'aria-label="Main menu"')
        self.assertContains(response, f"<h1>{self.commission.title}</h1>", html=True)
        # The breadcrumb shows the translated parent under its English address.
        self.assertContains(response, '<a href="/en/advisory-platforms/">Advisory platforms</a>')

    def test_every_link_of_a_fallback_page_stays_in_the_visitors_language(self):
        for path in (
            f"/en/advisory-platforms/{self.commission.slug}/",
            "/uk/poradni-platformy/",
            "/uk/koncepce/",
        ):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 200)
                language = path.split("/")[1]
                links = internal_links(response)
                self.assertTrue(links)
                for href in links:
                    self.assertTrue(
                        urlsplit(href).path.startswith(f"/{language}/"), f"{href} on {path}"
                    )

    def test_the_fallback_chain_is_the_one_the_api_follows(self):
        response = self.get(f"/uk/poradni-platformy/{self.education.slug}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, self.education_en.pk)
        self.assertContains(response, '<html lang="uk"')
        self.assertContains(response, '<header class="page-header" lang="en">')
        api = self.client.get(f"/api/v1/platforms/{self.commission.translation_key}/?locale=uk")
        self.assertEqual(api.json()["locale"], "cs")

    @override_settings(LANGUAGE_FALLBACK_CHAINS={"uk": ["cs"]})
    def test_the_chain_comes_from_settings(self):
        response = self.get(f"/uk/poradni-platformy/{self.education.slug}/")
        self.assertEqual(response.context["page"].pk, self.education.pk)

    def test_a_page_is_reachable_by_any_of_its_slugs_and_serves_its_translation(self):
        for path in ("/en/poradni-platformy/", "/en/advisory-platforms/"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.context["page"].pk, self.index_en.pk)

    def test_a_draft_translation_is_never_served(self):
        draft = translate(self.commission, "uk", live=False, title="ЧЕРНЕТКА")
        response = self.get(f"/uk/poradni-platformy/{draft.slug}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, self.commission.pk)
        self.assertNotContains(response, "ЧЕРНЕТКА")

    def test_every_page_answers_at_its_address_in_every_language(self):
        # Partly translated sites: every Czech page under /en/ and /uk/ too, every link followed.
        report = crawl(Client(raise_request_exception=False), fallbacks=True)
        print(f"\nreader crawl (partly translated): {report.summary()}")
        self.assertEqual((report.errors, report.dead_links), ([], []), report.details())
        self.assertGreater(report.pages[("mhmp.localhost", "uk")], 20)

    def test_unknown_addresses_are_404_in_the_visitors_language(self):
        response = self.get("/uk/poradni-platformy/neexistuje/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, '<html lang="uk"', status_code=404)

    def test_the_translated_page_links_its_untranslated_children_in_its_language(self):
        response = self.get("/en/advisory-platforms/")
        titles = [p.title for p in response.context["platforms"]]
        self.assertIn(self.commission.title, titles)
        link = next(h for h in internal_links(response) if h.endswith(f"/{self.commission.slug}/"))
        self.assertTrue(link.startswith("/en/"))
        followed = self.get(link)
        self.assertEqual(followed.context["page"].pk, self.commission.pk)
        self.assertContains(followed, '<html lang="en"')

    def test_icp_route_serves_the_readers_version_of_a_meeting(self):
        meeting = MeetingPage.objects.child_of(self.rpp).first()
        meeting_uk = translate(meeting, "uk", title="ЗАСІДАННЯ")
        networking = SharedPlatformPage.objects.get()
        path = urlsplit(networking.url).path.replace("/cs/", "/uk/", 1)
        response = self.get(f"{path}setkani/{meeting.pk}/", host="icp.localhost")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["page"].pk, meeting_uk.pk)

    def test_concept_tree_mixes_translated_and_untranslated_levels(self):
        priority = PriorityPage.objects.filter(locale__language_code="cs").first()
        translate(priority, "uk", title="ПРІОРИТЕТ")
        area = AreaPage.objects.filter(locale__language_code="cs").first()
        response = self.get("/uk/koncepce/")
        self.assertContains(response, "ПРІОРИТЕТ")
        self.assertContains(response, area.title)
        tree = response.context["tree"]
        uk_priority = next(p for p in tree if p.title == "ПРІОРИТЕТ")
        self.assertIn(area.pk, [a.pk for a in uk_priority.area_list])
        # each level holds exactly its Czech source's children, in their order
        own = AreaPage.objects.child_of(priority).order_by("path")
        self.assertEqual([a.pk for a in uk_priority.area_list], [a.pk for a in own])
        for node in uk_priority.area_list:
            own = RecommendationPage.objects.child_of(node).order_by("path")
            self.assertEqual([r.pk for r in node.recommendation_list], [r.pk for r in own])

    def test_a_page_written_only_in_a_translation_sits_in_the_concept_tree(self):
        """An editor adds a recommendation straight into the English tree (it has no Czech
        source): it is placed by its own path, under the area it was added to."""
        area = AreaPage.objects.filter(locale__language_code="cs").first()
        area_en = translate(area, "en", title="AREA-EN")
        add(area_en, RecommendationPage, title="ONLY-IN-ENGLISH", code=f"{area.code}.99")
        response = self.get("/en/koncepce/")
        self.assertContains(response, "ONLY-IN-ENGLISH")
        node = next(
            a for p in response.context["tree"] for a in p.area_list if a.title == "AREA-EN"
        )
        self.assertIn("ONLY-IN-ENGLISH", [r.title for r in node.recommendation_list])
        # the API's tree places it the same way
        concept = ConceptPage.objects.get(locale__language_code="cs")
        tree = self.client.get(f"/api/v1/concepts/{concept.translation_key}/?locale=en").json()
        node = next(a for p in tree["priorities"] for a in p["areas"] if a["title"] == "AREA-EN")
        self.assertIn("ONLY-IN-ENGLISH", [r["title"] for r in node["recommendations"]])

    def test_an_alias_in_its_own_language_is_served(self):
        """An editor shows a Czech page in a second place with a Wagtail alias (same language):
        both addresses answer with its text; only an alias copy in another language is not a
        translation."""
        section = add(self.home, ContentPage, title="Test section")
        page = add(self.home, ContentPage, title="Test aliased", body="<p>SDILENY-TEXT</p>")
        alias = page.create_alias(parent=section, update_slug="sdileny")
        for path in (urlsplit(page.url).path, urlsplit(alias.url).path):
            with self.subTest(path=path):
                self.assertContains(self.get(path), "SDILENY-TEXT")
        self.assertContains(self.get(urlsplit(section.url).path), "Test aliased")

    def test_a_section_lists_its_children_only(self):
        section = add(self.home, ContentPage, title="Test section")
        child = add(section, ContentPage, title="Test child")
        add(child, ContentPage, title="VNOUCE")
        response = self.get(urlsplit(section.url).path)
        self.assertContains(response, "Test child")
        self.assertNotContains(response, "VNOUCE")

    def test_the_concept_tree_holds_only_its_own_concept(self):
        # An earlier Concept kept beside the current one: its priorities stay out of this tree.
        older = add(self.home, ConceptPage, slug="koncepce-2016", period_from=2016, period_to=2020)
        add(older, PriorityPage, title="STARA-PRIORITA", number=9)
        response = self.get("/cs/koncepce/")
        self.assertContains(response, PriorityPage.objects.order_by("path").first().title)
        self.assertNotContains(response, "STARA-PRIORITA")


class LanguageSwitcherTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed_content", stdout=StringIO())
        cls.index = PlatformIndexPage.objects.get()
        cls.index_en = translate(
            cls.index, "en", title="Advisory platforms", slug="advisory-platforms"
        )
        cls.commission = PlatformPage.objects.order_by("path").first()

    def switcher(self, path, host="mhmp.localhost"):
        html = self.client.get(path, HTTP_HOST=host).content.decode()
        nav = re.search(r'<nav class="language-switcher__nav".*?</nav>', html, re.S).group(0)
        return html, nav

    def test_every_page_of_both_sites_offers_every_language_named_in_itself(self):
        for host, path in (("mhmp.localhost", "/cs/"), ("icp.localhost", "/cs/")):
            with self.subTest(host=host):
                _html, nav = self.switcher(path, host)
                for name in ("Čeština", "English", "Українська"):
                    self.assertIn(name, nav)

    def test_links_to_a_live_translation_or_the_same_address_marked(self):
        html, nav = self.switcher("/cs/poradni-platformy/")
        self.assertIn('href="/en/advisory-platforms/" lang="en" hreflang="en"', nav)
        self.assertRegex(nav, r'href="/uk/poradni-platformy/" lang="uk" class="is-untranslated"')
        self.assertIn("(ще не перекладено)", nav)
        self.assertIn('href="/cs/poradni-platformy/" lang="cs" hreflang="cs" aria-current', nav)
        # hreflang alternates keep listing only the live translations.
        self.assertIn('<link rel="alternate" hreflang="en"', html)
        self.assertNotIn('<link rel="alternate" hreflang="uk"', html)

    def test_the_current_language_is_the_readers_also_on_a_fallback_page(self):
        _html, nav = self.switcher("/uk/poradni-platformy/")
        self.assertRegex(nav, r'href="/uk/poradni-platformy/"[^>]*aria-current="true"')
        self.assertIn('href="/cs/poradni-platformy/"', nav)

    @override_settings(
        CONTENT_LANGUAGES=["cs", "en", "uk", "de"],
        WAGTAIL_CONTENT_LANGUAGES=[
            ("cs", "Čeština"),
            ("en", "English"),
            ("uk", "Українська"),
            ("de", "Deutsch"),
        ],
        LANGUAGES=[("cs", "Čeština"), ("en", "English"), ("uk", "Українська"), ("de", "Deutsch")],
    )
    def test_a_language_added_by_configuration_appears(self):
        _html, nav = self.switcher("/cs/")
        self.assertIn("Deutsch", nav)
        self.assertIn('href="/de/"', nav)

    def test_a_language_with_nothing_readable_links_its_home(self):
        # The English translation is live but its Czech source was unpublished: Czech readers
        # have nothing to read at that address, so the switcher sends them to the Czech home.
        page = translate(self.commission, "en", title="Commission", slug="commission")
        self.commission.unpublish()
        _html, nav = self.switcher("/en/advisory-platforms/commission/")
        self.assertIn('href="/cs/" lang="cs" class="is-untranslated"', nav)
        self.assertEqual(self.client.get("/cs/", HTTP_HOST="mhmp.localhost").status_code, 200)
        self.assertTrue(page.live)
