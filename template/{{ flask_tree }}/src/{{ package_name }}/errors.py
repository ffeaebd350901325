"""JSON error bodies, in the shape every framework stackpick generates answers with.

Every error is `{"detail": "<what went wrong>"}`; invalid input is a 422 listing each problem
as FastAPI does, so one client handles every variant:
`{"detail": [{"loc": ["body", "name"], "msg": "Field may not be null.", "type": "value_error"}]}`
"""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import marshmallow as ma
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

# webargs' request locations, named as FastAPI names them at the start of `loc`.
LOCATIONS = {"json": "body", "querystring": "query", "view_args": "path", "headers": "header"}

# marshmallow reports messages, not codes: its standard messages get the codes pydantic (and so
# the FastAPI variant) uses, so clients can branch on `type` alike. Others are "value_error".
ERROR_TYPES = {
    ma.fields.Field.default_error_messages["required"]: "missing",
    ma.Schema._default_error_messages["unknown"]: "extra_forbidden",
    ma.Schema._default_error_messages["type"]: "model_attributes_type",
    ma.fields.String.default_error_messages["invalid"]: "string_type",
    ma.fields.Integer.default_error_messages["invalid"]: "int_parsing",
}

INVALID_JSON = {"loc": ["body"], "msg": "Invalid JSON body.", "type": "json_invalid"}


class ErrorSchema(ma.Schema):
    """The error body, for the OpenAPI document (errors are built below, not dumped)."""

    detail = ma.fields.Raw(
        required=True,
        metadata={
            "description": "What went wrong; for invalid input (422), one entry per problem.",
            "oneOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "loc": {"type": "array", "items": {}},
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                    },
                },
            ],
        },
    )


def _problems(messages: object, loc: tuple[str | int, ...]) -> Iterator[dict[str, Any]]:
    """Flatten marshmallow's nested {"field": ["message", ...]} into one entry per message."""
    if isinstance(messages, Mapping):
        for key, nested in messages.items():
            # "_schema" holds errors about the whole body rather than one field.
            yield from _problems(nested, loc if key == "_schema" else (*loc, key))
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from _problems(message, loc)
    else:
        message = str(messages)
        yield {"loc": list(loc), "msg": message, "type": ERROR_TYPES.get(message, "value_error")}


def validation_problems(messages: Mapping[str, object]) -> list[dict[str, Any]]:
    """webargs' `{"json": {"name": [...]}}` as FastAPI's `[{"loc": ["body", "name"], ...}]`."""
    return [
        problem
        for location, errors in messages.items()
        for problem in _problems(errors, (LOCATIONS.get(location, location),))
    ]


def error_response(error: HTTPException) -> ResponseReturnValue:
    """The JSON body for any HTTP error, including unhandled exceptions (500, no internals)."""
    # webargs' and flask-smorest's `abort` attach what they know as `data`.
    data: dict[str, Any] = getattr(error, "data", None) or {}
    if "messages" in data:  # the request's arguments did not validate
        if isinstance(getattr(error, "exc", None), json.JSONDecodeError | UnicodeDecodeError):
            return {"detail": [INVALID_JSON]}, 422
        return {"detail": validation_problems(data["messages"])}, 422, data.get("headers") or {}
    # Keep headers such as 405's Allow; the body is JSON, not the HTML werkzeug would send.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    return {"detail": data.get("message", error.name)}, error.code or 500, headers
