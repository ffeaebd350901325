import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import pagination, serializers
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..converters import MAX_ID
from ..paging import page_of
from .errors import InvalidRequest

# Offsets up to the largest id, as in every stackpick starter; larger ones are refused (422).
MAX_OFFSET = MAX_ID
DEFAULT_LIMIT, MAX_LIMIT = 20, 100


class WholeNumberField(serializers.IntegerField):
    """ASCII digits only: DRF's IntegerField also reads "5.0", " 5" and fullwidth digits."""

    def get_value(self, dictionary: Any) -> Any:
        # DRF reads an empty query value ("?offset=") as a missing one; it is not a number.
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and not re.fullmatch(r"-?[0-9]+", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PageParams(serializers.Serializer[dict[str, int]]):
    limit = WholeNumberField(default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT)
    offset = WholeNumberField(default=0, min_value=0, max_value=MAX_OFFSET)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`limit` and `offset` paging that answers {"items": [...], "total": N}.

    Out-of-range or malformed values answer 422, where DRF would quietly use its defaults.
    The page and the total come from one query (paging.py), where DRF would run two: the
    page's rows and a count.
    """

    def paginate_queryset[M: Model, Row](
        self,
        queryset: QuerySet[M, Row] | Sequence[Row],
        request: Request,
        view: APIView | None = None,
    ) -> list[Row] | None:
        self.request = request
        params = self.page_params(request)  # both at once: one 422 names every problem
        self.limit, self.offset = params["limit"], params["offset"]
        if isinstance(queryset, QuerySet):
            page, self.count = page_of(queryset, offset=self.offset, limit=self.limit)
            return page
        # A list the view made itself.
        self.count = len(queryset)
        return list(queryset[self.offset : self.offset + self.limit])

    def get_limit(self, request: Request) -> int:
        return self.page_params(request)["limit"]

    def get_offset(self, request: Request) -> int:
        return self.page_params(request)["offset"]

    def page_params(self, request: Request) -> dict[str, int]:
        params = PageParams(data=request.query_params)
        if not params.is_valid():
            raise InvalidRequest("query", params.errors)
        values: dict[str, int] = params.validated_data
        return values

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"items": data, "total": self.count})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["items", "total"],
            "properties": {"items": schema, "total": {"type": "integer"}},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        def parameter(name: str, description: str, **schema: int) -> dict[str, Any]:
            return {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": "integer", **schema},
            }

        return [
            parameter("limit", "Items per page", minimum=1, maximum=MAX_LIMIT, default=20),
            parameter("offset", "Items to skip", minimum=0, maximum=MAX_OFFSET, default=0),
        ]
