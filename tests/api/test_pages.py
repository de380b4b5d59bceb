"""/api/v1/pages/: the pages without a resource of their own, the same contract as the other
resources, lookup by site and path, navigation to the other resources, only live public pages,
constant query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import ContentPage

from .base import ApiTestCase
from .factories import add, restrict, translate


class PagesTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        cls.about = add(w.mhmp, ContentPage, title="Test about", slug="o-nas", body="<p>Hi</p>")
        cls.about_en = translate(cls.about, "en", title="Test about EN", slug="about-us")
        cls.private = add(w.mhmp, ContentPage, title="SENTINEL private", slug="private")
        restrict(cls.private)
        cls.below_private = add(cls.private, ContentPage, title="SENTINEL below private")
        cls.draft = ContentPage(title="SENTINEL draft", slug="draft", live=False)
        w.mhmp.add_child(instance=cls.draft)
        cls.draft.save_revision()

    def test_lists_page_types_without_a_resource_only(self):
        results = self.json("/api/v1/pages/?limit=100")["results"]
        types = {item["type"] for item in results}
        self.assertEqual(
            types,
            {
                "home.homepage",
                "home.contentpage",
                "platforms.platformindexpage",
                "platforms.sharedplatformpage",
            },
        )
        ids = {item["id"] for item in results}
        self.assertIn(str(self.world.shared.translation_key), ids)
        self.assertNotIn(str(self.world.platform.translation_key), ids)
        self.assertNotIn("SENTINEL", str(results))

    def test_contract_fields(self):
        item = self.json(f"/api/v1/pages/{self.about.translation_key}/?locale=en")
        self.assertEqual(item["id"], str(self.about.translation_key))
        self.assertEqual((item["locale"], item["fallback"]), ("en", False))
        self.assertEqual(item["title"], "Test about EN")
        self.assertEqual(
            item["web"], [{"site": "mhmp.localhost", "url": "http://mhmp.localhost/en/about-us/"}]
        )
        languages = {t["language"]: t["status"] for t in item["translations"]}
        self.assertEqual(languages["cs"], "up_to_date")
        self.assertEqual(languages["uk"], "missing")
        self.assertEqual(item["parent"]["id"], str(self.world.mhmp.translation_key))
        self.assertEqual(item["parent"]["resource"], "pages")
        self.assertIsNotNone(item["created"])
        uk = self.json(f"/api/v1/pages/{self.about.translation_key}/?locale=uk")
        self.assertEqual((uk["locale"], uk["fallback"], uk["title"]), ("en", True, "Test about EN"))

    def test_lookup_by_site_and_path_in_any_language(self):
        key = str(self.about.translation_key)
        for path in ("/cs/o-nas/", "/o-nas/", "o-nas", "/en/about-us/"):
            with self.subTest(path=path):
                self.assertEqual(self.ids(f"/api/v1/pages/?site=mhmp.localhost&path={path}"), [key])
        home = self.ids("/api/v1/pages/?site=icp.localhost&path=/en/")
        self.assertEqual(home, [str(self.world.icp.translation_key)])
        # The default site when no site is given; the other site does not have the page.
        self.assertEqual(self.ids("/api/v1/pages/?path=/cs/o-nas/"), [key])
        self.assertEqual(self.ids("/api/v1/pages/?site=icp.localhost&path=/cs/o-nas/"), [])
        self.assertEqual(self.ids("/api/v1/pages/?site=mhmp.localhost&path=/cs/private/"), [])
        self.assertEqual(self.ids("/api/v1/pages/?site=mhmp.localhost&path=/cs/nothing/"), [])

    def test_bad_input(self):
        for url in (
            "/api/v1/pages/?site=nowhere.example&path=/cs/",
            "/api/v1/pages/?site=nowhere.example",
            "/api/v1/pages/?type=platforms.platformpage",
            "/api/v1/pages/?path=",
        ):
            with self.subTest(url=url):
                response = self.get(url, status=400)
                self.assertEqual(response["Content-Type"], "application/problem+json")
        for key in (
            self.private.translation_key,
            self.draft.translation_key,
            self.below_private.translation_key,
            self.world.platform.translation_key,
            "not-an-id",
        ):
            with self.subTest(key=key):
                self.get(f"/api/v1/pages/{key}/", status=404)

    def test_site_filter(self):
        icp = {item["id"] for item in self.json("/api/v1/pages/?site=icp.localhost")["results"]}
        self.assertEqual(
            icp, {str(self.world.icp.translation_key), str(self.world.shared.translation_key)}
        )

    def test_home_children_point_to_their_resources(self):
        home = self.json(f"/api/v1/pages/{self.world.mhmp.translation_key}/")
        children = {child["id"]: child for child in home["children"]}
        index = children[str(self.world.index.translation_key)]
        self.assertEqual(index["resource"], "pages")
        concept = children[str(self.world.concept.translation_key)]
        self.assertEqual(concept["resource"], "concepts")
        self.assertEqual(self.client.get(concept["url"]).status_code, 200)
        self.assertNotIn("SENTINEL", str(home))
        shared = self.json(f"/api/v1/pages/{self.world.shared.translation_key}/")
        self.assertEqual(shared["platform"]["id"], str(self.world.platform.translation_key))
        self.assertEqual(self.client.get(shared["platform"]["url"]).status_code, 200)

    def test_list_queries_do_not_grow(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.get("/api/v1/pages/?limit=100")
            return len(queries)

        before = count()
        for i in range(10):
            add(self.world.icp, ContentPage, title=f"Test more {i}")
            add(self.world.mhmp, ContentPage, title=f"Test more m {i}")
        self.assertEqual(count(), before)
