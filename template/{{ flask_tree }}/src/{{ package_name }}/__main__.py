"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves the WSGI app: WEB_CONCURRENCY processes, each running up to WEB_THREADS
requests at once on as many database connections, listening on HOST:PORT. Its HTTP layer
is written in Rust, so the Python threads spend their time in the application; the decision
record (docs/adr) says why it was chosen.
"""

import os
from collections.abc import Mapping
from typing import Any
from wsgiref.types import WSGIApplication

from granian import Granian
from granian.constants import Interfaces

from . import create_app, server
from .config import ConfigError
from .server import drain_request_body


def server_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """granian's settings from the environment; a bad value is a ConfigError naming it."""
    return server.server_options(environ, error=ConfigError)


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
