"""Adding a language is configuration plus `manage.py sync_locales`; status queries are bulk."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import GroupPagePermission, Locale, Page

from home.models import Person
from home.translation.jobs import start_translation
from home.translation.roles import EDITOR_GROUP, translator_group_name
from home.translation_status import IN_PROGRESS, MISSING, translation_states
from platforms.models import MeetingPage

from .content import build_site, locale
from .test_end_to_end import _Null

FOUR = ["cs", "en", "uk", "ru"]
FOUR_LANGUAGES = [(c, c) for c in FOUR]


class LocaleSetupTests(TestCase):
    def test_default_locales_and_groups_exist_after_migrate(self):
        self.assertEqual(
            set(Locale.objects.values_list("language_code", flat=True)), {"cs", "en", "uk"}
        )
        for name in (EDITOR_GROUP, translator_group_name("en"), translator_group_name("uk")):
            self.assertTrue(Group.objects.filter(name=name).exists(), name)
        editors = Group.objects.get(name=EDITOR_GROUP)
        self.assertTrue(editors.permissions.filter(codename="submit_translation").exists())
        translators = Group.objects.get(name=translator_group_name("uk"))
        self.assertTrue(translators.permissions.filter(codename="change_venue").exists())
        self.assertFalse(translators.permissions.filter(codename="submit_translation").exists())

    @override_settings(WAGTAIL_CONTENT_LANGUAGES=FOUR_LANGUAGES, LANGUAGES=FOUR_LANGUAGES)
    def test_adding_a_fourth_locale(self):
        c = build_site()
        call_command("sync_locales", stdout=_Null())
        call_command("sync_locales", stdout=_Null())  # idempotent
        ru = Locale.objects.get(language_code="ru")
        group = Group.objects.get(name=translator_group_name("ru"))

        states = translation_states(MeetingPage, [c["meetings"][0].translation_key])
        self.assertEqual(list(states[c["meetings"][0].translation_key]), FOUR)
        self.assertEqual(states[c["meetings"][0].translation_key]["ru"].status, MISSING)

        with self.captureOnCommitCallbacks(execute=True):
            start_translation(c["platform"], [ru], include_subtree=True)
        ru_home = c["home"].get_translation(ru)
        # the new Russian tree gets the Russian translators' (and editors') page permissions
        self.assertTrue(GroupPagePermission.objects.filter(group=group, page=ru_home).exists())
        self.assertTrue(
            GroupPagePermission.objects.filter(group__name=EDITOR_GROUP, page=ru_home).exists()
        )
        states = translation_states(MeetingPage, [c["meetings"][0].translation_key])
        self.assertEqual(states[c["meetings"][0].translation_key]["ru"].status, IN_PROGRESS)


class BulkStatusQueryTests(TestCase):
    """translation_states costs the same number of queries for N and 10·N objects."""

    def make_people(self, n):
        people = Person.objects.bulk_create(
            [Person(name=f"Osoba {i}", role="role", locale=locale("cs")) for i in range(n)]
        )
        for person in people[: max(1, n // 2)]:
            start_translation(person, [locale("uk")])
        return [p.translation_key for p in people]

    def test_snippets(self):
        for n in (3, 30):
            keys = self.make_people(n)
            with self.assertNumQueries(2):
                states = translation_states(Person, keys)
            self.assertEqual(len(states), n)

    def test_pages(self):
        c = build_site()
        home = c["home"]
        with self.captureOnCommitCallbacks(execute=True):
            start_translation(home, [locale("uk")], include_subtree=True)
        small = list(
            Page.objects.filter(locale=locale("cs"), depth__gt=1).values_list(
                "translation_key", flat=True
            )
        )
        platform = c["platform"]
        import datetime

        for i in range(10 * len(small)):
            platform.add_child(
                instance=MeetingPage(
                    title=f"Setkání {i}", slug=f"s-{i}", date=datetime.date(2021, 1, 1)
                )
            )
        large = list(
            Page.objects.filter(locale=locale("cs"), depth__gt=1).values_list(
                "translation_key", flat=True
            )
        )
        self.assertGreaterEqual(len(large), 10 * len(small))
        for keys in (small, large):
            with self.assertNumQueries(2):
                translation_states(Page, keys)
