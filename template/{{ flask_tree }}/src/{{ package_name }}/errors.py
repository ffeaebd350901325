"""JSON error bodies, in the shape every framework stackpick generates answers with.

Every error is `{"detail": "<what went wrong>"}`; invalid input is a 422 listing each problem
as FastAPI does, so one client handles every variant:
`{"detail": [{"loc": ["body", "name"], "msg": "Field may not be null.", "type": "value_error"}]}`
"""

import json
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import current_app
from flask.typing import ResponseReturnValue
from sqlalchemy import exc
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

# The database did not answer: the driver could not connect or lost the connection
# (OperationalError, InterfaceError; MySQL also reports lock timeouts and deadlocks this way,
# which a retry solves too), or no pooled connection came free within DB_POOL_TIMEOUT.
# Not IntegrityError or DataError: those are the request's or the code's fault, not an outage.
DATABASE_UNAVAILABLE_ERRORS = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
RETRY_AFTER_SECONDS = 5
# The OpenAPI response for that 503 (with its Retry-After header), registered in extensions.py.
DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"


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
                            "loc": {
                                "type": "array",
                                "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                            },
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                        "required": ["loc", "msg", "type"],
                        "additionalProperties": False,
                    },
                },
            ],
        },
    )


def unavailable_response(description: str) -> dict[str, Any]:
    """The OpenAPI response of a 503: the error body and when to retry."""
    return {
        "description": description,
        "content": {"application/json": {"schema": ErrorSchema}},
        "headers": {
            "Retry-After": {
                "description": f"Seconds to wait ({RETRY_AFTER_SECONDS})",
                "schema": {"type": "integer"},
            }
        },
    }


def documented_errors(*statuses: HTTPStatus) -> dict[HTTPStatus, str]:
    """`responses` for `blp.doc`: the errors an operation can answer, each with the error body.

    flask-smorest registers a response per status, named as `http.HTTPStatus` names it.
    """
    return {
        status: DATABASE_UNAVAILABLE if status == HTTPStatus.SERVICE_UNAVAILABLE else status.name
        for status in statuses
    }


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


def invalid_json(reason: str) -> dict[str, Any]:
    """The 422 entry for a body that is not strict JSON; the reason never quotes the input."""
    return {"loc": ["body"], "msg": f"Invalid JSON: {reason}", "type": "json_invalid"}


def error_response(error: HTTPException) -> ResponseReturnValue:
    """The JSON body for any HTTP error, including unhandled exceptions (500, no internals)."""
    # webargs' and flask-smorest's `abort` attach what they know as `data`.
    data: dict[str, Any] = getattr(error, "data", None) or {}
    if "messages" in data:  # the request's arguments did not validate
        cause = getattr(error, "exc", None)
        if isinstance(cause, json.JSONDecodeError):  # orjson's errors are JSONDecodeErrors too
            return {"detail": [invalid_json(cause.msg)]}, 422
        return {"detail": validation_problems(data["messages"])}, 422, data.get("headers") or {}
    if error.code == HTTPStatus.INTERNAL_SERVER_ERROR:
        return {"detail": "Internal server error"}, 500
    # Keep headers such as 405's Allow; the body is JSON, not the HTML werkzeug would send.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    return {"detail": data.get("message", error.name)}, error.code or 500, headers


def database_unavailable(error: Exception) -> ResponseReturnValue:
    """503 for a database that does not answer: the client may retry, the request was fine."""
    # The driver's own message: SQLAlchemy's adds the statement and its parameters.
    current_app.logger.warning("database unavailable: %s", getattr(error, "orig", None) or error)
    body = {"detail": "Database unavailable"}
    return body, HTTPStatus.SERVICE_UNAVAILABLE, {"Retry-After": str(RETRY_AFTER_SECONDS)}
