"""Hostile and malformed requests: every one a documented 4xx JSON answer, never a 5xx."""

from typing import Any

import httpx
import pytest
from litestar import Litestar

from .conftest import run_asgi

pytestmark = pytest.mark.anyio

JSON = {"content-type": "application/json"}


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b"[" * depth + inner + b"]" * depth


@pytest.fixture
async def item_url(client: httpx.AsyncClient) -> str:
    response = await client.post("/api/items", json={"name": "target"})
    return f"/api/items/{response.json()['id']}"


def assert_refused(response: httpx.Response, field: str, kind: str | None = None) -> None:
    """422 naming `field` (or the body as a whole), without echoing the input back."""
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert all(set(problem) == {"loc", "msg", "type"} for problem in problems), problems
    if field == "body":
        assert any(problem["loc"] == ["body"] for problem in problems), problems
    else:
        assert any(problem["loc"][-1] == field for problem in problems), problems
    if kind is not None:
        assert problems[0]["type"] == kind, problems


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"name": 1e400}', id="number overflowing a double"),
        pytest.param(b'{"name": NaN}', id="NaN"),
        pytest.param(b'{"name": "a", "description": -Infinity}', id="-Infinity"),
        pytest.param(b'{"name": "a\\ud800b"}', id="lone surrogate"),
        pytest.param(b'{"name": "caf\xe9"}', id="invalid UTF-8"),
        pytest.param(nested(100_000), id="nested 100,000 deep"),
        pytest.param(b'{"name": ' + nested(2_000) + b"}", id="nested 2,000 deep in a field"),
        pytest.param(b'{"name": 1' + b"0" * 5000 + b"}", id="5,000-digit integer"),
        pytest.param(b'{"name": "unterminated', id="truncated"),
        pytest.param(b"", id="empty"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_bodies_must_be_strict_json(
    client: httpx.AsyncClient, item_url: str, method: str, body: bytes
) -> None:
    url = "/api/items" if method == "POST" else item_url
    response = await client.request(method, url, content=body, headers=JSON)
    assert_refused(response, "body", "json_invalid")
    assert response.json()["detail"][0]["msg"].startswith("Invalid JSON: ")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"[]", "body"),
        (b'"name"', "body"),
        (b"1", "body"),
        (b"null", "body"),
        (b'{"name": "a\\u0000b"}', "name"),
        (b'{"name": "a", "description": "\\u0000"}', "description"),
        (b'{"name": ' + nested(1000) + b"}", "name"),
        (b'{"name": 1e300}', "name"),
        (b'{"name": "a", "colour": "red"}', "colour"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_json_that_does_not_validate_names_the_field(
    client: httpx.AsyncClient, item_url: str, method: str, body: bytes, field: str
) -> None:
    url = "/api/items" if method == "POST" else item_url
    assert_refused(await client.request(method, url, content=body, headers=JSON), field)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/vnd.api+json", None],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_bodies_not_sent_as_json_are_415(
    client: httpx.AsyncClient, item_url: str, method: str, content_type: str | None
) -> None:
    url = "/api/items" if method == "POST" else item_url
    headers = {"content-type": content_type} if content_type else {}
    response = await client.request(method, url, content=b'{"name": "sneaky"}', headers=headers)
    assert response.status_code == 415, response.text
    assert response.json() == {"detail": "Content-Type must be application/json"}
    assert (await client.get(item_url)).json()["name"] == "target"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "APPLICATION/JSON"])
async def test_json_content_type_parameters_are_accepted(
    client: httpx.AsyncClient, content_type: str
) -> None:
    response = await client.post(
        "/api/items", content=b'{"name": "ok"}', headers={"content-type": content_type}
    )
    assert response.status_code == 201, response.text


async def test_bodies_over_the_limit_are_413(client: httpx.AsyncClient, app: Litestar) -> None:
    limit = app.state.settings.max_body_size
    too_big = b'{"name": "big", "description": "' + b"x" * limit + b'"}'
    declared = await client.post("/api/items", content=too_big, headers=JSON)
    assert declared.status_code == 413, declared.text
    assert declared.json() == {"detail": f"Request body over {limit} bytes"}
    # Streamed in chunks, with no length announced (Litestar's test client cannot stream).
    parts = [too_big[start : start + 65536] for start in range(0, len(too_big), 65536)]
    messages = [
        {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
        for n, part in enumerate(parts)
    ]
    sent, _ = await run_asgi(app, "POST", "/api/items", messages)
    assert sent[0]["status"] == 413
    assert (await client.get("/api/items")).json()["total"] == 0


async def test_an_unread_body_is_read_before_the_answer(app: Litestar) -> None:
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
        sent, unread = await run_asgi(app, "POST", "/no/such/path", messages)
        assert sent[0]["status"] == 404
        connection = dict(sent[0]["headers"]).get(b"connection")
        assert (connection == b"close") is closes, (size, connection)
        assert (unread > 0) is closes, (size, unread)


async def test_an_http2_body_without_a_length_is_counted_too(app: Litestar) -> None:
    limit = app.state.settings.max_body_size
    parts = [b"x" * 65536] * (limit // 65536 + 2)
    messages: list[Any] = [
        {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
        for n, part in enumerate(parts)
    ]
    sent, _ = await run_asgi(app, "POST", "/api/items", messages, http_version="2")
    assert sent[0]["status"] == 413


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/items", "GET, POST, OPTIONS"),
        ("DELETE", "/api/items", "GET, POST, OPTIONS"),
        ("FOO", "/api/items", "GET, POST, OPTIONS"),
        ("PUT", "/api/items/1", "GET, PATCH, DELETE, OPTIONS"),
        ("POST", "/api/items/1", "GET, PATCH, DELETE, OPTIONS"),
        ("POST", "/health/live", "GET, OPTIONS"),
    ],
)
async def test_405_lists_every_method_the_path_serves(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path, content=b"{}", headers=JSON)
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == allowed


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


# Fullwidth and Arabic-Indic digits, signs, spaces, fractions, separators, hexadecimal.
@pytest.mark.parametrize(
    "written", ["\uff12", "\u0662", "+{id}", " {id}", "{id}.0", "1_{id}", "0x1"]
)
async def test_ids_are_ascii_digits_only(
    client: httpx.AsyncClient, item_url: str, written: str
) -> None:
    """A fullwidth 2 is not item 2 (Litestar, like Python, reads such spellings as numbers):
    no such path, so nothing is read, changed or deleted."""
    item = (await client.get(item_url)).json()
    url = "/api/items/" + written.format(id=item["id"])
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(method, url, json={"name": "renamed"})
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert (await client.get(item_url)).json() == item


@pytest.mark.parametrize(
    "query", ["limit=%EF%BC%91", "limit=1e400", "offset=NaN", "offset=%00", "limit=1.0", "limit=+5"]
)
async def test_paging_numbers_are_ascii_digits_only(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/api/items?{query}")
    assert_refused(response, query.partition("=")[0])


@pytest.mark.parametrize("method", ["GET", "POST", "FOO"])
@pytest.mark.parametrize("path", ["/no/such/path", "/api/items/"])
async def test_unknown_paths_are_404_json(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, content=b"{}", headers=JSON)
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


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
