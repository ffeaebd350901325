"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves the WSGI app: WEB_CONCURRENCY processes, each running up to WEB_THREADS
requests at once on as many database connections, listening on HOST:PORT. Measured on the
stackpick benchmark, it answered twice the requests of gunicorn's gthread workers on
/health/live and about a tenth more on the database-backed list.
"""

import os
from collections.abc import Iterable, Mapping
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from granian import Granian
from granian.constants import Interfaces

from . import create_app
from .config import env_number


def server_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """granian's settings from the environment; a bad value stops start-up, naming it."""
    return {
        "address": environ.get("HOST", "127.0.0.1"),
        "port": env_number(environ, "PORT", 8000, int, minimum=1),
        "workers": env_number(environ, "WEB_CONCURRENCY", 1, int, minimum=1),
        "blocking_threads": env_number(environ, "WEB_THREADS", 4, int, minimum=1),
        "log_access": environ.get("ACCESS_LOG", "").lower() in {"1", "true", "yes"},
    }


def drain_request_body(app: WSGIApplication) -> WSGIApplication:
    """Read whatever the view left of the request body before the response goes out.

    granian closes a keep-alive connection, without a `Connection: close`, when the request
    body was not read (a POST to an unknown path, a 405): the client's next request on that
    connection then fails. Reading the rest (bounded by Content-Length) keeps it open.
    """

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = app(environ, start_response)
        body = environ["wsgi.input"]
        while body.read(65536):
            pass
        return response

    return application


def serving_app() -> WSGIApplication:
    """What each granian worker serves: the app from the factory, its request bodies drained."""
    return drain_request_body(create_app())


def main() -> None:
    options = server_options(os.environ)
    # Build the app once before any worker starts: a bad setting fails here, once, by name.
    create_app()
    target = f"{__package__}.__main__:serving_app"
    Granian(target, factory=True, interface=Interfaces.WSGI, **options).serve()


if __name__ == "__main__":
    main()
