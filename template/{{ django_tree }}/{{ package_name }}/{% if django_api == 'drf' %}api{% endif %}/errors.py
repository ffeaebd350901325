"""Error bodies in FastAPI's shape, so one client works against every stackpick starter.

{"detail": "Item 5 not found"}, or for invalid input (422) a list naming each field:
{"detail": [{"loc": ["body", "name"], "msg": "This field is required.", "type": "required"}]}.
Entries say where, what and what kind, never the input itself.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as default_exception_handler


class InvalidRequest(exceptions.ValidationError):
    """Invalid input outside the body: `location` names where ("query")."""

    def __init__(self, location: str, detail: Any) -> None:
        super().__init__(detail)
        self.location = location


def field_errors(detail: Any, loc: list[str]) -> Iterator[dict[str, Any]]:
    """One entry per failed field, from DRF's nested {field: [ErrorDetail, ...]} detail."""
    if isinstance(detail, Mapping):
        for field, errors in detail.items():
            # Errors about the body as a whole belong to "body" itself, not to a field.
            is_field = field != api_settings.NON_FIELD_ERRORS_KEY
            yield from field_errors(errors, [*loc, field] if is_field else loc)
    elif isinstance(detail, list):
        for error in detail:
            yield from field_errors(error, loc)
    else:
        yield {"loc": loc, "msg": str(detail), "type": detail.code}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.ParseError):
        # The body is not strict JSON (see parsers.py).
        detail = [{"loc": ["body"], "msg": str(exc.detail), "type": "json_invalid"}]
        return Response({"detail": detail}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, exceptions.ValidationError):
        location = exc.location if isinstance(exc, InvalidRequest) else "body"
        detail = list(field_errors(exc.detail, [location]))
        return Response({"detail": detail}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        message = "Content-Type must be application/json"
        return Response({"detail": message}, status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    return default_exception_handler(exc, context)


# The error bodies, for the OpenAPI document (openapi.py).
class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer[Any]):
    loc = serializers.ListField(child=serializers.CharField())
    msg = serializers.CharField()
    type = serializers.CharField()


class ValidationErrorsSerializer(serializers.Serializer[Any]):
    detail = ProblemSerializer(many=True)
