"""The async engine and session factory, created by the app's lifespan."""

import asyncio
import contextlib
import importlib
import traceback
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, PoolResetState

from ..core.config import Settings


def is_database_outage(error: BaseException) -> bool:
    """No working connection could be had, as opposed to a query that failed.

    The pool could not open a connection, none came free within DB_POOL_TIMEOUT, or one
    broke in use (SQLAlchemy then marks it invalidated and replaces the pool's connections).
    """
    if isinstance(error, PoolTimeoutError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    # While the pool opens a connection, drivers fail in their own ways, and SQLAlchemy lets
    # most of them out unchanged: asyncpg raises the socket's OSError or TimeoutError, or
    # its InterfaceError when the server hangs up during set-up; aiomysql an
    # OperationalError; a server refusing logins a DBAPI error. Where it was raised tells.
    return any(
        frame.f_globals.get("__name__", "").startswith("sqlalchemy.pool")
        for frame, _ in traceback.walk_tb(error.__traceback__)
    )


class ConnectionQueue:
    """Lets requests at the pool's connections in the order they asked, each for a bounded time.

    SQLAlchemy's asyncio pool hands a returned connection to whichever request asks next,
    even one that has only just arrived, ahead of those already waiting: under a burst larger
    than the pool, a request can lose that race again and again until its wait runs out. In
    front of the pool, a semaphore with one slot per connection (first come, first served, as
    asyncio's is) admits requests in order, so the pool itself never makes one wait, and a
    request that waits longer than DB_POOL_TIMEOUT gets a 503 with Retry-After instead of
    hanging.
    """

    def __init__(self, slots: int, timeout: float) -> None:
        self._slots = asyncio.Semaphore(slots)
        self._timeout = timeout

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold one of the pool's connections' slots; PoolTimeoutError when none came free."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._slots.acquire()
        except TimeoutError:
            message = f"no database connection came free within {self._timeout:g} s"
            raise PoolTimeoutError(message) from None
        try:
            yield
        finally:
            self._slots.release()


def create_connection_queue(settings: Settings) -> ConnectionQueue:
    slots = settings.db_pool_size + settings.db_max_overflow
    return ConnectionQueue(slots, settings.db_pool_timeout)


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.async_database_url
    if url.startswith("sqlite"):
        # SQLite is a file, not a server: no pool sizing, and a busy timeout instead of errors.
        return create_async_engine(
            url, echo=settings.db_echo, connect_args={"timeout": settings.db_pool_timeout}
        )
    mysql = make_url(url).get_driver_name() == "aiomysql"  # MySQL and MariaDB
    engine = create_async_engine(
        url,
        echo=settings.db_echo,
        **bounded_connecting(url, settings.db_connect_timeout),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=settings.db_pool_pre_ping,
        pool_recycle=1800,
        # On MySQL the pool's reset is roll_back_open_transaction (below).
        pool_reset_on_return=None if mysql else "rollback",
    )
    event.listen(engine.sync_engine, "checkout", replace_if_closed_by_server)
    if mysql:
        event.listen(engine.sync_engine, "reset", roll_back_open_transaction)
    return engine


def bounded_connecting(url: str, timeout: float) -> dict[str, Any]:
    """Engine options that give up on a server that does not answer within `timeout` seconds.

    asyncpg's own timeout covers the whole handshake. aiomysql's covers only opening the
    socket: a MySQL server that accepts connections and never answers would hold requests
    for ever, so the whole connection attempt is bounded here instead.
    """
    parsed = make_url(url)
    driver = parsed.get_driver_name()
    if driver == "asyncpg":
        return {"connect_args": {"timeout": timeout}}
    if driver != "aiomysql":
        return {}
    # The same arguments SQLAlchemy would pass (host, user, db, charset, flags), from the URL.
    args, options = parsed.get_dialect()().create_connect_args(parsed)
    aiomysql = importlib.import_module("aiomysql")  # by name: only MySQL projects install it

    async def connect() -> Any:
        attempt = aiomysql.connect(*args, **options, connect_timeout=timeout)
        return await asyncio.wait_for(attempt, timeout)

    return {"async_creator": connect}


def roll_back_open_transaction(
    dbapi_connection: Any, record: ConnectionPoolEntry, state: PoolResetState
) -> None:
    """Roll back what a MySQL connection returned to the pool left open, and only that.

    The pool's usual reset sends ROLLBACK whenever a connection comes back, although the
    request's COMMIT or ROLLBACK has nearly always ended its transaction already: a round
    trip per request for nothing. aiomysql knows from the server's last answer whether a
    transaction is still open, without asking.
    """
    if state.asyncio_safe and dbapi_connection.driver_connection.get_transaction_status():
        dbapi_connection.rollback()


def replace_if_closed_by_server(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    """Refuse a pooled connection the server has closed; the pool then opens a new one.

    After a database restart (or a network cut) the pool still holds the connections of
    before, and a worker that served nothing meanwhile would fail its first requests with
    them. The event loop has already read the server's end of file, so the driver knows
    without a round trip (DB_POOL_PRE_PING=true adds one, for networks that drop
    connections without closing them). As a failed pre-ping does, this also discards the
    pool's other connections from before.
    """
    if closed_by_server(dbapi_connection.driver_connection):
        raise InvalidatePoolError("the database closed this connection")


def closed_by_server(connection: Any) -> bool:
    """Whether an idle asyncpg or aiomysql connection has lost its server."""
    if hasattr(connection, "is_closed"):  # asyncpg
        return bool(connection.is_closed())
    # aiomysql keeps no such flag, but its stream has seen the end of file, or holds the
    # server's farewell message: an idle connection has nothing left to read.
    reader = getattr(connection, "_reader", None)
    return bool(connection.closed or reader is None or reader.at_eof() or reader._buffer)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay usable after commit, so handlers can return what they just saved.
    return async_sessionmaker(engine, expire_on_commit=False)


def create_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read, on the same pool as the others.

    A request that runs one query needs no transaction around it. On PostgreSQL the query
    then runs in autocommit mode, which saves the BEGIN and COMMIT round trips a transaction
    costs; asyncpg switches modes without asking the server. MySQL's drivers would spend a
    round trip to turn autocommit on and another to turn it off, more than they save: there
    the query opens a transaction, which the session's ROLLBACK ends when the request is
    done. SQLite runs a lone SELECT outside a transaction already.
    """
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(engine, expire_on_commit=False)
