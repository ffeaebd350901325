"""The Redis cache, walked over HTTP against a served starter and a real Redis.

Every starter caches `GET /api/items/{id}` under a key ending in `item:<id>`. The walk proves
from outside that a read is served from Redis (another item's entry copied over this one's
in Redis is what the next read answers), that a change or a delete is seen by the next read, and that Redis cut off
costs no request: reads are answered from the database, readiness names the cache, and the
cache is used again once Redis is back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from redis import Redis

from harness import TcpProxy

CACHE_TTL = 300  # every starter's default
# A starter skips the cache for 5 s after a failure; the walk waits a little longer.
CACHE_RETRY_AFTER = 5.0
WORKERS = 2  # the walk's server runs two worker processes


@dataclass
class CacheFigures:
    outage_read_ms: float  # the slowest item read while Redis was cut off
    back_in_s: float  # from Redis's return to the first read that filled the cache again


def cached_key(redis: Redis, item_id: int) -> bytes | None:
    """The one key holding item `item_id`'s answer, or None."""
    found = list(redis.scan_iter(f"*item:{item_id}"))
    assert len(found) <= 1, found
    return found[0] if found else None


def check_cache_walk(
    client: httpx.Client,
    redis: Redis,
    proxy: TcpProxy,
    server_log: Callable[[], str],
    checks: Sequence[str],
) -> CacheFigures:
    """`checks` are what readiness names (the others answer while Redis is cut off)."""
    created = client.post("/api/items", json={"name": "cached"})
    assert created.status_code == 201, created.text
    item = created.json()
    path = f"/api/items/{item['id']}"
    assert cached_key(redis, item["id"]) is None, "a create caches nothing"

    first = client.get(path)
    assert (first.status_code, first.json()) == (200, item)
    key = cached_key(redis, item["id"])
    assert key is not None, "the read filled the cache"
    assert 0 < redis.ttl(key) <= CACHE_TTL

    # Another item's entry, copied over this one's in Redis only (whatever the encoding a
    # framework stores): the next read answers the other item, so reads come from Redis.
    decoy = client.post("/api/items", json={"name": "decoy"}).json()
    assert client.get(f"/api/items/{decoy['id']}").status_code == 200
    decoy_key = cached_key(redis, decoy["id"])
    assert decoy_key is not None
    redis.set(key, redis.get(decoy_key) or b"", keepttl=True)
    assert client.get(path).json() == decoy

    changed = client.patch(path, json={"name": "changed"})
    assert changed.status_code == 200, changed.text
    assert client.get(path).json() == changed.json(), "the change is read, not the entry"

    outage_checks = {**dict.fromkeys(checks, "ok"), "cache": "unreachable"}
    figures = _check_outage(client, redis, proxy, path, changed.json(), server_log, outage_checks)

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert cached_key(redis, item["id"]) is None, "a delete drops the entry; a 404 is not cached"
    return figures


def _check_outage(
    client: httpx.Client,
    redis: Redis,
    proxy: TcpProxy,
    path: str,
    item: dict[str, object],
    server_log: Callable[[], str],
    outage_checks: dict[str, str],
) -> CacheFigures:
    """Cut Redis off: reads are answered from the database, quickly, and readiness names the
    cache; once it is back, readiness is 200 at once and the cache is used again."""
    proxy.stop()
    try:
        slowest = 0.0
        for _ in range(10):
            started = time.monotonic()
            read = client.get(path)
            slowest = max(slowest, time.monotonic() - started)
            assert (read.status_code, read.json()) == (200, item)
        assert slowest < 1.0, f"a read waited {slowest:.2f} s on a dead Redis"
        created = client.post("/api/items", json={"name": "written while Redis is away"})
        assert created.status_code == 201, created.text
        ready = client.get("/health/ready")
        assert ready.status_code == 503, ready.text
        assert ready.json() == {"status": "unavailable", "checks": outage_checks}
    finally:
        proxy.start()
    returned = time.monotonic()
    ready = client.get("/health/ready")
    assert ready.status_code == 200, "readiness asks Redis itself, not through the skipped cache"
    new_id = created.json()["id"]
    deadline = returned + CACHE_RETRY_AFTER + 5
    while cached_key(redis, new_id) is None or "cache available again" not in server_log():
        assert time.monotonic() < deadline, "the cache was not used again after Redis returned"
        assert client.get(f"/api/items/{new_id}").status_code == 200
        time.sleep(0.2)
    log = server_log()
    # Logged once per outage by each worker that met it, not once per request.
    assert 1 <= log.count("cache unavailable") <= WORKERS, log[-3000:]
    return CacheFigures(
        outage_read_ms=round(slowest * 1000, 1), back_in_s=round(time.monotonic() - returned, 2)
    )
