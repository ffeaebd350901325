"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves Django's WSGI application: WEB_CONCURRENCY processes, each running up to
WEB_THREADS requests at once on a database pool of as many connections, listening on
HOST:PORT. Its HTTP layer is written in Rust, so the Python threads spend their time in
the application; the decision record (docs/adr) says why it was chosen.
Production settings unless ENVIRONMENT or DJANGO_SETTINGS_MODULE says otherwise.
"""

import os
from collections.abc import Mapping
from typing import Any
from wsgiref.types import WSGIApplication

import django
from django.core.exceptions import ImproperlyConfigured
from granian import Granian
from granian.constants import Interfaces

from config.settings import select_settings

from . import server
from .server import drain_request_body

# How much of an unread request body is read to keep the connection: a client that is
# still sending when the answer goes out (a 413, a 404) must be read to the end, or closing
# the connection under it resets it before it reads the answer. Beyond this, the connection
# is closed instead (and the answer says so).
DRAIN_LIMIT = 4 * 1024 * 1024


def server_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """granian's settings from the environment; a bad value is ImproperlyConfigured, naming it."""
    return server.server_options(environ, error=ImproperlyConfigured)


def serving_app() -> WSGIApplication:
    """What each granian worker serves: Django's WSGI application, request bodies handled.

    granian hands a chunked body over without a Content-Length, which Django would read as
    empty; read_chunked_bodies gives Django the body (up to MAX_BODY_SIZE).
    """
    from config.wsgi import application  # here: importing it sets Django up

    from .middleware import read_chunked_bodies

    return drain_request_body(read_chunked_bodies(application), limit=DRAIN_LIMIT)


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
