"""Request bodies are strict JSON, parsed with orjson, and only when sent as JSON."""

from typing import Any, cast, get_type_hints

import msgspec
import msgspec.inspect
import orjson
from litestar import Request
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE
from litestar.types import BeforeRequestHookHandler, Empty


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


def problems_in(body: object, struct: type[msgspec.Struct]) -> list[dict[str, str]]:
    """Every reason `body` is not a `struct`, one per field, in ValidationException's shape.

    msgspec stops at the first problem; a client fixing a request wants them all at once.
    """
    if not isinstance(body, dict):
        try:
            msgspec.convert(body, struct)
        except msgspec.ValidationError as error:
            return [{"key": "data", "source": "body", "message": str(error)}]
        return []
    info = cast(msgspec.inspect.StructType, msgspec.inspect.type_info(struct))
    fields = {field.encode_name: field for field in info.fields}
    hints = get_type_hints(struct, include_extras=True)
    problems = [
        {"key": "data", "source": "body", "message": f"Object contains unknown field `{key}`"}
        for key in body
        if key not in fields
    ]
    for name, field in fields.items():
        if name not in body:
            if field.required:
                message = f"Object missing required field `{name}`"
                problems.append({"key": "data", "source": "body", "message": message})
            continue
        try:
            msgspec.convert(body[name], hints[field.name])
        except msgspec.ValidationError as error:
            problems.append({"key": name, "source": "body", "message": str(error)})
    return problems


def json_body(struct: type[msgspec.Struct]) -> BeforeRequestHookHandler:
    """The `before_request` of an operation that takes a `struct` as its body.

    415 unless the body is sent as JSON; 422 unless it is strict JSON, an empty body included
    (Litestar would read that as no body); 422 naming every field that does not validate.
    """

    async def check(request: Request[Any, Any, Any]) -> None:
        if not is_json(request.headers.get("content-type", "")):
            raise HTTPException(
                status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                detail="Content-Type must be application/json",
            )
        body = await request.json()  # parsed once here; Litestar reads the cached result
        if problems := problems_in(body, struct):
            raise ValidationException("Invalid request body", extra=problems)

    return check
