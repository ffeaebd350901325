"""Request bodies: whether a request has one, and counting it as the app reads it.

An answer can go out before the body of its request has been read: a 404 or 405 to a POST, a
413. The server must then close the keep-alive connection (granian does, without a word), and
the client's next request on it fails. Counting the body as the app reads it tells what is
left, so that it can be read before the answer goes out and the connection stays usable.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

BODY_HEADERS = frozenset((b"content-length", b"transfer-encoding"))


def announced_body(scope: Mapping[str, Any]) -> tuple[bool, int | None]:
    """Whether an HTTP request comes with a body, and the size its Content-Length declares.

    HTTP/1 announces a body with Content-Length or chunked Transfer-Encoding; over HTTP/2 any
    request may carry one. The size is None when no Content-Length gives it as a number.
    """
    headers = scope["headers"]  # names arrive lower-cased
    for name, _ in headers:
        if name in BODY_HEADERS:
            break
    else:  # most requests (GETs) name neither header: one quick pass settles them
        return scope.get("http_version") == "2", None
    length: bytes | None = None
    chunked = False
    for name, value in headers:
        if name == b"content-length":
            length = value
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    has_body = length is not None or chunked or scope.get("http_version") == "2"
    return has_body, int(length) if length and length.isdigit() else None


class CountedBody[Message: Mapping[str, Any]]:
    """One request's body as the app receives it, counted, and whether it has all arrived.

    The app reads the body with `read()`, in place of the ASGI `receive` it wraps; `Message`
    is the framework's type for what `receive` returns.
    """

    def __init__(self, receive: Callable[[], Awaitable[Message]], declared: int | None) -> None:
        self._receive = receive
        self.declared = declared  # the size the request's Content-Length gives, if any
        self.received = 0
        self.complete = False

    async def read(self) -> Message:
        """The next message of the body, counted."""
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
            await self.read()
        return self.complete
