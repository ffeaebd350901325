"""Request bodies are strict JSON: parsed with orjson, and only when sent as JSON.

FastAPI's documented way to change how bodies are read is a custom Request and APIRoute
class; every router whose operations take a body uses `JSONBodyRoute`.
"""

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


def is_json(content_type: str) -> bool:
    """`application/json`, parameters such as charset allowed.

    Not `application/*+json`, which FastAPI would read: no other stackpick starter accepts it.
    """
    return content_type.partition(";")[0].strip().lower() == "application/json"


class StrictJSONRequest(Request):
    """Parses the body with orjson, which refuses what RFC 8259 does not allow.

    Python's json module accepts NaN and Infinity, turns 1e400 into infinity and lets lone
    UTF-16 surrogates through: values that pass validation and then fail in the database
    or when an error message echoes them. orjson refuses all of them, invalid UTF-8 too,
    and nesting deeper than 1,024 levels.
    """

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


def invalid_json(reason: str) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "json_invalid", "loc": ("body",), "msg": f"Invalid JSON: {reason}"}]
    )


class JSONBodyRoute(APIRoute):
    """An operation that takes a body: 415 unless it is sent as JSON, 422 unless strict JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler  # GET and DELETE read no body: nothing to check

        async def handle_json_body(request: Request) -> Response:
            # A form or a text body would otherwise reach validation as a string, and a
            # missing Content-Type would be read as nothing at all.
            if not is_json(request.headers.get("content-type", "")):
                raise HTTPException(
                    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json",
                )
            request = StrictJSONRequest(request.scope, request.receive)
            try:
                await request.json()  # parsed once here; FastAPI reads the cached result
            except orjson.JSONDecodeError as error:
                raise invalid_json(error.msg) from error
            return await handler(request)

        return handle_json_body
