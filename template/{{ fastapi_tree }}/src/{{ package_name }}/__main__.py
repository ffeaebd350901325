"""The production server: `python -m <package>`, as `make serve` and the image's CMD run it.

granian serves the ASGI app: WEB_CONCURRENCY worker processes listening on HOST:PORT, each
with its own database pool. It passes every request to the app, so even a method HTTP does
not define gets the app's JSON 405 rather than a plain-text 400 from the server.
"""

from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels
from granian.utils.proxies import wrap_asgi_with_proxy_headers
from starlette.types import ASGIApp

from .core.config import get_settings
from .core.logging import logging_config
from .main import create_app

# On SIGTERM the workers stop accepting and finish the requests in flight; one still busy
# after this many seconds is killed, so the process exits well within the 10 s orchestrators
# usually allow before SIGKILL.
SHUTDOWN_TIMEOUT = 8


def serving_app() -> ASGIApp:
    """What each worker serves: the app, trusting X-Forwarded-* from FORWARDED_ALLOW_IPS."""
    settings = get_settings()
    app: ASGIApp = create_app(settings)
    wrapped: ASGIApp = wrap_asgi_with_proxy_headers(app, settings.forwarded_allow_ips)
    return wrapped


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
        log_dictconfig=logging_config(settings.log_level, json_logs=settings.json_logs),
        log_access=settings.access_log,
        respawn_failed_workers=True,  # a crashed worker is replaced, not the whole server stopped
        workers_kill_timeout=SHUTDOWN_TIMEOUT,
    ).serve()


if __name__ == "__main__":
    main()
