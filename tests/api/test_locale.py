"""?locale= and Accept-Language, the fallback chain, and how fallbacks are marked."""

from django.test import override_settings
from wagtail.models import Locale, Page

from .base import ApiTestCase
from .factories import locale, publish, translate, translate_snippet


class LocaleTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        cls.platform_en = translate(w.platform, "en", title="Test platform EN")
        cls.platform_uk = translate(w.platform, "uk", title="Test platform UK")
        cls.meeting_en = translate(w.meetings[0], "en", title="Test meeting EN")

    def platform(self, query="", **headers):
        return self.json(
            f"/api/v1/platforms/{self.world.platform.translation_key}/{query}", **headers
        )

    def test_locale_parameter_picks_the_language(self):
        data = self.platform("?locale=uk")
        self.assertEqual(
            (data["locale"], data["title"], data["fallback"]), ("uk", "Test platform UK", False)
        )
        self.assertEqual(data["web"][0]["url"].split("/")[3], "uk")

    def test_same_id_in_every_language(self):
        ids = {self.platform(f"?locale={lang}")["id"] for lang in ("cs", "en", "uk")}
        self.assertEqual(ids, {str(self.world.platform.translation_key)})

    def test_missing_translation_falls_back_along_the_chain(self):
        meetings = self.json(
            f"/api/v1/meetings/?locale=uk&platform={self.world.platform.translation_key}"
        )
        first, second = meetings["results"]
        self.assertEqual(
            (first["locale"], first["title"], first["fallback"]), ("en", "Test meeting EN", True)
        )
        self.assertEqual((second["locale"], second["fallback"]), ("cs", True))
        self.assertEqual(meetings["count"], 2)  # one object per id, never one per language

    def test_embedded_objects_fall_back_too(self):
        translate_snippet(self.world.venue, "en", name="Test venue EN")
        data = self.platform("?locale=uk")
        self.assertEqual(data["usual_venue"]["name"], "Test venue EN")
        self.assertEqual(
            (data["usual_venue"]["locale"], data["usual_venue"]["fallback"]), ("en", True)
        )
        self.assertEqual(data["coordinator"]["name"], "Test organisation 1 EN")
        translate_snippet(self.world.person, "uk", role="Test role UK")
        person = self.platform("?locale=uk")["contacts"][0]["person"]
        self.assertEqual((person["role"], person["locale"]), ("Test role UK", "uk"))

    @override_settings(LANGUAGE_FALLBACK_CHAINS={"uk": ["en"], "en": ["uk"]})
    def test_the_best_language_wins_whatever_order_the_versions_come_in(self):
        """Each reader gets the venue in the first language of their chain that has it, not
        whichever version the database lists last (en → uk → cs here, uk → en → cs)."""
        translate_snippet(self.world.venue, "en", name="Test venue EN")
        translate_snippet(self.world.venue, "uk", name="Test venue UK")
        for language, name in (("uk", "Test venue UK"), ("en", "Test venue EN")):
            with self.subTest(language=language):
                data = self.platform(f"?locale={language}")
                self.assertEqual(data["usual_venue"]["name"], name)

    def test_best_instances_answers_for_the_keys_asked_only(self):
        from home.localization import best_instances
        from platforms.models import Venue

        other = Venue.objects.create(name="Test other venue", locale=locale("cs"))
        found = best_instances(Venue.objects.all(), [other.translation_key], ["uk", "en", "cs"])
        self.assertEqual(list(found), [other.translation_key])

    def test_a_language_added_by_another_process_is_known_at_once(self):
        """The language codes are read once; a locale another worker created since (no signal
        reaches this process) is looked up again, not a crash."""
        from home.localization import language_of
        from platforms.models import Venue

        self.assertEqual(language_of(self.platform_en), "en")
        Locale.objects.bulk_create([Locale(language_code="de")])  # bulk: no post_save here
        german = Locale.objects.get(language_code="de").pk
        venue = Venue.objects.get(pk=Venue.objects.create(name="Test DE", locale_id=german).pk)
        self.assertEqual(language_of(venue), "de")  # read without its locale row

    def test_content_language_header(self):
        response = self.get(f"/api/v1/meetings/{self.world.meetings[1].translation_key}/?locale=en")
        self.assertEqual(response.headers["Content-Language"], "cs")
        response = self.get("/api/v1/meetings/?locale=uk")
        self.assertEqual(response.headers["Content-Language"], "uk")
        self.assertIn("Accept-Language", response.headers["Vary"])

    def test_accept_language_without_parameter(self):
        data = self.platform(accept_language="uk-UA,uk;q=0.9,en;q=0.5")
        self.assertEqual(data["locale"], "uk")
        data = self.platform(accept_language="de, en;q=0.8")
        self.assertEqual(data["locale"], "en")
        self.assertEqual(self.platform(accept_language="de")["locale"], "cs")
        # a regional variant alone is read as its language
        self.assertEqual(self.platform(accept_language="uk-UA")["locale"], "uk")

    def test_a_pages_children_are_listed_in_the_language_asked_for(self):
        """?locale= picks the children's language too, whatever language the request's chrome
        is in (no Accept-Language: Czech)."""
        index = self.world.index
        Page.objects.filter(translation_key=index.translation_key, locale=locale("uk")).update(
            title="Test index UK"
        )
        home = self.json(f"/api/v1/pages/{self.world.mhmp.translation_key}/?locale=uk")
        titles = {child["id"]: child["title"] for child in home["children"]}
        self.assertEqual(titles[str(index.translation_key)], "Test index UK")
        home = self.json(f"/api/v1/pages/{self.world.mhmp.translation_key}/")
        titles = {child["id"]: child["title"] for child in home["children"]}
        self.assertEqual(titles[str(index.translation_key)], index.title)

    def test_a_long_accept_language_header_is_read_past_its_first_languages(self):
        # a browser with many languages set: ours come late but within Django's 500 characters
        others = ", ".join(f"x{letter}-YY;q=0.9" for letter in "abcdefghijklmnopqrstuvwxy")
        self.assertGreater(len(others), 300)
        data = self.platform(accept_language=f"{others}, uk;q=0.5")
        self.assertEqual(data["locale"], "uk")
        # past the 500 characters Django reads up to the last whole language, never half a tag
        data = self.platform(accept_language=f"{others}, {others}, uk;q=0.5")
        self.assertEqual(data["locale"], "cs")

    def test_an_unknown_locale_is_a_400_naming_the_languages(self):
        body = self.json("/api/v1/platforms/?locale=de", 400)
        reasons = {param["name"]: param["reason"] for param in body["invalid_params"]}
        self.assertEqual(reasons["locale"], "Unknown locale 'de'; use one of cs, en, uk.")

    @override_settings(
        WAGTAIL_CONTENT_LANGUAGES=[("cs", "Čeština"), ("uk", "Українська")],
        LANGUAGE_FALLBACK_CHAINS={"uk": ["en"]},
    )
    def test_a_chain_keeps_to_the_content_languages_and_ends_in_czech(self):
        # English dropped from CONTENT_LANGUAGES: its leftover translation is not served though
        # the chain still names it, and Czech ends the chain though the setting leaves it out.
        meeting = self.world.meetings[0]
        data = self.json(f"/api/v1/meetings/{meeting.translation_key}/?locale=uk")
        self.assertEqual((data["locale"], data["title"]), ("cs", meeting.title))

    def test_parameter_wins_over_header(self):
        self.assertEqual(self.platform("?locale=en", accept_language="uk")["locale"], "en")

    def translations(self, resource, obj):
        """(language, status, source, available, URL) of each language, as a client reads it."""
        key = obj.translation_key
        return [
            (t["language"], t["status"], t["source"], t["available"], t["url"])
            for t in self.json(f"/api/v1/{resource}/{key}/")["translations"]
        ]

    def url(self, resource, obj, language):
        return f"http://testserver/api/v1/{resource}/{obj.translation_key}/?locale={language}"

    def test_translations_list_each_language_with_status(self):
        platform = self.world.platform
        self.assertEqual(
            self.translations("platforms", platform),
            [
                ("cs", "up_to_date", True, True, self.url("platforms", platform, "cs")),
                ("en", "up_to_date", False, True, self.url("platforms", platform, "en")),
                ("uk", "up_to_date", False, True, self.url("platforms", platform, "uk")),
            ],
        )

    def test_snippet_translations_are_listed_too(self):
        venue = self.world.venue
        translate_snippet(venue, "en", name="Test venue EN")  # by hand, published
        self.assertEqual(
            self.translations("venues", venue),
            [
                ("cs", "up_to_date", True, True, self.url("venues", venue, "cs")),
                ("en", "up_to_date", False, True, self.url("venues", venue, "en")),
                ("uk", "missing", False, False, None),
            ],
        )

    def test_an_alias_in_another_language_is_not_a_translation(self):
        # An editor's alias of a Czech meeting in the Ukrainian tree shows Czech text there.
        meeting = self.world.meetings[1]
        meeting.create_alias(
            parent=self.platform_uk, update_locale=locale("uk"), reset_translation_key=False
        )
        uk = self.translations("meetings", meeting)[2]
        self.assertEqual(uk, ("uk", "missing", False, False, None))

    def test_hand_made_translation_is_outdated_once_the_source_is_republished(self):
        # Translated outside wagtail-localize: no Translation, only publishing times to compare.
        platform = self.world.platform
        platform.summary = "Test summary changed"
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform)
        states = {t["language"]: t["status"] for t in self.platform()["translations"]}
        self.assertEqual(states, {"cs": "up_to_date", "en": "outdated", "uk": "outdated"})
        en = self.translations("platforms", platform)[1]
        self.assertEqual(en[:4], ("en", "outdated", False, True))  # still served meanwhile
        publish(self.platform_en)  # the translator brings the English version up to date
        states = {t["language"]: t["status"] for t in self.platform()["translations"]}
        self.assertEqual(states, {"cs": "up_to_date", "en": "up_to_date", "uk": "outdated"})

    def test_concept_tree_nodes_fall_back_independently(self):
        translate(self.world.priority, "uk", title="Test priority UK")
        concept = self.json(f"/api/v1/concepts/{self.world.concept.translation_key}/?locale=uk")
        # A translated priority needs a translated Concept above it (no alias pages).
        self.assertEqual(concept["locale"], "uk")
        priority = concept["priorities"][0]
        self.assertEqual((priority["locale"], priority["title"]), ("uk", "Test priority UK"))
        area = priority["areas"][0]
        self.assertEqual((area["locale"], area["fallback"]), ("cs", True))
        self.assertEqual(len(area["recommendations"]), 2)


class HonestTranslationsTests(ApiTestCase):
    def test_a_language_is_available_only_where_its_url_serves_it(self):
        """A published Ukrainian meeting below an unpublished Ukrainian platform is not served
        (the reader rule), so it is not listed as available, and has no URL (issue 14)."""
        w = self.world
        meeting_uk = translate(w.meetings[0], "uk", title="Test meeting UK")
        platform_uk = meeting_uk.get_parent().specific
        platform_uk.unpublish()
        data = self.json(f"/api/v1/meetings/{w.meetings[0].translation_key}/")
        uk = next(t for t in data["translations"] if t["language"] == "uk")
        self.assertFalse(uk["available"])
        self.assertIsNone(uk["url"])
        served = self.json(f"/api/v1/meetings/{w.meetings[0].translation_key}/?locale=uk")
        self.assertEqual(served["locale"], "cs")  # what the URL would have served
        # Published again: available, and the URL serves Ukrainian.
        publish(platform_uk)
        data = self.json(f"/api/v1/meetings/{w.meetings[0].translation_key}/")
        uk = next(t for t in data["translations"] if t["language"] == "uk")
        self.assertTrue(uk["available"])
        self.assertEqual(self.json(uk["url"])["locale"], "uk")
