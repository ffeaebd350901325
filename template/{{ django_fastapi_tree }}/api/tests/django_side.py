"""Django, in this test process, on the tests' database: its ORM and its own API.

The tests write rows as Django does and ask Django's API for its answers, to compare them
with this service's. Django is synchronous and refuses to run inside an event loop, so every
call runs on one thread of its own (one thread: one Django connection, closed at the end).
"""

import asyncio
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from .databases import DJANGO_SETTINGS, WEB


class Django:
    """Runs functions on Django's thread: `await django.run(function, *args)`."""

    def __init__(self, thread: ThreadPoolExecutor) -> None:
        self._thread = thread

    async def run[Result](self, function: Callable[..., Result], *args: Any) -> Result:
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)


def _set_up() -> None:
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host, `testserver`, is allowed


def _close_connections() -> None:
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()


@contextmanager
def django_on(database_url: str) -> Iterator[Django]:
    """Django set up on `database_url` for the rest of the test session."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = DJANGO_SETTINGS
    sys.path.insert(0, str(WEB))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="django") as thread:
        thread.submit(_set_up).result()
        try:
            yield Django(thread)
        finally:
            thread.submit(_close_connections).result()
            for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
                os.environ.pop(name, None)
