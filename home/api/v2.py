"""Wagtail's generic API v2 (pages, images, documents), for Wagtail-savvy consumers.

Stock Wagtail, except that it serves only what a reader may see (home.localization.readable:
live, not expired, no alias in another language) and that bad input is a 400/404
application/problem+json, never a 500: stock Wagtail passes NUL bytes, 64-bit overflows,
unparsable dates, unknown sites and search syntax straight to the database.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from taggit.managers import TaggableManager
from wagtail.api.v2 import filters
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from home.api.errors import PROBLEM_CONTENT_TYPE, problem
from home.localization import outside_hidden_subtrees, readable

MAX_INTEGER = 2**63 - 1  # a larger OFFSET or id overflows the database's 64-bit integers
INTEGER_PARAMETERS = ("offset", "limit", "child_of", "descendant_of", "ancestor_of", "id")
SEARCH_OPERATORS = ("and", "or")
# Search matches words. Punctuation is dropped: SQLite's FTS5 reads quotes, brackets and
# asterisks as query syntax and fails on unbalanced ones.
NOT_A_WORD = re.compile(r"[^\w\s]|_")


class CheckedFieldsFilter(filters.FieldsFilter):
    """Field filters (?title=…, ?first_published_at=…) whose value must fit the field: stock
    Wagtail lets the database or Django's query builder fail on a bad date or a huge id."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True)) - {"locale"}
        for name, value in request.GET.items():
            if name in fields:
                _check_field_value(queryset.model._meta.get_field(name), name, value)
        return super().filter_queryset(request, queryset, view)


def _check_field_value(field, name, value):
    if isinstance(field, TaggableManager) or not field.concrete:
        return
    target = field.target_field if field.is_relation else field
    try:
        target.run_validators(target.to_python(value))
    except ValidationError as error:
        raise BadRequestError(
            f"'{name}' is not a valid value: {' '.join(error.messages)}"
        ) from None


class WordSearchFilter(filters.SearchFilter):
    """?search= as words; the operator must be "and" or "or" (stock Wagtail: a 500)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        operator = request.GET.get("search_operator") or None
        if operator not in (None, *SEARCH_OPERATORS):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        words = " ".join(NOT_A_WORD.sub(" ", request.GET["search"]).split())
        if issubclass(queryset.model, Page):
            # The search backend filters only on indexed fields; the reader rule also filters on
            # expire_at and alias_of, so the search gets the readable pages by id.
            ordering = queryset.query.order_by
            queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))
            queryset = queryset.order_by(*ordering)
        try:
            return get_search_backend().search(
                words, queryset, operator=operator, order_by_relevance="order" not in request.GET
            )
        except (filters.FilterFieldError, filters.OrderByFieldError) as error:
            raise BadRequestError(
                f"cannot search with '{error.field_name}' (not indexed)"
            ) from None


def _replace_filters(backends):
    replacements = {
        filters.FieldsFilter: CheckedFieldsFilter,
        filters.SearchFilter: WordSearchFilter,
    }
    return [replacements.get(backend, backend) for backend in backends]


class CheckedInputMixin:
    """Checks every request's parameters before Wagtail sees them; errors as problem+json."""

    renderer_classes = [JSONRenderer]  # as /api/v1/: no browsable HTML API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequestError(f"'{name}': NUL characters are not allowed")
        for name in INTEGER_PARAMETERS:
            value = request.GET.get(name, "")
            if value.lstrip("-").isdigit() and abs(int(value)) > MAX_INTEGER:
                raise BadRequestError(f"'{name}' must be at most {MAX_INTEGER}")

    def find_object(self, queryset, request):
        if "id" in request.GET and not request.GET["id"].isdigit():
            raise BadRequestError("'id' must be a positive integer")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return _problem_response(404, str(exc) or "Not found.")
        if isinstance(exc, BadRequestError):
            return _problem_response(400, str(exc))
        return super().handle_exception(exc)


def _problem_response(status, detail):
    return Response(problem(status, detail), status=status, content_type=PROBLEM_CONTENT_TYPE)


class ReadablePagesAPIViewSet(CheckedInputMixin, PagesAPIViewSet):
    filter_backends = _replace_filters(PagesAPIViewSet.filter_backends)

    def get_base_queryset(self):
        self._check_site()
        # As on pages and in /api/v1/: nothing below an expired or unpublished page either.
        return outside_hidden_subtrees(readable(super().get_base_queryset()))

    def _check_site(self):
        """?site=host[:port] must name a site (stock Wagtail: a 500 when it does not)."""
        if "site" not in self.request.GET:
            return
        hostname, _, port = self.request.GET["site"].partition(":")
        query = {"hostname": hostname}
        if port:
            if not port.isdigit() or int(port) > 65535:
                raise BadRequestError("site: the port must be a number up to 65535")
            query["port"] = int(port)
        if not Site.objects.filter(**query).exists():
            raise BadRequestError(f"site: no site '{self.request.GET['site']}'")


class CheckedImagesAPIViewSet(CheckedInputMixin, ImagesAPIViewSet):
    filter_backends = _replace_filters(ImagesAPIViewSet.filter_backends)


class CheckedDocumentsAPIViewSet(CheckedInputMixin, DocumentsAPIViewSet):
    filter_backends = _replace_filters(DocumentsAPIViewSet.filter_backends)
