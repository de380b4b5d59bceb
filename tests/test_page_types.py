"""Page-type rules: where each page type may be created, checked with Wagtail's own helpers."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from concept.models import (
    ActionPlanPage,
    AreaPage,
    ConceptPage,
    PriorityPage,
    RecommendationPage,
)
from home.models import AccessibilityStatementPage, ContentPage, HomePage
from platforms.models import MeetingPage, PlatformIndexPage, PlatformPage, SharedPlatformPage


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_is_created_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_site_sections_hang_under_home(self):
        creatable = {m for m in HomePage.allowed_subpage_models() if m.is_creatable}
        self.assertEqual(
            creatable,
            {
                ContentPage,
                PlatformIndexPage,
                SharedPlatformPage,
                ConceptPage,
                AccessibilityStatementPage,
            },
        )

    def test_accessibility_statement_is_a_leaf_under_home(self):
        self.assertAllowedParentPageTypes(AccessibilityStatementPage, {HomePage})
        self.assertAllowedSubpageTypes(AccessibilityStatementPage, set())

    def test_platform_hierarchy(self):
        self.assertAllowedSubpageTypes(PlatformIndexPage, {PlatformPage})
        self.assertAllowedSubpageTypes(PlatformPage, {MeetingPage})
        self.assertAllowedSubpageTypes(MeetingPage, set())
        self.assertCanNotCreateAt(HomePage, MeetingPage)
        self.assertCanNotCreateAt(PlatformIndexPage, MeetingPage)

    def test_concept_hierarchy(self):
        self.assertAllowedSubpageTypes(ConceptPage, {PriorityPage, ActionPlanPage})
        self.assertAllowedSubpageTypes(PriorityPage, {AreaPage})
        self.assertAllowedSubpageTypes(AreaPage, {RecommendationPage})
        self.assertAllowedSubpageTypes(RecommendationPage, set())
        self.assertCanNotCreateAt(ConceptPage, RecommendationPage)
