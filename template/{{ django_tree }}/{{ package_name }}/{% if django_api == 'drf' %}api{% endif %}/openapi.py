"""What the OpenAPI document (drf-spectacular) says beyond what it reads off the views."""

import copy
from typing import Any

from drf_spectacular.utils import OpenApiResponse

from ..health import OPENAPI_PATHS
from .errors import DetailSerializer, ValidationErrorsSerializer

NOT_FOUND = OpenApiResponse(DetailSerializer, description="No item with this id")
# Every operation can answer these: 422 for a query, path or body that does not validate,
# 503 while the database is unreachable; operations with a body, 413 and 415 too.
ERRORS: dict[int, OpenApiResponse] = {
    422: OpenApiResponse(ValidationErrorsSerializer, description="Invalid input"),
    503: OpenApiResponse(DetailSerializer, description="The database is unreachable"),
}
BODY_ERRORS: dict[int, OpenApiResponse] = {
    **ERRORS,
    413: OpenApiResponse(DetailSerializer, description="Body larger than MAX_BODY_SIZE"),
    415: OpenApiResponse(DetailSerializer, description="Body not declared application/json"),
}


def complete_schema(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A POSTPROCESSING_HOOKS entry: add the health probes, require bodies, refuse unknown fields.

    The probes are answered ahead of the URL map (health.py), so DRF never sees them. A POST
    or PATCH without a JSON body is refused (415 or 422), even a PATCH that changes nothing,
    and the serializers refuse fields they do not know (serializers.py): the schema says so.
    """
    for operations in result["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True
    result["paths"].update(copy.deepcopy(OPENAPI_PATHS))
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            schema["additionalProperties"] = False
    return result
