"""The production server: `python -m <package>`, as the Dockerfile's CMD runs it.

Host, port and worker count come from the environment (HOST, PORT, WEB_CONCURRENCY),
so `make serve` and the container start the app the same way.
"""

import uvicorn

from .core.config import get_settings
from .core.logging import configure_logging


def main() -> None:
    # Validate settings before forking workers: a bad setting fails once, with its name.
    settings = get_settings()
    configure_logging(settings.log_level, json_logs=settings.json_logs)
    uvicorn.run(
        f"{__package__}.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        loop="auto",  # uvloop where installed
        http="auto",  # httptools where installed
        access_log=settings.access_log,
        log_config=None,  # keep the logging configured above
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
    )


if __name__ == "__main__":
    main()
