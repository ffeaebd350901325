"""What the gate in front of Litestar's router adds: OPTIONS, lenient paging numbers, and a
body declared too large refused before anything else is decided about the request."""

import httpx
import pytest
from litestar import Litestar

from .test_requests import assert_refused

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/api/items", "GET, POST, OPTIONS"), ("/api/items/1", "GET, PATCH, DELETE, OPTIONS")],
)
async def test_options_lists_every_method_the_path_serves(
    client: httpx.AsyncClient, path: str, allowed: str
) -> None:
    response = await client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize("query", ["limit=1.0", "limit=+5"])
async def test_paging_numbers_are_whole_unsigned_numbers(
    client: httpx.AsyncClient, query: str
) -> None:
    response = await client.get(f"/api/items?{query}")
    assert_refused(response, query.partition("=")[0])


async def test_paging_numbers_may_have_leading_zeros(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/items", params={"limit": "05", "offset": "0000"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", "/api/items", "text/plain"),
        ("POST", "/no/such/path", "application/json"),
        ("PUT", "/api/items", "application/json"),
        ("PATCH", "/api/items/abc", "application/json"),
    ],
)
async def test_a_body_declared_too_large_is_refused_first(
    client: httpx.AsyncClient, app: Litestar, method: str, path: str, content_type: str
) -> None:
    """413 before the 404, 405 or 415 the request would otherwise get."""
    too_big = b"x" * (app.state.settings.max_body_size + 1)
    response = await client.request(
        method, path, content=too_big, headers={"content-type": content_type}
    )
    assert response.status_code == 413, response.text
