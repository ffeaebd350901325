"""What every request passes before Litestar routes it: path shapes, unread bodies, OPTIONS.

Litestar's middleware runs once a route has been found, so it never sees a request for no
such path or with a method the path does not serve; this gate wraps the app's ASGI handler
(routing and error handling included) to see them all.
"""

import orjson
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)

from .options import sending_complete_allow

# Ids are 32-bit integers in every database; larger values can only be "not found".
MAX_ID = 2**31 - 1
NOT_FOUND = orjson.dumps({"detail": "Not Found"})


def is_id(text: str) -> bool:
    """ASCII digits for a number in 1..MAX_ID (leading zeros allowed)."""
    digits = text.lstrip("0")
    # Checked before int(): Python refuses to convert strings of thousands of digits.
    return (
        text.isascii()
        and text.isdigit()
        and len(digits) <= len(str(MAX_ID))
        and 1 <= int(digits or "0") <= MAX_ID
    )


class _Body:
    """One request's body as the app receives it, counted, and whether it has all arrived."""

    def __init__(self, receive: Receive, declared: int | None) -> None:
        self._receive = receive
        self.declared = declared
        self.received = 0
        self.complete = False

    async def receive(self) -> ReceiveMessage:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        else:  # http.disconnect: nothing more will come
            self.complete = True
        return message

    async def discard_rest(self, up_to: int) -> bool:
        """Read and drop what the app left, if the whole body is at most `up_to` bytes."""
        if self.complete:
            return True
        if self.declared is not None and self.declared > up_to:
            return False
        while not self.complete and self.received <= up_to:
            await self.receive()
        return self.complete


class RequestGate:
    """413 for a body declared too large, 404 for what cannot name a resource; bodies the app
    left unread are read to the end.

    Routing in Litestar ignores a trailing slash and converts `{item_id:int}` with Python's
    int(), which reads fullwidth digits, ` 2` and `+2` as numbers. Here a path ending in a
    slash, or a segment under one of `id_collections` that is not an id, is no such path,
    whatever the method: the same 404 the app answers for an unknown path, before a 405, 415
    or 422 could be.

    A body the app did not read (a 404 or 405 to a POST, a 413) is read before the answer
    goes out, so the connection can carry the client's next request: a server must otherwise
    close it, and granian does, silently. Only a body longer than twice `max_body_size` is
    left unread; that answer says `Connection: close`.

    An answer to OPTIONS lists every method of its path in Allow (http/options.py).
    """

    def __init__(self, app: ASGIApp, *, max_body_size: int, id_collections: tuple[str, ...]):
        self.app = app
        self.max_body_size = max_body_size
        self.item_prefixes = tuple(collection + "/" for collection in id_collections)

    def names_nothing(self, path: str) -> bool:
        if path != "/" and path.endswith("/"):
            return True
        for prefix in self.item_prefixes:
            if path.startswith(prefix):
                segment = path[len(prefix) :]
                return "/" not in segment and not is_id(segment)
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            send = sending_complete_allow(send, scope)
        length: bytes | None = None
        chunked = False
        for name, value in scope["headers"]:  # names arrive lower-cased
            if name == b"content-length":
                length = value
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
        has_body = length is not None or chunked or scope.get("http_version") == "2"
        if not has_body:
            # The common case (a GET): nothing to refuse or to drain, so nothing wraps `send`.
            await self.route(scope, receive, send, send)
            return
        declared = int(length) if length and length.isdigit() else None
        body = _Body(receive, declared)

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
        await self.route(scope, body.receive, send_after_body, send)

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
