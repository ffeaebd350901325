"""Serve requests to an app inside this process: no server, no socket, no wrk.

    python bench/inprocess.py wsgi|asgi MODULE:ATTR [--factory] PATH --requests N [--warmup N]

bench/instructions.py runs this under valgrind's callgrind to count the instructions one
request costs; the count is the same from run to run, where requests/s on a shared machine
are not. It runs on the project's own interpreter, so it uses the standard library only.
Every answer must be a 200, or it stops with the status and the start of the body.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import io
import sys
from collections.abc import Callable
from typing import Any

HEADERS = {"host": "127.0.0.1:8000", "x-forwarded-proto": "https", "user-agent": "stackpick"}


def load(spec: str, factory: bool) -> Any:
    module, _, attribute = spec.partition(":")
    app = getattr(importlib.import_module(module), attribute)
    return app() if factory else app


def wsgi_client(app: Any, path: str) -> Callable[[], None]:
    path_info, _, query = path.partition("?")

    def request() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in HEADERS.items()},
        }
        statuses: list[str] = []
        body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if not statuses[0].startswith("200"):
            sys.exit(f"GET {path}: {statuses[0]}: {content[:300]!r}")

    return request


class AsgiClient:
    """Runs the app's lifespan, then requests one at a time on the same event loop."""

    def __init__(self, app: Any, path: str) -> None:
        self.app = app
        self.path = path
        self.state: dict[str, Any] = {}

    async def request(self) -> None:
        path, _, query = self.path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(name.encode(), value.encode()) for name, value in HEADERS.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": dict(self.state),
        }
        messages: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await self.app(scope, receive, send)
        if messages[0]["status"] != 200:
            body = b"".join(m.get("body", b"") for m in messages[1:])
            sys.exit(f"GET {self.path}: {messages[0]['status']}: {body[:300]!r}")

    async def run(self, warmup: int, count: int) -> None:
        startup, shutdown = asyncio.Event(), asyncio.Event()
        events = asyncio.Queue[dict[str, Any]]()
        await events.put({"type": "lifespan.startup"})

        async def receive() -> dict[str, Any]:
            return await events.get()

        async def send(message: dict[str, Any]) -> None:
            if message["type"].startswith("lifespan.startup"):
                startup.set()
            elif message["type"].startswith("lifespan.shutdown"):
                shutdown.set()
            if message["type"].endswith(".failed"):
                sys.exit(f"lifespan: {message.get('message')}")

        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        lifespan = asyncio.create_task(self.app(scope, receive, send))
        started = asyncio.create_task(startup.wait())
        await asyncio.wait({lifespan, started}, return_when=asyncio.FIRST_COMPLETED)
        if not startup.is_set():  # the app ended its lifespan without starting
            sys.exit(f"lifespan: the app never started ({lifespan.exception()!r})")
        for _ in range(warmup + count):
            await self.request()
        await events.put({"type": "lifespan.shutdown"})
        await shutdown.wait()
        await lifespan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("interface", choices=["wsgi", "asgi"])
    parser.add_argument("app", help="module:attribute")
    parser.add_argument("--factory", action="store_true", help="call the attribute for the app")
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, required=True, help="requests to serve")
    parser.add_argument("--warmup", type=int, default=20, help="requests before the counted ones")
    args = parser.parse_args()

    app = load(args.app, args.factory)
    if args.interface == "wsgi":
        request = wsgi_client(app, args.path)
        for _ in range(args.warmup + args.requests):
            request()
    else:
        asyncio.run(AsgiClient(app, args.path).run(args.warmup, args.requests))


if __name__ == "__main__":
    main()
