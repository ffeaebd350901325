"""Serving the WSGI app with granian: its settings, and request bodies read to the end.

`__main__.py` starts the server with these. The settings come from the environment: HOST, PORT,
WEB_CONCURRENCY, WEB_THREADS (request threads per process) and ACCESS_LOG; a bad value stops
start-up with an error that names the variable.
"""

from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import IO, Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

# Seconds a stopping worker gets to finish the requests in flight before it is killed: on
# SIGTERM granian stops accepting connections, lets those requests finish, then exits, well
# within the 10 s Docker and Kubernetes wait before they kill the process.
SHUTDOWN_TIMEOUT = 8


def server_options(environ: Mapping[str, str], *, error: type[Exception]) -> dict[str, Any]:
    """granian's settings from the environment; a bad value raises `error`, naming it."""
    return {
        "address": environ.get("HOST", "127.0.0.1"),
        "port": whole_number(environ, "PORT", 8000, error=error),
        "workers": whole_number(environ, "WEB_CONCURRENCY", 1, error=error),
        "blocking_threads": whole_number(environ, "WEB_THREADS", 4, error=error),
        "log_access": environ.get("ACCESS_LOG", "").lower() in {"1", "true", "yes"},
        "workers_kill_timeout": SHUTDOWN_TIMEOUT,
    }


def whole_number(
    environ: Mapping[str, str], name: str, default: int, *, error: type[Exception]
) -> int:
    """The variable `name` as a whole number of at least 1; `default` when unset or empty."""
    raw = environ.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise error(f"{name} must be a whole number of at least 1, got {raw!r}")
    return value


ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


def drain_request_body(app: WSGIApplication, limit: int) -> WSGIApplication:
    """Read whatever the app left of the request body before the response goes out.

    granian closes a keep-alive connection, without a `Connection: close`, when the request
    body was not read (a POST to an unknown path, a 405, a 413): the client's next request on
    that connection then fails. Reading the rest keeps it open. Past `limit` more bytes the
    rest is not worth reading: the answer says `Connection: close` instead, so the client knows
    to open a new connection.
    """

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = environ["wsgi.input"]  # the server's stream, whatever the app reads through
        started: list[Any] = []

        def start_later(
            status: str, headers: list[tuple[str, str]], exc_info: ExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            # The answer goes out once the body is read, so it can still say Connection: close.
            started[:] = [status, headers, exc_info]
            return refuse_write

        response = app(environ, start_later)
        status, headers, exc_info = started
        if not read_to_the_end(body, limit):
            headers = [*headers, ("Connection", "close")]
        start_response(status, headers, exc_info)
        return response

    return application


def refuse_write(data: bytes) -> None:
    """The `write` callable of old WSGI apps, which would send data before the answer starts."""
    raise NotImplementedError("return the response body from the app instead of writing it")


def read_to_the_end(body: IO[bytes], limit: int) -> bool:
    """Read and drop up to `limit` bytes of `body`; whether it ended within them."""
    while limit > 0:
        chunk = body.read(min(limit, 64 * 1024))
        if not chunk:
            return True
        limit -= len(chunk)
    return not body.read(1)
