"""The declarative base every model inherits, and the column types Django's tables use.

Django owns the schema: its models and migrations create every table, and nothing here ever
creates, alters or migrates one. The models map those tables as they are; a test
(tests/test_mapping.py) compares them with the tables Django's migrations build.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, Text
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine


class Base(DeclarativeBase):
    """What every model inherits. Its metadata describes Django's tables; never create_all it."""


# Django's BigAutoField: bigint, except on SQLite, where only a column declared INTEGER
# PRIMARY KEY is the row's own (64-bit) id, which Django relies on.
BigAutoId = BigInteger().with_variant(Integer(), "sqlite")

# Django's JSONField: jsonb on PostgreSQL, json on MySQL (text with a validity check on
# MariaDB and SQLite, which SQLAlchemy's JSON reads and writes alike).
DjangoJSON = JSON().with_variant(postgresql.JSONB(), "postgresql")

# Django's TextField: text, except on MySQL and MariaDB, where it is longtext.
DjangoText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


class UTCDateTime(TypeDecorator[datetime]):
    """Django's DateTimeField with USE_TZ: an aware UTC datetime on every backend.

    PostgreSQL stores `timestamp with time zone`; SQLite and MySQL store the UTC time without
    a zone (MySQL as datetime(6)), which is read back here as UTC, as Django reads it.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in {"mysql", "mariadb"}:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(self.impl)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        utc = value.astimezone(UTC)
        # Stored without a zone, a time must be UTC's wall-clock time, as Django writes it.
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)
