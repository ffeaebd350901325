"""Application logging: one JSON object per line in production, readable text in development."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged too.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def logging_config(level: str, *, json_logs: bool) -> dict[str, Any]:
    """The `logging.config.dictConfig` for the app, and for granian's workers (see __main__)."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter}
        if json_logs
        else {"format": "%(asctime)s %(levelname)-8s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["stderr"], "level": level},
        # granian's own handlers would print its lines in another format; let them propagate.
        "loggers": {
            name: {"handlers": [], "propagate": True} for name in ("_granian", "granian.access")
        },
    }
