"""Search on the sites (/<language>/search/?q=) and in the API (/api/v1/search/?q=):
diacritics do not matter, every language, each site its own pages, only live public content,
bad input is a 400, query counts do not grow with the hits."""

import datetime

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import ContentPage, Organisation
from tests.api.base import ApiTestCase
from tests.api.factories import add, restrict, translate

SENTINEL = "Sentinelbus"


class SearchTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        cls.libus = add(w.mhmp, ContentPage, title="Praha-Libuš", body="<p>Městská část</p>")
        cls.libus_en = translate(cls.libus, "en", title="Prague-Libuš district")
        cls.org = Organisation.objects.create(name="MČ Praha-Libuš", category="city_district")
        cls.icp_page = add(w.icp, ContentPage, title="Sítě v Libuši", slug="site-libus")
        # Sentinels: contain the word, must never be found.
        draft = ContentPage(title=f"{SENTINEL} draft", slug="s-draft", live=False)
        w.mhmp.add_child(instance=draft)
        draft.save_revision()
        private = add(w.mhmp, ContentPage, title=f"{SENTINEL} private", slug="s-private")
        restrict(private)
        add(private, ContentPage, title=f"{SENTINEL} below private", slug="s-below")
        expired = add(w.mhmp, ContentPage, title=f"{SENTINEL} expired", slug="s-expired")
        ContentPage.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        scheduled = ContentPage(
            title=f"{SENTINEL} scheduled",
            slug="s-scheduled",
            go_live_at=timezone.now() + datetime.timedelta(days=2),
        )
        w.mhmp.add_child(instance=scheduled)
        scheduled.save_revision().publish()
        translate(cls.libus, "uk", live=False, title=f"{SENTINEL} uk draft")
        changed = add(w.mhmp, ContentPage, title="Live title", slug="s-changed")
        changed.title = f"{SENTINEL} unpublished change"
        changed.save_revision()
        Organisation.objects.create(name=f"{SENTINEL} draft organisation", live=False)

    def page(self, path, host="mhmp.localhost"):
        response = self.client.get(path, headers={"host": host})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def api(self, query, status=200):
        return self.json(f"/api/v1/search/?{query}", status=status)

    def test_site_search_ignores_diacritics_and_case(self):
        for q in ("Libus", "libuš", "LIBUS", "praha-libus"):
            with self.subTest(q=q):
                html = self.page(f"/cs/search/?q={q}")
                self.assertIn("Praha-Libuš", html)
                self.assertIn('href="http://mhmp.localhost/cs/', html)

    def test_each_site_finds_its_own_pages(self):
        self.assertNotIn("Sítě v Libuši", self.page("/cs/search/?q=libusi"))
        html = self.page("/cs/search/?q=libusi", host="icp.localhost")
        self.assertIn("Sítě v Libuši", html)
        self.assertNotIn("Praha-Libuš", html)

    def test_every_language(self):
        html = self.page("/en/search/?q=Libus")
        self.assertIn("Prague-Libuš district", html)
        self.assertIn('<html lang="en"', html)
        self.assertIn("<h1>Search</h1>", html)
        # Ukrainian: nothing published in Ukrainian, the English version is found and marked.
        html = self.page("/uk/search/?q=Libus")
        self.assertIn("Prague-Libuš district", html)
        self.assertIn('lang="en"', html)

    def test_the_page_is_accessible_markup_and_not_cached(self):
        response = self.client.get("/cs/search/?q=Libus", headers={"host": "mhmp.localhost"})
        html = response.content.decode()
        self.assertIn('role="search"', html)
        self.assertIn('<label for="search-q">', html)
        self.assertIn('name="robots" content="noindex"', html)
        self.assertEqual(response["Cache-Control"], "no-cache")
        empty = self.page("/cs/search/")
        self.assertNotIn("results-heading", empty)
        nothing = self.page("/cs/search/?q=zzzzzz")
        self.assertIn("Nic nebylo nalezeno", nothing)

    def test_no_leaks_on_the_site(self):
        for language in ("cs", "en", "uk"):
            with self.subTest(language=language):
                html = self.page(f"/{language}/search/?q={SENTINEL}")
                self.assertNotIn("<ol", html)  # no results (the query itself is echoed)
                for what in ("draft", "private", "below", "expired", "scheduled", "change"):
                    self.assertNotIn(f"{SENTINEL} {what}", html)

    def test_no_leaks_in_the_api(self):
        for language in ("cs", "en", "uk"):
            with self.subTest(language=language):
                data = self.api(f"q={SENTINEL}&locale={language}")
                self.assertEqual(data["count"], 0, data)
        live = self.api("q=live+title")["results"]
        self.assertEqual([hit["title"] for hit in live], ["Live title"])

    def test_api_searches_across_resources(self):
        data = self.api("q=Libus")
        by_resource = {hit["resource"]: hit for hit in data["results"]}
        self.assertEqual(by_resource["pages"]["id"], str(self.libus.translation_key))
        self.assertEqual(by_resource["organisations"]["id"], str(self.org.translation_key))
        for hit in data["results"]:
            self.assertEqual(self.client.get(hit["url"]).status_code, 200, hit["url"])
        only = self.api("q=Libus&resource=organisations")["results"]
        self.assertEqual([hit["resource"] for hit in only], ["organisations"])
        en = self.api("q=Libus&locale=en&resource=pages&site=mhmp.localhost")["results"]
        self.assertEqual(
            [(hit["title"], hit["locale"]) for hit in en], [("Prague-Libuš district", "en")]
        )
        platform = self.api(f"q={self.world.platform.title}&resource=platforms")["results"]
        self.assertEqual(platform[0]["id"], str(self.world.platform.translation_key))

    def test_api_bad_input(self):
        for query in (
            "",
            "q=",
            "q=%20%20",
            "q=x&resource=nothing",
            "q=x&site=nowhere",
            "q=x&colour=red",
            "q=" + "x" * 201,
            "q=x&limit=0",
        ):
            with self.subTest(query=query):
                response = self.get(f"/api/v1/search/?{query}", status=400)
                self.assertEqual(response["Content-Type"], "application/problem+json")

    @override_settings(RESPONSE_CACHE_TIMEOUT=0)  # the rendering path (a cached answer: none)
    def test_api_queries_do_not_grow_with_hits(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.api("q=Libus&limit=100")
            return len(queries)

        count()  # warm the process-wide caches (content types) as any earlier request would
        before = count()
        for i in range(10):
            add(self.world.mhmp, ContentPage, title=f"Libuš {i}", slug=f"libus-{i}")
            Organisation.objects.create(name=f"Libuš org {i}", category="ngo")
        self.assertEqual(count(), before)
