"""Database outages: answer 503 at once, and serve again the moment the database is back.

While the database cannot be reached, a request that waits for it only ties up one of the
worker's few threads (WEB_THREADS): with every thread waiting, not even /health/ready gets
an answer out. So once connecting has failed, requests stop queueing for the database: one at
a time tries a connection of its own (bounded by the driver's connect timeout) and every other
one answers 503 straight away. The first attempt that succeeds ends the outage, so the first
request after the database returns is served, without waiting for a pool's reconnection
schedule.
"""

import logging
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again, sent as Retry-After.
RETRY_AFTER = 5
# Seconds a request waits for another thread's attempt to reach the database.
WAIT_FOR_ATTEMPT = 0.25


def unavailable() -> JsonResponse:
    return JsonResponse(
        {"detail": "Database unavailable"}, status=503, headers={"Retry-After": str(RETRY_AFTER)}
    )


def is_unavailable(error: BaseException) -> bool:
    """The database could not be reached, or no pooled connection came free in time.

    Django raises both as its OperationalError (psycopg_pool's PoolTimeout is one of psycopg's
    OperationalErrors, which Django wraps); InterfaceError is a connection already closed.
    An IntegrityError or a bad query is no outage.
    """
    return isinstance(error, OperationalError | InterfaceError)


def check_database() -> None:
    """Open a connection of our own, outside any pool, and run `SELECT 1`; raise if it fails.

    Bounded by the driver's connect timeout (DB_CONNECT_TIMEOUT) where there is a network.
    """
    database: Any = connections[DEFAULT_DB_ALIAS]  # its driver module is `Database`
    raw = database.Database.connect(**database.get_connection_params())
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
    finally:
        raw.close()


class Outage:
    """What this worker process knows: whether the database was found unreachable."""

    def __init__(self) -> None:
        self._known = False
        self._trying = threading.Lock()

    @property
    def known(self) -> bool:
        return self._known

    def begin(self, reason: object) -> None:
        if not self._known:
            logger.warning("database unreachable, answering 503 until it is back: %s", reason)
        self._known = True

    def end(self) -> None:
        if self._known:
            logger.warning("database reachable again")
        self._known = False

    def database_is_back(self) -> bool:
        """Try a connection, one thread at a time; end the outage if it works.

        A thread that finds an attempt under way waits for it only briefly: against a database
        that refuses connections an attempt takes milliseconds, so the first requests after it
        returns are served; against one that hangs, the others answer 503 instead of queueing.
        """
        if not self._trying.acquire(timeout=WAIT_FOR_ATTEMPT):
            return False
        try:
            if not self._known:
                return True  # another thread's attempt has just succeeded
            try:
                check_database()
            except Exception:  # any failure: still unreachable
                return False
            self.end()
            return True
        finally:
            self._trying.release()


outage = Outage()
