"""One place per resource (home/resources.py): every translatable model the API serves is
tracked (ContentChange rows, tombstones), whether its viewset was declared with @resource or
registered in a router by hand."""

from django.db.models.signals import post_delete, post_save
from django.test import SimpleTestCase
from rest_framework.routers import DefaultRouter
from wagtail.models import TranslatableMixin

from home import resources, signals
from home.api.base import ContentViewSet
from platforms.models import AgendaItem


def untracked(router):
    """Translatable models served by `router` whose changes nobody records, unless their
    resource says why not (track=False)."""
    declared = {r.viewset: r for r in resources.resources()}
    tracked = set(resources.tracked_models())
    missing = []
    for prefix, viewset, _basename in router.registry:
        model = viewset.model
        if not issubclass(model, TranslatableMixin) or model in tracked:
            continue
        if viewset in declared and declared[viewset].track is False:
            continue
        missing.append((prefix, model._meta.label))
    return missing


class RegistryTests(SimpleTestCase):
    def test_every_translatable_model_of_the_api_is_tracked(self):
        from cms.urls import api_v1

        self.assertEqual(untracked(api_v1), [])

    def test_a_viewset_registered_by_hand_is_caught(self):
        class AgendaViewSet(ContentViewSet):
            model = AgendaItem

        from cms.urls import api_v1

        router = DefaultRouter()
        for entry in api_v1.registry:
            router.register(*entry)
        router.register("agenda", AgendaViewSet, basename="agenda")
        self.assertEqual(untracked(router), [("agenda", "platforms.AgendaItem")])

    def test_tracked_models_have_their_change_recorders_connected(self):
        for model in resources.tracked_models():
            saved = [r for r in post_save._live_receivers(model)[0] if r is signals.on_save]
            removed = [r for r in post_delete._live_receivers(model)[0] if r is signals.on_remove]
            self.assertEqual((len(saved), len(removed)), (1, 1), model)

    def test_the_api_router_is_built_from_the_declarations(self):
        from cms.urls import api_v1

        self.assertEqual(
            [(prefix, viewset) for prefix, viewset, _ in api_v1.registry],
            [(r.prefix, r.viewset) for r in resources.resources()],
        )
        self.assertEqual(
            {m._meta.label for m in resources.tracked_models()},
            {
                "home.Organisation",
                "home.Person",
                "platforms.Venue",
                "platforms.PlatformPage",
                "platforms.MeetingPage",
                "concept.ConceptPage",
                "concept.RecommendationPage",
                "concept.Measure",
                "concept.ActionPlanPage",
            },
        )

    def test_a_resource_name_is_declared_once(self):
        with self.assertRaises(ValueError):
            resources.resource("meetings", basename="other")(type("Other", (ContentViewSet,), {}))
