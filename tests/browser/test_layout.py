"""The platform page on a phone and a desktop: styled, nothing wider than the screen.
Screenshots go to build/screenshots/ for a human look."""

from pathlib import Path

import pytest
from django.conf import settings

from platforms.models import PlatformPage

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
BRAND_RED = "rgb(160, 13, 28)"  # --brand in static/css/site.css


@pytest.mark.parametrize(("device", "width"), [("phone", 390), ("desktop", 1280)])
def test_platform_page_fits_the_screen(page, live_site, device, width):
    page.set_viewport_size({"width": width, "height": 844})
    rpp = PlatformPage.objects.get(slug="regionalni-poradni-platforma", locale__language_code="cs")
    page.goto(live_site.url(rpp))
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == BRAND_RED  # CSS served
    too_wide = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName + '.' + e.className)""",
        width,
    )
    assert too_wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"platform-{device}.png", full_page=True)
