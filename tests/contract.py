"""The HTTP contract every generated project serves (SPEC section 3), walked by one client.

Each framework's starter must answer these requests identically, so the same walk proves
all of them; it is also what the benchmark drives.
"""

from __future__ import annotations

import http.client
import io
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

JSON = "application/json"


def assert_json(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: expected {status}, got "
        f"{response.status_code}: {response.text[:500]}"
    )
    assert response.headers.get("content-type", "").startswith(JSON), response.headers
    return response.json()


def assert_names_field(response: httpx.Response, field: str) -> None:
    """422 with `{"detail": [{"loc": [..., field], ...}]}`, the shape FastAPI uses."""
    body = assert_json(response, 422)
    locations = [error["loc"] for error in body["detail"]]
    assert any(str(loc[-1]) == field for loc in locations), (field, body)


def assert_client_error(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers.get("content-type", "").startswith(JSON), response.text[:500]


def check_health(client: httpx.Client) -> None:
    assert assert_json(client.get("/health/live"), 200) == {"status": "ok"}
    assert assert_json(client.get("/health/ready"), 200) == {
        "status": "ok",
        "checks": {"database": "ok"},
    }


def check_not_ready(client: httpx.Client) -> None:
    assert assert_json(client.get("/health/ready"), 503) == {
        "status": "unavailable",
        "checks": {"database": "unreachable"},
    }
    assert assert_json(client.get("/health/live"), 200) == {"status": "ok"}


def check_items_crud(client: httpx.Client) -> None:
    before = assert_json(client.get("/api/items"), 200)
    assert set(before) == {"items", "total"}

    created = assert_json(
        client.post("/api/items", json={"name": "Widget ☕", "description": "first"}), 201
    )
    assert set(created) == {"id", "name", "description", "created_at"}
    assert created["name"] == "Widget ☕"
    assert created["description"] == "first"
    created_at = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
    assert created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=5)

    bare = assert_json(client.post("/api/items", json={"name": "Bare"}), 201)
    assert bare["description"] is None

    item_url = f"/api/items/{created['id']}"
    assert assert_json(client.get(item_url), 200) == created

    patched = assert_json(client.patch(item_url, json={"description": "changed"}), 200)
    assert patched == {**created, "description": "changed"}
    renamed = assert_json(client.patch(item_url, json={"name": "Gadget"}), 200)
    assert renamed == {**created, "name": "Gadget", "description": "changed"}

    listing = assert_json(client.get("/api/items", params={"limit": 100}), 200)
    assert listing["total"] == before["total"] + 2
    ids = [item["id"] for item in listing["items"]]
    assert ids == sorted(ids) and created["id"] in ids and bare["id"] in ids

    page = assert_json(client.get("/api/items", params={"limit": 1, "offset": 1}), 200)
    assert len(page["items"]) == 1 and page["total"] == listing["total"]
    assert page["items"][0]["id"] == ids[1]

    deleted = client.delete(item_url)
    assert deleted.status_code == 204, deleted.text
    assert deleted.content == b""
    missing = assert_json(client.get(item_url), 404)
    assert "detail" in missing
    assert client.delete(f"/api/items/{bare['id']}").status_code == 204


def check_bad_input(client: httpx.Client) -> None:
    for body, field in [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": 12}, "name"),
        ({"name": "ok", "description": "d" * 2001}, "description"),
    ]:
        assert_names_field(client.post("/api/items", json=body), field)

    broken = client.post(
        "/api/items", content=b'{"name": "unterminated', headers={"content-type": JSON}
    )
    assert_client_error(broken)
    not_an_object = client.post("/api/items", json=["name"])
    assert_client_error(not_an_object)

    for params, field in [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ]:
        assert_names_field(client.get("/api/items", params=params), field)
    assert_client_error(client.get("/api/items", params={"offset": str(2**64)}))

    for item_id in ("abc", "1.5", "-1", "0", str(2**31), str(2**64)):
        for method in ("GET", "PATCH", "DELETE"):
            response = client.request(method, f"/api/items/{item_id}", json={"name": "x"})
            assert response.status_code in {404, 422}, (method, item_id, response.text[:300])
            assert response.headers.get("content-type", "").startswith(JSON), response.text

    for method in ("GET", "PATCH", "DELETE"):
        response = client.request(method, "/api/items/987654", json={"name": "x"})
        assert_json(response, 404)

    created = assert_json(client.post("/api/items", json={"name": "keep"}), 201)
    assert_names_field(client.patch(f"/api/items/{created['id']}", json={"name": None}), "name")
    assert_names_field(client.patch(f"/api/items/{created['id']}", json={"name": ""}), "name")
    assert client.delete(f"/api/items/{created['id']}").status_code == 204

    assert_json(client.get("/no/such/path"), 404)


def check_openapi(client: httpx.Client) -> None:
    document = assert_json(client.get("/api/openapi.json"), 200)
    assert str(document.get("openapi", "")).startswith("3.")
    paths = {path.rstrip("/") for path in document["paths"]}
    assert "/api/items" in paths, sorted(paths)
    assert any(path.startswith("/api/items/{") for path in paths), sorted(paths)
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers.get("content-type", "")


class LateBody(io.BytesIO):
    """A request body that leaves the client a moment after the headers, as on a slow link."""

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() == 0:
            time.sleep(0.05)  # long enough for the server to answer from the headers alone
        return super().read(size)


def check_keep_alive_after_unread_bodies(client: httpx.Client) -> None:
    """A body the app never reads (unknown path, wrong method) must not cost the connection.

    The server may close the connection after saying `Connection: close` (http.client then
    reopens it); closing silently fails the next request on it, as a proxy reusing upstream
    connections would see. Bodies arrive late, after the answer: the server must still read
    them to find the next request.
    """
    url = client.base_url
    connection = http.client.HTTPConnection(url.host, url.port, timeout=10)
    body = json.dumps({"name": "never read", "description": "x" * 500}).encode()
    headers = {**client.headers, "content-type": JSON, "content-length": str(len(body))}
    try:
        for method, path in [("POST", "/no/such/path"), ("PUT", "/api/items")] * 2:
            connection.request(method, path, body=LateBody(body), headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status in {404, 405}, (method, path, response.status)
            connection.request("GET", "/health/live", headers=dict(client.headers))
            follow_up = connection.getresponse()
            assert json.loads(follow_up.read()) == {"status": "ok"}
    finally:
        connection.close()


def check_contract(client: httpx.Client) -> None:
    check_health(client)
    check_items_crud(client)
    check_bad_input(client)
    check_keep_alive_after_unread_bodies(client)
    check_openapi(client)
