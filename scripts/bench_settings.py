"""`make bench`: production settings, with one extra URL (scripts/bench_urls.py)."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
# The benchmark measures the API, not its throttle: production's default limit per address
# (README "Security") would refuse most of the load, which comes from one address.
API_THROTTLE_RATE = None

# Loading 5,000 pages does not need the search index.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
