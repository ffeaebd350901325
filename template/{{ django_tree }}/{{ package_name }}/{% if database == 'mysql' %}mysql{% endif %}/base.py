"""Django's MySQL and MariaDB backend, with a connection check that costs no round trip.

Django checks a reused connection before a request's first query (CONN_HEALTH_CHECKS), and on
MySQL that check is a ping: one more wait on the server for every request. An idle connection
has nothing to read until the server says something, and a server that closes a connection
(a restart, wait_timeout, a killed session) says so: an error message, then end of file.
Looking at the socket costs microseconds, so only a connection the server has written to is
pinged, and a database that restarted fails no request. A connection cut without a word (a
network partition) still fails one request (a 503); Django then pings it before any reuse.
"""

import selectors

from django.db.backends.mysql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.errors_occurred or self.server_spoke():
            return super().is_usable()  # the ping
        return True

    def server_spoke(self) -> bool:
        """Whether the server has written to this connection since its last answer."""
        if not self.connection.open:  # closed on this side: let the ping say so
            return True
        with selectors.DefaultSelector() as selector:
            selector.register(self.connection.fileno(), selectors.EVENT_READ)
            return bool(selector.select(timeout=0))
