"""Item answers cached in Redis, which no request ever fails because of or waits on for long.

Redis speeds reads up; the database stays the truth. So every cache call is bounded by
CACHE_TIMEOUT, any failure is logged once and answered from the database, and after a
failure the cache is left alone for a few seconds: during an outage one request every
RETRY_AFTER seconds pays the timeout, not every request.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# Readiness failures are the probe's news, apart from the requests' outage log above.
readiness_logger = logging.getLogger(f"{__name__}.readiness")

# Seconds the cache is skipped after a failure, before the next call tries Redis again.
RETRY_AFTER = 5.0
# What a failing Redis raises: its own errors, a socket's, or a timeout.
CACHE_ERRORS = (RedisError, OSError, TimeoutError, asyncio.TimeoutError)


class Breaker:
    """Whether to call Redis now: yes, unless it failed less than `retry_after` seconds ago.

    An outage is logged when it starts and when it ends, once each, however many requests
    meet it.
    """

    def __init__(
        self, *, retry_after: float = RETRY_AFTER, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._retry_after = retry_after
        self._clock = clock
        self._open_until: float | None = None  # None: no outage

    @property
    def allows(self) -> bool:
        return self._open_until is None or self._clock() >= self._open_until

    def succeeded(self) -> None:
        if self._open_until is not None:
            self._open_until = None
            logger.info("cache available again")

    def failed(self, error: BaseException) -> None:
        if self._open_until is None:
            logger.warning(
                "cache unavailable: serving from the database", extra={"error": repr(error)}
            )
        self._open_until = self._clock() + self._retry_after


def connect(url: str, *, timeout: float) -> Redis:
    """A client for `url` whose every call gives up after `timeout` seconds.

    A call that times out is not tried again: the read goes to the database instead of
    waiting twice. A broken connection is replaced once, at once: after Redis restarts,
    every connection the pool kept is dead, and each would otherwise fail one request.
    """
    client: Redis = Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )
    return client


def item_cache(redis_url: str, *, prefix: str, ttl: int, timeout: float) -> "ItemCache":
    """The cache on `redis_url`; with none (development), a cache that keeps nothing."""
    redis = connect(redis_url, timeout=timeout) if redis_url else None
    return ItemCache(redis, prefix=prefix, ttl=ttl)


class ItemCache:
    """Each item's JSON answer under `<prefix>:item:<id>`, kept `ttl` seconds.

    Without a client (REDIS_URL unset, in development) nothing is cached and every call is
    a no-op, so the code that uses it reads the same either way.
    """

    def __init__(
        self, redis: Redis | None, *, prefix: str, ttl: int, breaker: Breaker | None = None
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl
        self.breaker = breaker or Breaker()

    @property
    def enabled(self) -> bool:
        return self.redis is not None

    def key(self, item_id: int) -> str:
        return f"{self.prefix}:item:{item_id}"

    async def get(self, item_id: int) -> bytes | None:
        """The cached answer, or None: not cached, no cache, or Redis failing."""
        cached = await self._attempt(lambda redis: redis.get(self.key(item_id)))
        return cached if isinstance(cached, bytes) else None

    async def put(self, item_id: int, body: bytes) -> None:
        await self._attempt(lambda redis: redis.set(self.key(item_id), body, ex=self.ttl))

    async def forget(self, item_id: int) -> None:
        """Drop the item's entry: call it once its change is committed, so that the next
        read fetches the new row (a read before the commit would cache the old one)."""
        await self._attempt(lambda redis: redis.delete(self.key(item_id)))

    async def ping(self, timeout: float) -> None:
        """Raise unless Redis answers within `timeout` seconds (for readiness: not skipped
        during an outage, so the probe sees when Redis is back)."""
        if self.redis is not None:
            async with asyncio.timeout(timeout):
                await self.redis.ping()

    async def check(self, timeout: float) -> str:
        """Readiness's answer for the cache: "ok" when Redis answers within `timeout` seconds,
        else "unreachable" (never an error: a dead Redis is "not ready", not a 500)."""
        try:
            await self.ping(timeout)
        except Exception as error:
            failure = {"check": "cache", "error": repr(error)}
            readiness_logger.warning("readiness check failed", extra=failure)
            return "unreachable"
        return "ok"

    async def aclose(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()

    async def _attempt[T](self, call: Callable[[Redis], Awaitable[T]]) -> T | None:
        """`call` on the client, or None when there is no cache or Redis is failing."""
        if self.redis is None or not self.breaker.allows:
            return None
        try:
            result = await call(self.redis)
        except CACHE_ERRORS as error:
            self.breaker.failed(error)
            return None
        self.breaker.succeeded()
        return result
