"""OPTIONS answers list every method their path serves.

Litestar answers OPTIONS itself, from the methods of one route handler registered at the
path: with GET, PATCH and DELETE on `/api/items/{item_id}` its Allow said `DELETE, OPTIONS`.
The 405 for the same path lists them all (http/errors.py); OPTIONS now says the same.

The request gate (http/gate.py) wraps `send` with this for OPTIONS requests only. As an app
`before_send` hook it would run on every message of every response, and any such hook makes
Litestar wrap every request's `send`.
"""

import re

from litestar import Litestar
from litestar.types import HTTPResponseStartEvent, Message, Scope, Send

from .errors import HTTP_METHODS

# `{item_id:int}` in a route's path is `{item_id}` in the request's path template.
_PARAMETER_TYPE = re.compile(r"\{(\w+):[^}]+\}")


def sending_complete_allow(send: Send, scope: Scope) -> Send:
    """`send` for an OPTIONS request: the head it sends lists every method of the path."""

    async def send_with_allow(message: Message) -> None:
        if message["type"] == "http.response.start":
            complete_allow_header(message, scope)
        await send(message)

    return send_with_allow


def complete_allow_header(message: HTTPResponseStartEvent, scope: Scope) -> None:
    """Allow in a response head to OPTIONS, from the app's routes (routing has run)."""
    app: Litestar = scope["litestar_app"]
    template = scope.get("path_template", "")
    served = {
        method
        for route in app.routes
        if _PARAMETER_TYPE.sub(r"{\1}", route.path) == template
        for method in route.methods
    }
    if served:
        headers = [(k, v) for k, v in message["headers"] if k.lower() != b"allow"]
        allow = ", ".join(m for m in HTTP_METHODS if m in served)
        message["headers"] = [*headers, (b"allow", allow.encode())]
