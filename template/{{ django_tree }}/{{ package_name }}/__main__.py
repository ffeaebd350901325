"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves Django's WSGI application: WEB_CONCURRENCY processes, each running up to
WEB_THREADS requests at once on a database pool of as many connections, listening on
HOST:PORT. On the stackpick benchmark it served three times the requests of gunicorn's
gthread workers on /health/live and about a fifth more on the database-backed list.
"""

import os
from collections.abc import Mapping
from typing import Any

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


def main() -> None:
    options = server_options(os.environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # Load the settings once before any worker starts: production stops here, naming
    # every missing variable, instead of in each worker.
    django.setup()
    Granian("config.wsgi:application", interface=Interfaces.WSGI, **options).serve()


if __name__ == "__main__":
    main()
