"""Source changes: unchanged segments keep their translation, changed ones need work."""

import datetime
import shutil
import tempfile
from pathlib import Path

import polib
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from home.translation.jobs import start_translation
from home.translation_status import IN_PROGRESS, OUTDATED, UP_TO_DATE, translation_states
from platforms.models import MeetingPage, PlatformPage, Venue

from .content import build_site, fill_po_dir, locale, publish, ukrainian
from .test_end_to_end import _Null


class SyncTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.c = build_site()
        cls.uk = locale("uk")
        cls.tmp_dir = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, cls.tmp_dir, True)
        cls.export()
        fill_po_dir(cls.tmp_dir)
        cls.import_(publish=True)

    @classmethod
    def export(cls):
        for path in Path(cls.tmp_dir).glob("*.po"):
            path.unlink()
        with cls.captureOnCommitCallbacks(execute=True):
            call_command(
                "export_translations",
                "--locale",
                "uk",
                "--page",
                str(cls.c["home"].pk),
                "--output",
                cls.tmp_dir,
                stdout=_Null(),
            )

    @classmethod
    def import_(cls, publish):
        args = ["import_translations", cls.tmp_dir, "--locale", "uk"]
        with cls.captureOnCommitCallbacks(execute=True):
            call_command(*args + (["--publish"] if publish else []), stdout=_Null())

    def status(self, model, obj, language="uk"):
        return translation_states(model, [obj.translation_key])[obj.translation_key][
            language
        ].status

    def test_changed_paragraph_makes_translation_outdated_and_keeps_the_rest(self):
        platform = self.c["platform"]
        self.assertEqual(self.status(PlatformPage, platform), UP_TO_DATE)
        translated_before = StringTranslation.objects.filter(locale=self.uk).count()

        platform.description = (
            "<p>Platforma sdružuje aktéry integrace.</p><p>Schází se třikrát ročně.</p>"
        )
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform)  # syncs on publish

        self.assertEqual(self.status(PlatformPage, platform), OUTDATED)
        uk_platform = platform.get_translation(self.uk)
        self.assertTrue(uk_platform.live)  # the translated version stays online meanwhile
        # ...and API clients are told both: outdated, still served in Ukrainian
        detail = self.client.get(f"/api/v1/platforms/{platform.translation_key}/").json()
        uk_state = next(t for t in detail["translations"] if t["language"] == "uk")
        self.assertEqual((uk_state["status"], uk_state["available"]), (OUTDATED, True))
        self.assertIn("УК Schází se čtyřikrát ročně.", uk_platform.description)
        # nothing translated was lost; only the new paragraph lacks a translation
        self.assertEqual(
            StringTranslation.objects.filter(locale=self.uk).count(), translated_before
        )
        translation = Translation.objects.get(  # re-fetched: its source was updated
            source__object_id=platform.translation_key, target_locale=self.uk
        )
        total, done = translation.get_progress()
        self.assertEqual(total - done, 1)
        self.export()
        po_name = next(Path(self.tmp_dir).glob(f"page-{platform.pk}-*.po"))
        po = polib.pofile(str(po_name))
        untranslated = [e.msgid for e in po if not e.msgstr and not e.obsolete]
        self.assertEqual(untranslated, ["Schází se třikrát ročně."])
        kept = {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete}
        self.assertEqual(
            kept["Platforma sdružuje aktéry integrace."], "УК Platforma sdružuje aktéry integrace."
        )

        # re-translating that one segment makes it up to date again once published: a
        # translation saved as a draft is not what readers see yet
        fill_po_dir(self.tmp_dir)
        self.import_(publish=False)
        self.assertEqual(self.status(PlatformPage, platform), OUTDATED)
        self.import_(publish=True)
        self.assertEqual(self.status(PlatformPage, platform), UP_TO_DATE)
        uk_platform = platform.get_translation(self.uk)
        self.assertIn(ukrainian("Schází se třikrát ročně."), uk_platform.description)

    def test_synchronised_field_change_follows_at_once(self):
        meeting = self.c["meetings"][0]
        meeting.date = datetime.date(2020, 6, 30)
        with self.captureOnCommitCallbacks(execute=True):
            publish(meeting)
        uk_meeting = MeetingPage.objects.get(pk=meeting.get_translation(self.uk).pk)
        self.assertEqual(uk_meeting.date, datetime.date(2020, 6, 30))
        self.assertTrue(uk_meeting.topic.startswith("УК "))
        self.assertEqual(self.status(MeetingPage, meeting), UP_TO_DATE)

    @override_settings(TRANSLATION_SYNC_ON_PUBLISH=False)
    def test_without_sync_on_publish_a_published_change_waits_and_is_outdated(self):
        meeting = self.c["meetings"][0]
        uk_meeting = meeting.get_translation(self.uk)
        meeting.date = datetime.date(2020, 6, 30)
        with self.captureOnCommitCallbacks(execute=True):
            publish(meeting)
        # Not synced: the Ukrainian page keeps its old date (a synchronised field) for now...
        self.assertEqual(MeetingPage.objects.get(pk=uk_meeting.pk).date, uk_meeting.date)
        self.assertNotEqual(uk_meeting.date, datetime.date(2020, 6, 30))
        # ...and the status tells the translators the Czech source moved on.
        self.assertEqual(self.status(MeetingPage, meeting), OUTDATED)
        with self.captureOnCommitCallbacks(execute=True):  # the sync publishes on commit
            call_command("sync_translations", stdout=_Null())
        self.assertEqual(MeetingPage.objects.get(pk=uk_meeting.pk).date, datetime.date(2020, 6, 30))
        self.assertEqual(self.status(MeetingPage, meeting), UP_TO_DATE)

    def test_snippet_change_is_outdated_until_synced(self):
        venue = self.c["venue"]
        self.assertEqual(self.status(Venue, venue), UP_TO_DATE)
        venue.room = "3. patro"
        venue.save()
        self.assertEqual(self.status(Venue, venue), OUTDATED)  # changed, not synced yet
        from home.translation.jobs import sync_source

        sync_source(venue)
        self.assertEqual(self.status(Venue, venue), OUTDATED)  # synced, one segment to do
        self.assertEqual(venue.get_translation(self.uk).name, "УК Sál architektů")

    def test_sync_command(self):
        venue = self.c["venue"]
        Venue.objects.filter(pk=venue.pk).update(name="Sál architektů a urbanistů")
        self.assertEqual(self.status(Venue, venue), OUTDATED)  # changed, not synced yet
        translation = Translation.objects.get(
            source__object_id=venue.translation_key, target_locale=self.uk
        )
        self.assertEqual(translation.get_progress(), (3, 3))
        call_command("sync_translations", stdout=_Null())
        self.assertEqual(self.status(Venue, venue), OUTDATED)
        self.assertEqual(Translation.objects.get(pk=translation.pk).get_progress(), (3, 2))
        self.assertEqual(venue.get_translation(self.uk).room, "УК 2. patro")  # kept

    def test_draft_in_czech_does_not_outdate(self):
        platform = self.c["platform"]
        platform.summary = "Jiné shrnutí."
        platform.save_revision()  # a draft, not published: readers still see the old Czech
        self.assertEqual(self.status(PlatformPage, platform), UP_TO_DATE)

    def test_only_this_translation_of_this_segment_counts(self):
        """A segment is translated by a valid translation into this language, in this place:
        the same words translated into English, elsewhere on the page, or with an error (it
        cannot be applied) leave the Ukrainian page outdated, even published again."""
        platform = self.c["platform"]
        added = "Schází se třikrát ročně."
        platform.description = f"<p>Platforma sdružuje aktéry integrace.</p><p>{added}</p>"
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform)
        segments = StringSegment.objects.filter(
            source__object_id=platform.translation_key, source__locale__language_code="cs"
        ).select_related("string", "context")
        segment = next(s for s in segments if s.string.data == added)
        elsewhere = next(s for s in segments if s.context_id != segment.context_id)

        def translated(locale, context, **extra):
            StringTranslation.objects.create(
                translation_of=segment.string, locale=locale, context=context, data="X", **extra
            )

        translated(locale("en"), segment.context)
        translated(self.uk, elsewhere.context)
        translated(self.uk, segment.context, has_error=True)
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform.get_translation(self.uk))
        self.assertEqual(self.status(PlatformPage, platform), OUTDATED)
        StringTranslation.objects.filter(locale=self.uk, has_error=True).update(has_error=False)
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform.get_translation(self.uk))
        self.assertEqual(self.status(PlatformPage, platform), UP_TO_DATE)

    def test_a_stopped_translation_is_judged_as_hand_made(self):
        """After "Stop synced translation" the Ukrainian page is edited by hand: outdated when
        the Czech page is published after it, up to date once it is published again, whatever
        its old segments say."""
        platform = self.c["platform"]
        Translation.objects.filter(
            source__object_id=platform.translation_key, target_locale=self.uk
        ).update(enabled=False)
        platform.description = "<p>Úplně nový popis.</p>"
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform)
        self.assertEqual(self.status(PlatformPage, platform), OUTDATED)
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform.get_translation(self.uk))
        self.assertEqual(self.status(PlatformPage, platform), UP_TO_DATE)

    def test_a_snippet_with_nothing_translated_left_is_outdated(self):
        venue = self.c["venue"]
        venue.name, venue.address, venue.room = "Nový sál", "Mariánské náměstí", "přízemí"
        venue.save()
        call_command("sync_translations", stdout=_Null())
        self.assertEqual(self.status(Venue, venue), OUTDATED)

    def test_a_snippet_with_nothing_to_translate_is_up_to_date_once_published(self):
        """A contact person without a role: the name is not translated, so there is no string
        to translate; the published translation is up to date."""
        from home.models import Person

        person = Person.objects.create(name="Petr Novák")
        person.save_revision().publish()
        person.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            start_translation(person, [self.uk])
        self.assertEqual(self.status(Person, person), IN_PROGRESS)
        with self.captureOnCommitCallbacks(execute=True):
            person.get_translation(self.uk).save_revision().publish()
        self.assertEqual(self.status(Person, person), UP_TO_DATE)

    def test_organisation_change_is_outdated_until_synced(self):
        """Organisations (snippets with clusters, published like pages) follow the same rule."""
        from home.models import Organisation
        from home.translation.po import export_translations, write_files

        organisation = Organisation.objects.create(name="Odbor školství", category="city")
        organisation.save_revision().publish()
        organisation.refresh_from_db()
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory, True)
        with self.captureOnCommitCallbacks(execute=True):
            write_files(export_translations(self.uk, [], snippets=[organisation]), directory)
        fill_po_dir(directory)
        with self.captureOnCommitCallbacks(execute=True):
            args = ["import_translations", directory, "--locale", "uk", "--publish"]
            call_command(*args, stdout=_Null())
        self.assertEqual(self.status(Organisation, organisation), UP_TO_DATE)
        Organisation.objects.filter(pk=organisation.pk).update(name="Odbor školství a mládeže")
        organisation.refresh_from_db()
        self.assertEqual(self.status(Organisation, organisation), OUTDATED)  # not synced yet
        call_command("sync_translations", stdout=_Null())
        self.assertEqual(self.status(Organisation, organisation), OUTDATED)


class TranslatedFromEnglishTests(TestCase):
    """An editor may translate the English page into Ukrainian (wagtail-localize's "Translate
    this page" on it). The Ukrainian page is then no translation of the Czech source in
    wagtail-localize's books: it is judged by publishing times, like a hand-made one."""

    def test_czech_change_outdates_a_translation_made_from_english(self):
        from wagtail_localize.operations import TranslationCreator

        from tests.api.factories import translate, translate_snippet

        c = build_site()
        uk = locale("uk")
        platform = c["platform"]
        en_platform = translate(platform, "en", title="Regional advisory platform")
        translate(c["index"], "uk", title="Дорадчі платформи")
        for snippet in (c["venue"], c["person"]):  # what the platform page shows
            translate_snippet(snippet, "en")
            translate_snippet(snippet, "uk")
        with self.captureOnCommitCallbacks(execute=True):
            TranslationCreator(None, [uk]).create_translations(en_platform)
        translation = Translation.objects.get(
            source__object_id=platform.translation_key,
            source__locale__language_code="en",
            target_locale=uk,
        )
        po = translation.export_po()
        for entry in po:
            entry.msgstr = ukrainian(entry.msgid)
        translation.import_po(po)
        with self.captureOnCommitCallbacks(execute=True):
            translation.save_target(publish=True)
        key = platform.translation_key

        def status():
            return translation_states(PlatformPage, [key])[key]["uk"].status

        self.assertEqual(status(), UP_TO_DATE)
        platform.summary = "Jiné shrnutí."
        with self.captureOnCommitCallbacks(execute=True):
            publish(platform)
        self.assertEqual(status(), OUTDATED)
