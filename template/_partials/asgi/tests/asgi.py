"""One request served straight through ASGI, the way a server delivers it."""

from collections.abc import Awaitable, Callable
from typing import Any

# Any ASGI application: called with the scope and the receive and send channels.
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


async def run_asgi(
    app: ASGIApp, method: str, path: str, body: list[Any], http_version: str = "1.1"
) -> tuple[list[Any], int]:
    """Serve one request straight through ASGI, as a server would: chunked in HTTP/1.1, in
    HTTP/2 frames (no length announced) in HTTP/2.

    Returns what the app sent and how many of the body's messages it left unread.
    """
    pending = list(body)
    sent: list[Any] = []

    async def receive() -> Any:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope: Any = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": http_version,
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")]
        + ([(b"transfer-encoding", b"chunked")] if http_version == "1.1" else []),
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return sent, len(pending)
