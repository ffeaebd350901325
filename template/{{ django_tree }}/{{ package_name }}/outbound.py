"""Outbound HTTP: one httpx.Client per process, shared by all its threads.

A shared client keeps connections alive and applies one timeout policy; a client per request
would open a new connection (and TLS handshake) every time.
"""

from functools import cache

import httpx
from django.conf import settings


@cache
def http_client() -> httpx.Client:
    # Created on first use, so every server worker process gets its own.
    return httpx.Client(timeout=settings.HTTP_TIMEOUT)
