"""How errors are answered and documented: always JSON, never echoing the request back.

The bodies are Django's API's, in its bytes (responses.py): {"detail": "..."}, or for a
request that does not validate a list naming each refused part.
"""

from typing import Any

from fastapi import FastAPI, Request, Response, status
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from ..schemas.errors import ErrorBody, ValidationErrorBody
from ..services.items import ItemNotFoundError
from .responses import JSONResponse

RETRY_AFTER_SECONDS = 5

# What each error status means, for the OpenAPI document.
ERROR_DESCRIPTIONS = {
    status.HTTP_401_UNAUTHORIZED: "X-Webhook-Signature is missing, malformed or wrong",
    status.HTTP_404_NOT_FOUND: "Nothing has this id",
    status.HTTP_413_CONTENT_TOO_LARGE: "The body is larger than MAX_BODY_SIZE bytes",
    status.HTTP_503_SERVICE_UNAVAILABLE: "The database is unavailable; retry after Retry-After",
}
RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
}

# Methods an Allow header may list; an extension method (FOO) is never served.
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def error_responses(
    *statuses: int, descriptions: dict[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses an operation can answer, 422 included."""
    described = {**ERROR_DESCRIPTIONS, **(descriptions or {})}
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody, "description": described[code]} for code in statuses
    }
    if status.HTTP_503_SERVICE_UNAVAILABLE in responses:
        responses[status.HTTP_503_SERVICE_UNAVAILABLE]["headers"] = RETRY_AFTER_HEADER
    responses[status.HTTP_422_UNPROCESSABLE_CONTENT] = {
        "model": ValidationErrorBody,
        "description": "The request does not validate; `loc` names each refused part",
    }
    return responses


def database_unavailable() -> JSONResponse:
    return JSONResponse(
        {"detail": "Database unavailable"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def validation_failed(request: Request, error: Exception) -> JSONResponse:
    # FastAPI's default handler echoes each refused value back (`input`, `ctx`); a value
    # that cannot be written as JSON then turned a 422 into a 500.
    assert isinstance(error, RequestValidationError)
    problems = [
        {"loc": list(problem["loc"]), "msg": problem["msg"], "type": problem["type"]}
        for problem in error.errors()
    ]
    return JSONResponse({"detail": problems}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path.

    FastAPI registers one route per operation, and Starlette's 405 lists only the methods of
    the first route whose path matched; asking every route gives the whole list.
    """
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    scope = request.scope
    return [
        method
        for method in HTTP_METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED and (
        methods := allowed_methods(request)
    ):
        headers["Allow"] = ", ".join(methods)
    if error.status_code in {status.HTTP_204_NO_CONTENT, status.HTTP_304_NOT_MODIFIED}:
        return Response(status_code=error.status_code, headers=headers)
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


async def item_not_found(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=status.HTTP_404_NOT_FOUND)


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(ItemNotFoundError, item_not_found)
