"""JSON in and out with orjson: strict request bodies, of a JSON type and a bounded size.

The standard library's `json` accepts `NaN` and `Infinity`, reads `1e400` as infinity, keeps
lone UTF-16 surrogates (`"\\ud800"`, which the database then refuses with an error) and
recurses until Python's stack runs out on deeply nested arrays. orjson reads RFC 8259 JSON
only: it refuses all of these, and nesting deeper than 1,024 levels, with a reason.
"""

from decimal import Decimal
from typing import IO, Any

import marshmallow as ma
import orjson
from flask import Request, Response, current_app, request
from flask.json.provider import JSONProvider
from webargs.flaskparser import FlaskParser, abort
from werkzeug.exceptions import RequestEntityTooLarge

READ_SIZE = 64 * 1024


def read_at_most(stream: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes from `stream`, fewer only when it ends first."""
    chunks: list[bytes] = []
    while size > 0 and (chunk := stream.read(min(size, READ_SIZE))):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_body(request: Request) -> bytes:
    """The request body, or 413 when it is larger than MAX_BODY_SIZE.

    werkzeug refuses a declared Content-Length over the limit itself. A streamed (chunked)
    body declares none, and werkzeug stops reading it at the limit, handing back a truncated
    body: read one byte past the limit instead, to tell "exactly the limit" from "more".
    """
    if request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
        return request.get_data()
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    body = read_at_most(request.input_stream, limit + 1)
    if len(body) > limit:
        raise RequestEntityTooLarge
    return body


def refuse_declared_large_bodies() -> None:
    """413 for a body whose Content-Length is over MAX_BODY_SIZE, wherever it is sent.

    A `before_request` hook, so it comes before the path and method are looked at: every
    stackpick starter refuses such a body from its declared length alone, where werkzeug would
    only notice once a view read it, answering 404, 405 or 415 first.
    """
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge


class StrictJsonParser(FlaskParser):
    """webargs' Flask parser, reading JSON bodies with orjson and query strings as the others do.

    A body that is not sent as `application/json` (parameters such as charset aside) is refused
    (415) rather than read as no body at all, which made a PATCH sent as text/plain answer 200
    having changed nothing; so is `application/*+json`, which webargs would read but no other
    stackpick starter accepts. A body that is not strict JSON is a 422 `json_invalid` naming
    the reason (see errors.py).
    """

    def load_querystring(self, req: Request, schema: ma.Schema) -> Any:
        # A parameter sent twice counts once, with its last value, as in every stackpick
        # starter (werkzeug would take the first).
        return {name: values[-1] for name, values in req.args.lists()}

    def load_json(self, req: Request, schema: ma.Schema) -> Any:
        if req.mimetype != "application/json":  # werkzeug lower-cases it, parameters removed
            abort(415, message="Content-Type must be application/json")
        try:
            return orjson.loads(read_body(req))
        except orjson.JSONDecodeError as error:
            abort(422, exc=error, messages={"json": [error.msg]})


def _default(value: object) -> object:
    """What orjson cannot write itself, written as Flask's own provider does."""
    if isinstance(value, Decimal):  # marshmallow's Decimal fields dump Decimal objects
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class OrjsonProvider(JSONProvider):
    """Flask's JSON (responses, `request.get_json()`) through orjson, as strict as the bodies.

    Keys keep the order the code gives them; datetimes are written as ISO 8601 (RFC 3339).
    """

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=_default).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        # orjson writes bytes: hand them to the response without a round trip through str.
        body = orjson.dumps(self._prepare_response_obj(args, kwargs), default=_default)
        return current_app.response_class(body, mimetype="application/json")
