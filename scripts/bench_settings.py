"""`make bench`: production settings, with one extra URL (scripts/bench_urls.py)."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

# Loading 5,000 pages does not need the search index.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
