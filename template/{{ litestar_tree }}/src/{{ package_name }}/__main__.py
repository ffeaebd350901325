"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves the ASGI app: WEB_CONCURRENCY worker processes listening on HOST:PORT, each
with its own database pool. It passes every request to the app, so even a method HTTP does
not define gets the app's JSON 405 rather than a plain-text 400 from the server.
"""

from typing import Any

from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels
from litestar import Litestar

from .app import create_app
from .core.config import get_settings

# On SIGTERM the workers stop accepting and finish the requests in flight; one still busy
# after this many seconds is killed, so the process exits well within the 10 s orchestrators
# usually allow before SIGKILL.
SHUTDOWN_TIMEOUT = 8


def logging_config(level: str) -> dict[str, Any]:
    """One format for the app's and granian's log lines, on stderr, at LOG_LEVEL."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"format": "%(asctime)s %(levelname)-8s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["stderr"], "level": level},
        # granian's own handlers would print its lines in another format; let them propagate.
        "loggers": {
            name: {"handlers": [], "propagate": True} for name in ("_granian", "granian.access")
        },
    }


def serving_app() -> Litestar:
    """What each worker serves, built from the environment's settings."""
    return create_app(get_settings())


def main() -> None:
    # Validate settings before any worker starts: a bad setting fails once, with its name.
    settings = get_settings()
    Granian(
        f"{__package__}.__main__:serving_app",
        factory=True,
        interface=Interfaces.ASGI,
        address=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        websockets=False,
        log_level=LogLevels(settings.log_level.lower()),
        log_dictconfig=logging_config(settings.log_level),
        log_access=settings.access_log,
        respawn_failed_workers=True,  # a crashed worker is replaced, not the whole server stopped
        workers_kill_timeout=SHUTDOWN_TIMEOUT,
    ).serve()


if __name__ == "__main__":
    main()
