from django.conf import settings
from django.db.models import Count, QuerySet, Window
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

MAX_OFFSET = 10**9  # beyond any real list; keeps the number in the database's integer range


class ApiPagination(LimitOffsetPagination):
    """limit/offset with totals; a limit outside 1…API_MAX_PAGE_SIZE is a 400, not clamped."""

    @property
    def default_limit(self):
        return settings.API_PAGE_SIZE

    @property
    def max_limit(self):
        return settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        """The page's ids and the total from one narrow query, then the page's rows by id.

        Sorting every matching row with all its columns (and LIMIT after) cost more than the
        rest of a 100-meeting answer at 5,000 meetings; sorting ids is cheap, and the total rides
        along as a window count. Same queries as DRF's count + page, in number and in result."""
        if not isinstance(queryset, QuerySet):  # a list made in Python (search results)
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        # Filtering on the window wraps the query (Django's QUALIFY): the count runs over every
        # row in the inner query, the sort and limit happen outside, and the planner doesn't
        # walk an index row by row believing the limit will stop it early.
        window = (
            queryset.prefetch_related(None).annotate(_total=Window(Count("*"))).filter(_total__gt=0)
        )
        rows = list(window.values_list("pk", "_total")[self.offset : self.offset + self.limit])
        if not rows:  # an empty list, or an offset past its end: the total needs its own count
            self.count = self.get_count(queryset) if self.offset else 0
            return []
        self.count = rows[0][1]
        position = {pk: index for index, (pk, _total) in enumerate(rows)}
        page = list(queryset.filter(pk__in=position))
        page.sort(key=lambda obj: position[obj.pk])
        return page

    def get_limit(self, request):
        return self._integer(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return self._integer(request, self.offset_query_param, 0, 0, MAX_OFFSET)

    @staticmethod
    def _integer(request, name, default, minimum, maximum):
        raw = request.query_params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: [f"{raw!r} is not a whole number."]}) from None
        if not minimum <= value <= maximum:
            bounds = f"between {minimum} and {maximum}"
            raise ValidationError({name: [f"Must be {bounds}; got {value}."]})
        return value

    def get_schema_operation_parameters(self, view):
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        limit = next(p for p in parameters if p["name"] == self.limit_query_param)
        limit["description"] += f" Default {self.default_limit}; more than the maximum is a 400."
        return parameters

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "limit": self.limit,
                "offset": self.offset,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["limit"] = {"type": "integer"}
        response["properties"]["offset"] = {"type": "integer"}
        response["properties"]["tombstones"] = {
            "type": "array",
            "description": "Only with ?modified_since=: objects deleted or unpublished since then.",
            "items": {"$ref": "#/components/schemas/Tombstone"},
        }
        response["properties"]["cursor"] = {
            "type": "string",
            "format": "date-time",
            "description": "Send this as ?modified_since= on the next sync.",
        }
        response["properties"]["valid_until"] = {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": "When a time-dependent field of this page of results (`upcoming`, "
            "`next_meeting`) changes by itself; refresh by then. Null: nothing time-dependent.",
        }
        response["required"] = [
            "count",
            "limit",
            "offset",
            "next",
            "previous",
            "results",
            "cursor",
            "valid_until",
        ]
        return response
