"""Hostile and malformed requests: every one a documented 4xx JSON answer, never a 5xx."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from .asgi import run_asgi

pytestmark = pytest.mark.anyio

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/api/items", "GET"),
        ("DELETE", "/api/items", "GET"),
        ("FOO", "/api/items", "GET"),
        ("PATCH", "/api/items/1", "GET"),
        ("GET", "/api/webhooks/payments", "POST"),
        ("PUT", "/api/webhooks/payments", "POST"),
        ("POST", "/health/live", "GET"),
    ],
)
async def test_405_lists_every_method_the_path_serves(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    """Items are written through Django's API; here they can only be read."""
    response = await client.request(method, path, content=b"{}", headers=JSON)
    assert response.status_code == 405
    assert response.content == b'{"detail": "Method Not Allowed"}'
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize("method", ["GET", "POST", "FOO"])
@pytest.mark.parametrize(
    "path", ["/no/such/path", "/api/items/", "/api/webhooks", "/api/webhooks/", "/api/items/x"]
)
async def test_unknown_paths_are_404_json(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, content=b"{}", headers=JSON)
    assert (response.status_code, response.content) == (404, b'{"detail": "Not Found"}')


@pytest.mark.parametrize("path", ["/no/such/path", "/api/webhooks/payments"])
async def test_an_unread_body_is_read_before_the_answer(app: FastAPI, path: str) -> None:
    """A body nobody reads (a 404 to a POST) is read to its end, so the connection can carry
    the next request; one over twice the limit is cut short, and the answer says so."""
    limit = app.state.settings.max_body_size
    chunk = b"x" * 65536
    for size, closes in ((limit // 2, False), (3 * limit, True)):
        chunks = [chunk] * (size // len(chunk))
        messages: list[Any] = [
            {"type": "http.request", "body": part, "more_body": n < len(chunks) - 1}
            for n, part in enumerate(chunks)
        ]
        sent, unread = await run_asgi(app, "POST", path, messages)
        assert sent[0]["status"] in {401, 404, 413}
        connection = dict(sent[0]["headers"]).get(b"connection")
        assert (connection == b"close") is closes, (size, connection)
        assert (unread > 0) is closes, (size, unread)


async def test_an_http2_body_without_a_length_is_counted_too(app: FastAPI) -> None:
    limit = app.state.settings.max_body_size
    parts = [b"x" * 65536] * (limit // 65536 + 2)
    messages: list[Any] = [
        {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
        for n, part in enumerate(parts)
    ]
    sent, _ = await run_asgi(app, "POST", "/api/webhooks/payments", messages, http_version="2")
    assert sent[0]["status"] == 413
