"""Typed settings, read from the environment and, in development, from `.env`.

A bad or missing value stops start-up with a `ConfigurationError` that names the variable.
Nothing in this service signs anything, so no secret is required.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar, cast, get_args

from ..db.urls import async_database_url

DEVELOPMENT_DATABASE_URL = "sqlite+aiosqlite:///./dev.sqlite3"

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
T = TypeVar("T")


class ConfigurationError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    environment: Environment = "development"

    database_url: str = DEVELOPMENT_DATABASE_URL
    # A fixed pool per worker: overflow connections are closed after each use, and opening
    # them again (connect, TLS, auth) under load costs more than waiting for a pooled one.
    db_pool_size: int = 10
    db_max_overflow: int = 0
    # Seconds to wait for a free connection, and to open a new one. Short, so that while the
    # database is away clients get a quick 503 to retry on, not a request that hangs.
    db_pool_timeout: float = 2.0
    db_connect_timeout: float = 2.0
    # Off by default: a ping per checkout is one more round trip on every request. Connections
    # the server closed are still replaced (db/session.py); turn it on behind proxies that
    # silently cut idle connections.
    db_pool_pre_ping: bool = False
    db_echo: bool = False
    health_timeout: float = 2.0  # seconds /health/ready waits for the database

    http_timeout: float = 10.0  # outbound HTTP
    max_body_size: int = 1024 * 1024  # bytes; a larger request body is answered 413

    host: str = "127.0.0.1"
    port: int = 8000
    web_concurrency: int = 1
    access_log: bool = False
    log_level: LogLevel = "INFO"

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """Settings from environment variables named after the fields (DB_POOL_SIZE, ...)."""
        read = _Reader(environ)
        settings = cls(
            environment=read.choice("ENVIRONMENT", cls.environment, Environment),
            database_url=read.text("DATABASE_URL", cls.database_url),
            db_pool_size=read.count("DB_POOL_SIZE", cls.db_pool_size, minimum=1),
            db_max_overflow=read.count("DB_MAX_OVERFLOW", cls.db_max_overflow, minimum=0),
            db_pool_timeout=read.seconds("DB_POOL_TIMEOUT", cls.db_pool_timeout),
            db_connect_timeout=read.seconds("DB_CONNECT_TIMEOUT", cls.db_connect_timeout),
            db_pool_pre_ping=read.flag("DB_POOL_PRE_PING", cls.db_pool_pre_ping),
            db_echo=read.flag("DB_ECHO", cls.db_echo),
            health_timeout=read.seconds("HEALTH_TIMEOUT", cls.health_timeout),
            http_timeout=read.seconds("HTTP_TIMEOUT", cls.http_timeout),
            max_body_size=read.count("MAX_BODY_SIZE", cls.max_body_size, minimum=1),
            host=read.text("HOST", cls.host),
            port=read.count("PORT", cls.port, minimum=1, maximum=65535),
            web_concurrency=read.count("WEB_CONCURRENCY", cls.web_concurrency, minimum=1),
            access_log=read.flag("ACCESS_LOG", cls.access_log),
            log_level=read.choice("LOG_LEVEL", cls.log_level, LogLevel),
        )
        # The development default is a SQLite file next to the code: in production that would
        # silently start an empty database inside the container.
        if settings.environment == "production" and not environ.get("DATABASE_URL"):
            raise ConfigurationError("DATABASE_URL must be set in production")
        try:
            settings.async_database_url  # noqa: B018  (an unsupported scheme fails here, named)
        except ValueError as error:
            raise ConfigurationError(str(error)) from error
        return settings


class _Reader:
    """Reads one variable at a time; an empty value counts as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def text(self, name: str, default: str) -> str:
        return self.environ.get(name) or default

    def flag(self, name: str, default: bool) -> bool:
        raw = self.environ.get(name, "").strip().lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        raise ConfigurationError(f"{name} must be true or false, got {raw!r}")

    def count(self, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
        raw = self.environ.get(name, "").strip()
        if not raw:
            return default
        value = int(raw) if raw.isascii() and raw.isdigit() else -1
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"{minimum}..{maximum}" if maximum is not None else f"at least {minimum}"
            raise ConfigurationError(f"{name} must be a whole number, {bounds}; got {raw!r}")
        return value

    def seconds(self, name: str, default: float) -> float:
        raw = self.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if not 0 < value < float("inf"):
            raise ConfigurationError(f"{name} must be a number of seconds above 0, got {raw!r}")
        return value

    def choice(self, name: str, default: T, kind: object) -> T:
        raw = self.environ.get(name, "").strip()
        if not raw:
            return default
        allowed: tuple[str, ...] = get_args(kind)
        value = raw.upper() if name == "LOG_LEVEL" else raw
        if value not in allowed:
            raise ConfigurationError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
        return cast(T, value)


def read_dotenv(path: Path) -> dict[str, str]:
    """`KEY=value` lines of a development `.env` file; comments and blank lines skipped."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            values[name.strip()] = value.strip().strip("'\"")
    return values


@lru_cache
def get_settings() -> Settings:
    # `.env` is a development convenience; production reads the real environment only, and
    # the real environment always wins.
    production = os.environ.get("ENVIRONMENT") == "production"
    dotenv = {} if production else read_dotenv(Path(".env"))
    return Settings.from_env({**dotenv, **os.environ})
