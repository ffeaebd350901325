"""OPTIONS answers list every method their path serves.

Litestar answers OPTIONS itself, from the methods of one route handler registered at the
path: with GET, PATCH and DELETE on `/api/items/{item_id}` its Allow said `DELETE, OPTIONS`.
The 405 for the same path lists them all (http/errors.py); OPTIONS now says the same.
"""

import re

from litestar import Litestar
from litestar.types import Message, Scope

from .errors import HTTP_METHODS

# `{item_id:int}` in a route's path is `{item_id}` in the request's path template.
_PARAMETER_TYPE = re.compile(r"\{(\w+):[^}]+\}")


async def complete_allow_header(message: Message, scope: Scope) -> None:
    """A `before_send` hook: the Allow header of a 204 to OPTIONS, from the app's routes."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
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
