"""Typed settings, read from the environment and, in development, from `.env`."""

import os
from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..db.urls import async_database_url

DEVELOPMENT_DATABASE_URL = "sqlite+aiosqlite:///./dev.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"

    database_url: str = DEVELOPMENT_DATABASE_URL
    # A fixed pool per worker: overflow connections are closed after each use, and opening
    # them again (connect, TLS, auth) under load costs more than waiting for a pooled one.
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=0, ge=0)
    # Seconds to wait for a free connection, and to open a new one. Short, so that while the
    # database is away clients get a quick 503 to retry on, not a request that hangs.
    db_pool_timeout: float = Field(default=2.0, gt=0)
    db_connect_timeout: float = Field(default=2.0, gt=0)
    # Off by default: a ping per checkout is one more round trip on every request. Dead
    # connections are still replaced (SQLAlchemy drops the pool on a disconnect error);
    # turn it on behind proxies that silently cut idle connections.
    db_pool_pre_ping: bool = False
    db_echo: bool = False
    health_timeout: float = Field(default=2.0, gt=0, description="Seconds for /health/ready.")

    http_timeout: float = Field(default=10.0, gt=0, description="Outbound HTTP timeout.")
    max_body_size: int = Field(default=1024 * 1024, ge=1, description="Bytes; larger is 413.")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1)
    # Proxies whose X-Forwarded-For and -Proto are believed (comma-separated addresses, or *).
    # None by default: behind a proxy, set its address, or clients' addresses and scheme are
    # the proxy's; unset, no request pays for reading those headers.
    forwarded_allow_ips: str = ""
    access_log: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json_logs: bool = True

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @model_validator(mode="after")
    def _production_names_its_database(self) -> Self:
        # The development default is a SQLite file next to the code: in production that
        # would silently start an empty database inside the container.
        if self.environment == "production" and "database_url" not in self.model_fields_set:
            raise ValueError("DATABASE_URL must be set in production")
        return self


@lru_cache
def get_settings() -> Settings:
    # `.env` is a development convenience; production reads the real environment only.
    production = os.environ.get("ENVIRONMENT") == "production"
    return Settings(_env_file=None if production else ".env")
