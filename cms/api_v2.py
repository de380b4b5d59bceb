"""Wagtail's generic API v2 (pages, images, documents) for Wagtail-savvy consumers; the viewsets
live in home/api/v2.py."""

from wagtail.api.v2.router import WagtailAPIRouter

from home.api.v2 import (
    CheckedDocumentsAPIViewSet,
    CheckedImagesAPIViewSet,
    ReadablePagesAPIViewSet,
)

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ReadablePagesAPIViewSet)
api_router.register_endpoint("images", CheckedImagesAPIViewSet)
api_router.register_endpoint("documents", CheckedDocumentsAPIViewSet)
