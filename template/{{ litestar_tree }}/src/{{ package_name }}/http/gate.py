"""What every request passes before Litestar routes it: path shapes, unread bodies, OPTIONS.

Litestar's middleware runs once a route has been found, so it never sees a request for no
such path or with a method the path does not serve; this gate wraps the app's ASGI handler
(routing and error handling included) to see them all.
"""

from collections.abc import Awaitable
from typing import Final

import orjson
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    Scope,
    Send,
)

from .ids import is_id
from .options import sending_complete_allow
from .request_body import CountedBody, announced_body

NOT_FOUND = orjson.dumps({"detail": "Not Found"})
# Read once: looking a member up on its enum class costs more than the comparison itself.
HTTP: Final = ScopeType.HTTP


class RequestGate:
    """413 for a body declared too large, 404 for what cannot name a resource; bodies the app
    left unread are read to the end.

    Routing in Litestar ignores a trailing slash and converts `{item_id:int}` with Python's
    int(), which reads fullwidth digits, ` 2` and `+2` as numbers. Here a path ending in a
    slash, or a segment under one of `id_collections` that is not an id, is no such path,
    whatever the method: the same 404 the app answers for an unknown path, before a 405, 415
    or 422 could be.

    Paths under one of `mounts` belong to the ASGI app mounted there, which decides about
    them: a trailing slash may be its way of naming a page.

    A body the app did not read (a 404 or 405 to a POST, a 413) is read before the answer
    goes out, so the connection can carry the client's next request: a server must otherwise
    close it, and granian does, silently. Only a body longer than twice `max_body_size` is
    left unread; that answer says `Connection: close`.

    An answer to OPTIONS lists every method of its path in Allow (http/options.py).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_size: int,
        id_collections: tuple[str, ...],
        mounts: tuple[str, ...] = (),
    ):
        self.app = app
        self.max_body_size = max_body_size
        self.item_prefixes = tuple(collection + "/" for collection in id_collections)
        self.mount_prefixes = tuple(mount + "/" for mount in mounts)

    def names_nothing(self, path: str) -> bool:
        if path.endswith("/"):
            return path != "/" and not path.startswith(self.mount_prefixes)
        if not path.startswith(self.item_prefixes):  # one C call settles most paths
            return False
        prefix = next(prefix for prefix in self.item_prefixes if path.startswith(prefix))
        segment = path[len(prefix) :]
        return "/" not in segment and not is_id(segment)

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        """The app's answer, passed straight through when there is nothing to check.

        A plain function rather than a coroutine: the common request (a GET with no body, for
        a path that can name something) reaches the app with no frame of the gate's own, so
        the gate costs it next to nothing.
        """
        if scope["type"] != HTTP:
            return self.app(scope, receive, send)
        has_body, declared = announced_body(scope)
        if has_body or scope["method"] == "OPTIONS" or self.names_nothing(scope["path"]):
            return self.gate(scope, receive, send, has_body=has_body, declared=declared)
        return self.app(scope, receive, send)

    async def gate(
        self,
        scope: HTTPScope,
        receive: Receive,
        send: Send,
        *,
        has_body: bool,
        declared: int | None,
    ) -> None:
        if scope["method"] == "OPTIONS":
            send = sending_complete_allow(send, scope)
        if not has_body:
            # Nothing to refuse or to drain, so nothing wraps `send`.
            await self.route(scope, receive, send, send)
            return
        body = CountedBody(receive, declared)

        async def send_after_body(message: Message) -> None:
            if message["type"] == "http.response.start" and not await body.discard_rest(
                up_to=2 * self.max_body_size
            ):
                message["headers"] = [*message["headers"], (b"connection", b"close")]
            await send(message)

        if declared is not None and declared > self.max_body_size:
            # Refused from the header alone, before routing: whatever else is wrong with the
            # request, a body this large is the first thing to refuse.
            detail = {"detail": f"Request body over {self.max_body_size} bytes"}
            await self.answer(413, orjson.dumps(detail), send_after_body, send)
            return
        await self.route(scope, body.read, send_after_body, send)

    async def route(self, scope: Scope, receive: Receive, start: Send, send: Send) -> None:
        """The app's answer, or the 404 for a path that names nothing; `start` sends heads."""
        if self.names_nothing(scope["path"]):
            await self.answer(404, NOT_FOUND, start, send)
        else:
            await self.app(scope, receive, start)

    @staticmethod
    async def answer(status: int, body: bytes, start: Send, send: Send) -> None:
        """A JSON answer of the gate's own: `start` sends the head (after the body is read)."""
        head: HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
        await start(head)
        content: HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": body,
            "more_body": False,
        }
        await send(content)
