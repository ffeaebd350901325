"""How errors are answered and documented: `{"detail": ...}` JSON, never echoing input back."""

import logging
import re
from typing import Any

import msgspec
from advanced_alchemy.exceptions import NotFoundError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import (
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import ExceptionHandlersMap

from ..db.session import is_database_outage
from .json import InvalidJSONError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class ErrorBody(msgspec.Struct):
    detail: str


class Problem(msgspec.Struct):
    """One reason a request was refused. The refused value itself is never echoed back."""

    loc: list[str]
    msg: str
    type: str


class ValidationErrorBody(msgspec.Struct):
    detail: list[Problem]


def _spec(description: str, body: type[msgspec.Struct] = ErrorBody) -> ResponseSpec:
    return ResponseSpec(data_container=body, description=description, generate_examples=False)


# What each error status means, for the OpenAPI document.
NOT_FOUND = {HTTP_404_NOT_FOUND: _spec("No item has this id")}
UNAVAILABLE = {
    HTTP_503_SERVICE_UNAVAILABLE: _spec("The database is unavailable; retry after Retry-After")
}
INVALID = {
    HTTP_422_UNPROCESSABLE_ENTITY: _spec(
        "The request does not validate; `loc` names each refused part", ValidationErrorBody
    )
}
WITH_BODY = {
    HTTP_413_REQUEST_ENTITY_TOO_LARGE: _spec("The body is larger than MAX_BODY_SIZE bytes"),
    HTTP_415_UNSUPPORTED_MEDIA_TYPE: _spec("The body is not sent as application/json"),
}


def error(status_code: int, detail: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response({"detail": detail}, status_code=status_code, headers=headers)


# The order an Allow header lists methods in (Litestar lists them in no fixed order).
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """404, 405 (with Litestar's Allow header), 413, 415: `{"detail": ...}` and no more."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == HTTP_405_METHOD_NOT_ALLOWED and "allow" in headers:
        allowed = {method.strip() for method in headers.pop("allow").split(",")}
        headers["Allow"] = ", ".join(m for m in HTTP_METHODS if m in allowed)
    detail = exc.detail
    if exc.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        detail = f"Request body over {request.app.state.settings.max_body_size} bytes"
    return error(exc.status_code, detail, headers)


# msgspec names a missing or unknown field in its message rather than in the path.
_NAMED_FIELD = re.compile(r"(?:missing required field|unknown field) `([^`]+)`")
_SOURCES = {"body": "body", "query": "query", "path": "path", "header": "header"}


def _problem(entry: dict[str, Any]) -> Problem:
    message = str(entry.get("message", "Invalid value"))
    loc = [_SOURCES.get(str(entry.get("source")), "body")]
    key = entry.get("key")
    named = _NAMED_FIELD.search(message)
    if key and key != "data":  # "data" is the whole body
        loc.append(str(key))
    elif named:
        loc.append(named.group(1))
    if named:
        kind = "missing" if "missing required field" in message else "extra_forbidden"
    else:
        kind = "value_error"
    return Problem(loc=loc, msg=message, type=kind)


def validation_failed(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Litestar answers 400 with its own shape; the contract's answer is 422 naming the field."""
    assert isinstance(exc, ValidationException)
    entries = exc.extra if isinstance(exc.extra, list) else []
    problems = [_problem(entry) for entry in entries if isinstance(entry, dict)]
    problems = problems or [Problem(loc=["body"], msg=str(exc.detail), type="value_error")]
    return error(HTTP_422_UNPROCESSABLE_ENTITY, msgspec.to_builtins(problems))


def json_invalid(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    problem = Problem(loc=["body"], msg=f"Invalid JSON: {exc}", type="json_invalid")
    return error(HTTP_422_UNPROCESSABLE_ENTITY, [msgspec.to_builtins(problem)])


def item_not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """advanced-alchemy's NotFoundError: the id the path named is not in the table."""
    return error(HTTP_404_NOT_FOUND, f"Item {request.path_params.get('item_id')} not found")


def database_unavailable() -> Response[Any]:
    return error(
        HTTP_503_SERVICE_UNAVAILABLE,
        "Database unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The last word: an unreachable database is a 503 with Retry-After, anything else a
    500, logged with its traceback; both JSON, and the connection stays usable."""
    where = {"method": request.method, "path": request.url.path}
    # advanced-alchemy wraps SQLAlchemy's errors in its own; the outage is the cause.
    cause: BaseException | None = exc
    while cause is not None:
        if is_database_outage(cause):
            logger.warning("database unavailable", extra={**where, "error": repr(cause)})
            return database_unavailable()
        cause = cause.__cause__
    logger.error("unhandled error", exc_info=exc, extra=where)
    return error(HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HTTPException: http_error,
    ValidationException: validation_failed,
    InvalidJSONError: json_invalid,
    NotFoundError: item_not_found,
    Exception: unexpected_error,
}
