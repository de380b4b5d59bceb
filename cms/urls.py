from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import index, sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.api_v2 import api_router
from concept import views as concept_views
from home import resources, routing
from home.api.errors import not_found as api_not_found
from home.api.views import ApiRootView
from home.operations import health
from home.search import views as search_views
from home.search.api import SearchViewSet
from home.sitemap import SECTIONS
from platforms.api import MeetingViewSet
from syndication.preview import PreviewView

# The headless content API (/api/v1/): each app declares its resources beside their viewsets
# (@resource, home/resources.py), which also makes them tracked, invalidating and purged.
api_v1 = DefaultRouter()
api_v1.APIRootView = ApiRootView
api_v1.include_format_suffixes = False
resources.register_all(api_v1)

# An outage error raised in a middleware reaches Django's 500 handler: a 503 too.
handler500 = "home.operations.availability.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # A sitemap index of small sections (home/sitemap.py): /sitemap-pages.xml?p=N.
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SECTIONS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SECTIONS, "template_name": "home/sitemap.xml"},
        name="sitemap-section",
    ),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a file: no inline script (CSP).
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "api/v1/meetings/calendar.ics",
        MeetingViewSet.as_view({"get": "calendar"}),
        name="meeting-calendar",
    ),
    path("api/v1/preview/<uuid:id>/", PreviewView.as_view(), name="preview"),
    path("api/v1/search/", SearchViewSet.as_view({"get": "list"}), name="search-list"),
    path("api/v1/", include(api_v1.urls)),
    re_path(r"^api/v1/", api_not_found),
    path("api/oparl/", include("syndication.oparl.urls")),
]

# A second admin over the same data: mounted only where DJANGO_ADMIN_ENABLED (not in production).
if settings.DJANGO_ADMIN_ENABLED:
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Rendered pages carry the language in the path: /cs/…, /en/…, /uk/…. Pages are routed for the
# reader's language (home.routing), under Wagtail's own URL name so page URLs reverse as usual.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("akteri/<int:pk>/", concept_views.actor_page, name="actor_page"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
