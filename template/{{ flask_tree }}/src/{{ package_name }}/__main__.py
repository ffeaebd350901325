"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves the WSGI app: WEB_CONCURRENCY processes, each running up to WEB_THREADS
requests at once on as many database connections, listening on HOST:PORT. Its HTTP layer
is written in Rust, so the Python threads spend their time in the application; the decision
record (docs/adr) says why it was chosen.
"""

import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import IO, Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from granian import Granian
from granian.constants import Interfaces

from . import create_app
from .config import env_number

# On SIGTERM granian stops accepting connections and lets the requests in flight finish; a
# worker still busy after this many seconds is killed, so the server is gone within 10 s.
SHUTDOWN_TIMEOUT = 8


def server_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """granian's settings from the environment; a bad value stops start-up, naming it."""
    return {
        "address": environ.get("HOST", "127.0.0.1"),
        "port": env_number(environ, "PORT", 8000, int, minimum=1),
        "workers": env_number(environ, "WEB_CONCURRENCY", 1, int, minimum=1),
        "blocking_threads": env_number(environ, "WEB_THREADS", 4, int, minimum=1),
        "log_access": environ.get("ACCESS_LOG", "").lower() in {"1", "true", "yes"},
        "workers_kill_timeout": SHUTDOWN_TIMEOUT,
    }


ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


def drain_request_body(app: WSGIApplication, limit: int) -> WSGIApplication:
    """Read whatever the view left of the request body before the response goes out.

    granian closes a keep-alive connection, without a `Connection: close`, when the request
    body was not read (a POST to an unknown path, a 405, a 413): the client's next request on
    that connection then fails. Reading the rest keeps it open. Past `limit` more bytes the
    rest is not worth reading: the answer says `Connection: close` instead, so the client knows
    to open a new connection.
    """

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started: list[Any] = []

        def start_later(
            status: str, headers: list[tuple[str, str]], exc_info: ExcInfo | None = None
        ) -> Any:
            started[:] = [status, headers, exc_info]
            return None  # the `write` callable of old WSGI apps; Flask never uses it

        response = app(environ, start_later)
        status, headers, exc_info = started
        if not read_to_the_end(environ["wsgi.input"], limit):
            headers = [*headers, ("Connection", "close")]
        start_response(status, headers, exc_info)
        return response

    return application


def read_to_the_end(body: IO[bytes], limit: int) -> bool:
    """Read and drop up to `limit` bytes of `body`; whether it ended within them."""
    while limit > 0:
        chunk = body.read(min(limit, 64 * 1024))
        if not chunk:
            return True
        limit -= len(chunk)
    return not body.read(1)


def serving_app() -> WSGIApplication:
    """What each granian worker serves: the app from the factory, its request bodies drained."""
    app = create_app()
    # Bodies up to twice MAX_BODY_SIZE are read to the end, so a client whose body was a little
    # too large reads its 413 and keeps its connection; larger ones are cut off.
    return drain_request_body(app, limit=2 * app.config["MAX_CONTENT_LENGTH"])


def main() -> None:
    options = server_options(os.environ)
    # Build the app once before any worker starts: a bad setting fails here, once, by name.
    create_app()
    target = f"{__package__}.__main__:serving_app"
    Granian(target, factory=True, interface=Interfaces.WSGI, **options).serve()


if __name__ == "__main__":
    main()
