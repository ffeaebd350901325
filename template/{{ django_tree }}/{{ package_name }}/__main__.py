"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves Django's WSGI application: WEB_CONCURRENCY processes, each running up to
WEB_THREADS requests at once on a database pool of as many connections, listening on
HOST:PORT. Its HTTP layer is written in Rust, so the Python threads spend their time in
the application; the decision record (docs/adr) says why it was chosen.
Production settings unless ENVIRONMENT or DJANGO_SETTINGS_MODULE says otherwise.
"""

import os
from collections.abc import Iterable, Mapping
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import django
from django.core.exceptions import ImproperlyConfigured
from granian import Granian
from granian.constants import Interfaces

from config.settings import select_settings

# Seconds a stopping worker gets to finish the requests in flight before it is killed: on
# SIGTERM granian stops accepting connections, lets those requests finish, then exits, well
# within the 10 s Docker and Kubernetes wait before they kill the process.
SHUTDOWN_TIMEOUT = 8

# How much of an unread request body is read to keep the connection: a client that is
# still sending when the answer goes out (a 413, a 404) must be read to the end, or closing
# the connection under it resets it before it reads the answer. Beyond this, the connection
# is closed instead (and the answer says so).
DRAIN_LIMIT = 4 * 1024 * 1024


def whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, got {raw!r}")
    return int(raw)


def server_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """granian's settings from the environment; a bad value stops start-up, naming it."""
    return {
        "address": environ.get("HOST", "127.0.0.1"),
        "port": whole_number(environ, "PORT", 8000),
        "workers": whole_number(environ, "WEB_CONCURRENCY", 1),
        "blocking_threads": whole_number(environ, "WEB_THREADS", 4),
        "log_access": environ.get("ACCESS_LOG", "").lower() in {"1", "true", "yes"},
        "workers_kill_timeout": SHUTDOWN_TIMEOUT,
    }


def drain_request_body(app: WSGIApplication) -> WSGIApplication:
    """Read whatever the view left of the request body before the response goes out.

    granian closes a keep-alive connection, without a `Connection: close`, when the request
    body was not read (a POST to an unknown path, a 405): the client's next request on that
    connection then fails. Reading the rest keeps it open; a body longer than DRAIN_LIMIT
    is not read to the end, and the answer says `Connection: close`.
    """

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = environ["wsgi.input"]  # the server's stream, whatever the app reads through
        started: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None, /) -> Any:
            # The answer goes out once the body is read, so it can still say Connection: close.
            started[:] = [status, headers, exc_info]
            return lambda data: None  # Django writes nothing through it

        response = app(environ, hold)
        status, headers, exc_info = started
        left = DRAIN_LIMIT
        while left > 0 and (chunk := body.read(min(left, 65536))):
            left -= len(chunk)
        if left <= 0 and body.read(1):
            headers = [*headers, ("Connection", "close")]
        start_response(status, headers, exc_info)
        return response

    return application


def serving_app() -> WSGIApplication:
    """What each granian worker serves: Django's WSGI application, request bodies handled.

    granian hands a chunked body over without a Content-Length, which Django would read as
    empty; read_chunked_bodies gives Django the body (up to MAX_BODY_SIZE).
    """
    from config.wsgi import application  # here: importing it sets Django up

    from .middleware import read_chunked_bodies

    return drain_request_body(read_chunked_bodies(application))


def main() -> None:
    options = server_options(os.environ)
    select_settings(default="production")
    # Load the settings once before any worker starts: production stops here, naming
    # every missing variable, instead of in each worker.
    django.setup()
    target = f"{__package__}.__main__:serving_app"
    Granian(target, factory=True, interface=Interfaces.WSGI, **options).serve()


if __name__ == "__main__":
    main()
