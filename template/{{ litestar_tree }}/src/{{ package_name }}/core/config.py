"""Typed settings, read from the environment and, in development, from `.env`.

Each field is read from the variable of the same name in capitals (DB_POOL_SIZE, ...) and
converted by msgspec, as request bodies are. A bad or missing value stops start-up with a
`ConfigurationError` that names the variable. Nothing in this service signs anything, so no
secret is required.
"""

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Literal, Self

import msgspec
from dotenv import dotenv_values

from ..db.urls import async_database_url

DEVELOPMENT_DATABASE_URL = "sqlite+aiosqlite:///./dev.sqlite3"

Count = Annotated[int, msgspec.Meta(ge=1)]
# Above zero and at most an hour: "nan" and "inf" are refused, not waited for.
Seconds = Annotated[float, msgspec.Meta(gt=0, le=3600)]


class ConfigurationError(ValueError):
    """A setting is missing or invalid; the message names the variable."""


class Settings(msgspec.Struct, frozen=True, kw_only=True, rename="upper"):
    environment: Literal["development", "test", "production"] = "development"

    database_url: str = DEVELOPMENT_DATABASE_URL
    # A fixed pool per worker: overflow connections are closed after each use, and opening
    # them again (connect, TLS, auth) under load costs more than waiting for a pooled one.
    db_pool_size: Count = 10
    db_max_overflow: Annotated[int, msgspec.Meta(ge=0)] = 0
    # Seconds to wait for a free connection, and to open a new one. Short, so that while the
    # database is away clients get a quick 503 to retry on, not a request that hangs.
    db_pool_timeout: Seconds = 2.0
    db_connect_timeout: Seconds = 2.0
    # Off by default: a ping per checkout is one more round trip on every request. Connections
    # the server closed are still replaced (db/session.py); turn it on behind proxies that
    # silently cut idle connections.
    db_pool_pre_ping: bool = False
    db_echo: bool = False
    health_timeout: Seconds = 2.0  # how long /health/ready waits for the database

    http_timeout: Seconds = 10.0  # outbound HTTP
    max_body_size: Count = 1024 * 1024  # bytes; a larger request body is answered 413

    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    web_concurrency: Count = 1
    # Proxies whose X-Forwarded-For and -Proto are believed (comma-separated addresses, or *).
    # None by default: behind a proxy, set its address, or clients' addresses and scheme are
    # the proxy's; unset, no request pays for reading those headers.
    forwarded_allow_ips: str = ""
    access_log: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # One JSON object per line, for log collectors; false gives readable text lines.
    json_logs: bool = True

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str | None]) -> Self:
        """Settings from the variables named after the fields; an empty value counts as unset."""
        fields = {name.upper() for name in cls.__struct_fields__}
        values = {name: value for name, value in environ.items() if name in fields and value}
        if "LOG_LEVEL" in values:
            values["LOG_LEVEL"] = str(values["LOG_LEVEL"]).upper()
        try:
            # strict=False: text converts to the field's type, as environment variables need.
            settings = msgspec.convert(values, cls, strict=False)
        except msgspec.ValidationError as error:
            raise ConfigurationError(named(error)) from error
        # The development default is a SQLite file next to the code: in production that would
        # silently start an empty database inside the container.
        if settings.environment == "production" and "DATABASE_URL" not in values:
            raise ConfigurationError("DATABASE_URL must be set in production")
        try:
            settings.async_database_url  # noqa: B018  (an unsupported scheme fails here, named)
        except ValueError as error:
            raise ConfigurationError(str(error)) from error
        return settings


def named(error: msgspec.ValidationError) -> str:
    """msgspec's "Expected `int` >= 1 - at `$.PORT`" as "PORT is invalid: expected `int` >= 1"."""
    problem, _, path = str(error).rpartition(" - at `$.")
    name = path.rstrip("`")
    return f"{name} is invalid: {problem[:1].lower()}{problem[1:]}" if name else str(error)


@lru_cache
def get_settings() -> Settings:
    # `.env` is a development convenience; production reads the real environment only, and
    # the real environment always wins.
    production = os.environ.get("ENVIRONMENT") == "production"
    dotenv = {} if production else dotenv_values(".env")
    return Settings.from_env({**dotenv, **os.environ})
