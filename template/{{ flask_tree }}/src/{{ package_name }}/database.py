"""Database connections: DATABASE_URL to a driver's URL, engine options, closed ones replaced.

What models build on (the declarative base, UTC timestamps) is in orm.py.
"""

import select
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InvalidatePoolError
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

# The driver for each backend when a URL names none (postgresql://, mysql://, sqlite://).
DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
    "sqlite": "sqlite",
}

# Ids are 32-bit integers in every database; larger values can only be "not found".
MAX_ID = 2**31 - 1


def sqlalchemy_url(url: str) -> str:
    """`postgresql://…` becomes `postgresql+psycopg://…`; an explicit driver is kept.

    MySQL connections use utf8mb4 (all of Unicode), and a relative SQLite path is made absolute
    from the working directory, as every other tool reads it (Flask-SQLAlchemy would otherwise
    put the file in the app's instance folder).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError("DATABASE_URL is not a database URL") from None
    backend = parsed.get_backend_name()
    if "+" not in parsed.drivername:
        if parsed.drivername not in DRIVERS:
            raise ValueError(f"DATABASE_URL has an unsupported scheme: {parsed.drivername}")
        parsed = parsed.set(drivername=DRIVERS[parsed.drivername])
    if backend in {"mysql", "mariadb"} and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    if backend == "sqlite" and parsed.database not in {None, "", ":memory:"}:
        parsed = parsed.set(database=str(Path(str(parsed.database)).resolve()))
    return parsed.render_as_string(hide_password=False)


def engine_options(
    url: str,
    *,
    pool_size: int,
    pool_timeout: float,
    connect_timeout: int,
    pre_ping: bool = False,
) -> dict[str, Any]:
    """Engine settings for `url`: a pool as large as a worker's thread count on servers.

    A database that does not answer fails a request within `connect_timeout` seconds (psycopg
    and PyMySQL both take `connect_timeout`) instead of holding a request thread.
    """
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        # A file, not a server: no pool to size, and a busy timeout instead of "locked" errors.
        return {"connect_args": {"timeout": pool_timeout}}
    return {
        # One connection per request thread: a worker never needs more.
        "pool_size": pool_size,
        "max_overflow": 0,
        "pool_timeout": pool_timeout,
        "pool_pre_ping": pre_ping,
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": connect_timeout},
    }


def replace_connections_the_server_closed(engine: Engine) -> None:
    """Check each pooled connection's socket as it leaves the pool; replace it if closed.

    After a database restart (or an idle timeout) the pool still holds the connections the
    server closed, and without this the first request to use each one failed with a 503. A
    closed socket reads as ready (end of file, or the server's farewell message) while a live,
    idle one has nothing to say, so one non-blocking poll tells them apart, with no round trip
    (DB_POOL_PRE_PING=true adds one, for networks that drop connections without closing them).
    """
    if engine.dialect.name != "sqlite":
        event.listen(engine, "checkout", _replace_if_closed)


def _replace_if_closed(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    if _closed_by_server(dbapi_connection):
        # As a failed pre-ping does: the other pooled connections are from before the restart.
        raise InvalidatePoolError("the database closed this connection")


def _closed_by_server(dbapi_connection: Any) -> bool:
    try:
        if hasattr(dbapi_connection, "fileno"):  # psycopg
            fd = dbapi_connection.fileno()
        else:  # PyMySQL keeps its socket, or None once it knows the connection is gone
            sock = dbapi_connection._sock
            if sock is None:
                return True
            fd = sock.fileno()
        return _readable(fd)
    except Exception:  # no socket to look at (psycopg raises its own errors): not usable
        return True


def _readable(fd: int) -> bool:
    if hasattr(select, "poll"):  # any descriptor number, where select() stops at 1023
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])  # Windows
