"""Request bodies are strict JSON, parsed with orjson, and only when sent as JSON."""

from typing import Any

import orjson
from litestar import Request
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE
from litestar.types import Empty


class InvalidJSONError(Exception):
    """The body is not JSON as RFC 8259 defines it; answered 422 `json_invalid`."""


class StrictJSONRequest(Request[Any, Any, Any]):
    """Parses the body with orjson, which refuses what RFC 8259 does not allow.

    msgspec, Litestar's own parser, accepts numbers too large for a double as infinity in
    some places and reports every parse error as a 400 mixed up with validation; orjson
    refuses NaN, Infinity, 1e400, lone UTF-16 surrogates, invalid UTF-8 and nesting deeper
    than 1,024 levels, and the error is told apart from a body that does not validate.
    """

    async def json(self) -> Any:
        if self._json is Empty:
            try:
                self._json = orjson.loads(await self.body())
            except orjson.JSONDecodeError as error:
                raise InvalidJSONError(error.msg) from error
        return self._json


def is_json(content_type: str) -> bool:
    """`application/json`, parameters such as charset allowed (not `application/*+json`)."""
    return content_type.partition(";")[0].strip().lower() == "application/json"


async def require_json_body(request: Request[Any, Any, Any]) -> None:
    """`before_request` of every operation that takes a body: 415 unless sent as JSON, 422
    unless it is strict JSON, an empty body included (Litestar would read that as no body)."""
    if not is_json(request.headers.get("content-type", "")):
        raise HTTPException(
            status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail="Content-Type must be application/json",
        )
    await request.json()  # parsed once here; Litestar reads the cached result
