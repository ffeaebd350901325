from typing import Any

from rest_framework import pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import InvalidRequest

# Offsets beyond a 64-bit integer are refused before they reach the database.
MAX_OFFSET = 2**63 - 1


class PageParams(serializers.Serializer[dict[str, int]]):
    limit = serializers.IntegerField(default=20, min_value=1, max_value=100)
    offset = serializers.IntegerField(default=0, min_value=0, max_value=MAX_OFFSET)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`limit` and `offset` paging that answers {"items": [...], "total": N}.

    Out-of-range or malformed values answer 422, where DRF would quietly use its defaults.
    """

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
