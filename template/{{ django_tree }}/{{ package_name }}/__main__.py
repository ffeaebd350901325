"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves Django's WSGI application: WEB_CONCURRENCY processes, each running up to
WEB_THREADS requests at once on a database pool of as many connections, listening on
HOST:PORT. On the stackpick benchmark it served three times the requests of gunicorn's
gthread workers on /health/live and about a fifth more on the database-backed list.
"""

import os
from collections.abc import Iterable, Mapping
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import django
from django.core.exceptions import ImproperlyConfigured
from granian import Granian
from granian.constants import Interfaces


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
    """What each granian worker serves: Django's WSGI application, its request bodies drained."""
    from config.wsgi import application  # here: importing it sets Django up

    return drain_request_body(application)


def main() -> None:
    options = server_options(os.environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # Load the settings once before any worker starts: production stops here, naming
    # every missing variable, instead of in each worker.
    django.setup()
    target = f"{__package__}.__main__:serving_app"
    Granian(target, factory=True, interface=Interfaces.WSGI, **options).serve()


if __name__ == "__main__":
    main()
