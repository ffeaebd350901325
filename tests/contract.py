"""The HTTP contract every generated project serves, as docs/contract.md states it.

Each framework's starter must answer these requests identically, so the same walk proves
all of them; it is also what the benchmark drives. tests/test_contract_across_starters.py
compares the starters' answers with one another.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import quote

import httpx

JSON = "application/json"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


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


DATABASE_ONLY: Final = ("database",)


def check_health(client: httpx.Client, checks: Sequence[str] = DATABASE_ONLY) -> None:
    """Both probes answer 200; readiness lists `checks`: the database, and the cache and the
    broker where the project has them."""
    assert assert_json(client.get("/health/live"), 200) == {"status": "ok"}
    expected = dict.fromkeys(checks, "ok")
    assert assert_json(client.get("/health/ready"), 200) == {"status": "ok", "checks": expected}


def check_not_ready(client: httpx.Client, checks: Sequence[str] = DATABASE_ONLY) -> None:
    """The database is unreachable (and the other `checks` still answer)."""
    expected = {**dict.fromkeys(checks, "ok"), "database": "unreachable"}
    assert assert_json(client.get("/health/ready"), 503) == {
        "status": "unavailable",
        "checks": expected,
    }
    assert assert_json(client.get("/health/live"), 200) == {"status": "ok"}


def check_items_crud(client: httpx.Client, owner: int | None = None) -> None:
    """The items' life, written with `client`'s token when there are users (`owner`, its
    user's id: items then carry `owner_id`)."""
    before = assert_json(client.get("/api/items"), 200)
    assert set(before) == {"items", "total"}

    created = assert_json(
        client.post("/api/items", json={"name": "Widget ☕", "description": "first"}), 201
    )
    ownership = {} if owner is None else {"owner_id": owner}
    assert set(created) == {"id", "name", "description", "created_at", *ownership}
    assert {key: created[key] for key in ownership} == ownership
    assert created["name"] == "Widget ☕"
    assert created["description"] == "first"
    # RFC 3339 in UTC, always six fractional digits, from every database.
    assert TIMESTAMP.fullmatch(created["created_at"]), created
    created_at = datetime.fromisoformat(created["created_at"].replace("Z", "+00:00"))
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

    paging_cases: list[tuple[dict[str, int | str], str]] = [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ]
    for params, field in paging_cases:
        assert_names_field(client.get("/api/items", params=params), field)
    assert_client_error(client.get("/api/items", params={"offset": str(2**64)}))

    # What is not an id names nothing, whatever the method.
    for item_id in ("abc", "1.5", "-1", "0", str(2**31), str(2**64)):
        for method in ("GET", "PATCH", "DELETE", "POST"):
            response = client.request(method, f"/api/items/{item_id}", json={"name": "x"})
            assert assert_json(response, 404) == {"detail": "Not Found"}, (method, item_id)

    for method in ("GET", "PATCH", "DELETE"):
        response = client.request(method, "/api/items/987654", json={"name": "x"})
        assert_json(response, 404)

    created = assert_json(client.post("/api/items", json={"name": "keep"}), 201)
    assert_names_field(client.patch(f"/api/items/{created['id']}", json={"name": None}), "name")
    assert_names_field(client.patch(f"/api/items/{created['id']}", json={"name": ""}), "name")
    assert client.delete(f"/api/items/{created['id']}").status_code == 204

    assert_json(client.get("/no/such/path"), 404)
    # A trailing slash names another resource: a 404 in JSON, never an empty-bodied redirect.
    assert_json(client.post("/api/items/", json={"name": "slash"}), 404)


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


def check_contract(
    client: httpx.Client, checks: Sequence[str] = DATABASE_ONLY, owner: int | None = None
) -> None:
    check_health(client, checks)
    check_items_crud(client, owner)
    check_bad_input(client)
    check_keep_alive_after_unread_bodies(client)
    check_hostile_input(client)
    check_openapi(client)


# --- Hostile input, each answered on a connection that must stay usable -----------------

MAX_BODY_SIZE = 1024 * 1024  # every starter's default
ITEM_METHODS = {"GET", "PATCH", "DELETE"}
COLLECTION_METHODS = {"GET", "POST"}
# Methods a server may add to Allow on its own: HEAD answers like GET, OPTIONS describes.
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b"[" * depth + inner + b"]" * depth


# Bodies that are not strict JSON (RFC 8259): 422 json_invalid at ["body"].
NOT_STRICT_JSON: list[tuple[str, bytes]] = [
    ("number overflowing a double", b'{"name": 1e400}'),
    ("NaN", b'{"name": NaN}'),
    ("negative infinity", b'{"name": -Infinity}'),
    ("lone UTF-16 surrogate", b'{"name": "a\\ud800b"}'),
    ("invalid UTF-8", b'{"name": "caf\xe9"}'),
    ("nesting 100,000 deep", nested(100_000)),
    ("nesting 10,000 deep in a field", b'{"name": ' + nested(10_000) + b"}"),
    ("a 5,000-digit integer", b'{"name": 1' + b"0" * 5000 + b"}"),
    ("truncated", b'{"name": "unterminated'),
    ("empty", b""),
]

# Valid JSON that does not validate: 422 naming the field (or the body as a whole).
INVALID_BODIES: list[tuple[str, bytes, str]] = [
    ("an array", b"[]", "body"),
    ("a string", b'"name"', "body"),
    ("a number", b"1", "body"),
    ("null", b"null", "body"),
    ("true", b"true", "body"),
    ("NUL in the name", b'{"name": "a\\u0000b"}', "name"),
    ("NUL in the description", b'{"name": "a", "description": "\\u0000"}', "description"),
    ("nesting 1,000 deep in a field", b'{"name": ' + nested(1000) + b"}", "name"),
    ("a number as the name", b'{"name": 1e300}', "name"),
    ("an unknown field", b'{"name": "a", "colour": "red"}', "colour"),
]


class KeptAlive:
    """One HTTP/1.1 connection, checked after every answer to be still usable.

    A server may close a connection it announced closing (`Connection: close`) only where the
    contract allows it (413); a silent close fails the next request on it, which is what a
    proxy reusing upstream connections would see.
    """

    def __init__(self, client: httpx.Client) -> None:
        self.host, self.port = client.base_url.host, client.base_url.port
        self.headers = dict(client.headers)
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def close(self) -> None:
        self.connection.close()

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = JSON,
        *,
        chunked: bool = False,
    ) -> tuple[int, dict[str, str], Any]:
        headers = {k: v for k, v in self.headers.items() if k.lower() != "content-type"}
        headers.pop("content-length", None)
        if content_type is not None:
            headers["Content-Type"] = content_type
        payload: Any = body
        if chunked and body is not None:
            payload = (body[i : i + 65536] for i in range(0, len(body), 65536))
        self.connection.request(method, path, body=payload, headers=headers, encode_chunked=chunked)
        response = self.connection.getresponse()
        raw = response.read()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        label = f"{method} {path[:60]} -> {response.status}"
        if response.status != 204:
            assert answer_headers.get("content-type", "").startswith(JSON), (label, raw[:300])
        document = json.loads(raw) if raw else None
        if response.status >= 400:
            assert isinstance(document, dict) and "detail" in document, (label, raw[:300])
        self._check_still_usable(response, label)
        return response.status, answer_headers, document

    def _check_still_usable(self, response: http.client.HTTPResponse, label: str) -> None:
        if response.will_close:
            assert response.status == 413, f"{label}: closed the connection"
            return
        sock = self.connection.sock
        self.connection.request("GET", "/health/live", headers=self.headers)
        follow_up = self.connection.getresponse()
        assert json.loads(follow_up.read()) == {"status": "ok"}, label
        assert self.connection.sock is sock, f"{label}: the connection was not kept"


def assert_invalid(status: int, document: Any, field: str, label: str) -> None:
    assert status == 422, (label, status, document)
    problems = document["detail"]
    assert isinstance(problems, list) and problems, (label, document)
    assert any(
        str(problem["loc"][-1]) == field or (field == "body" and list(problem["loc"]) == ["body"])
        for problem in problems
    ), (label, document)
    for problem in problems:
        assert set(problem) == {"loc", "msg", "type"}, f"{label}: input is not echoed back"


def check_hostile_input(client: httpx.Client) -> None:
    """The hostile classes of the contract, every one a documented 4xx on a kept connection."""
    walk = KeptAlive(client)
    try:
        _, _, item = walk.request("POST", "/api/items", b'{"name": "target"}')
        item_url = f"/api/items/{item['id']}"
        for method, url in (("POST", "/api/items"), ("PATCH", item_url)):
            for label, body in NOT_STRICT_JSON:
                status, _, document = walk.request(method, url, body)
                assert_invalid(status, document, "body", f"{method} {label}")
                assert document["detail"][0]["type"] == "json_invalid", (label, document)
            for label, body, field in INVALID_BODIES:
                status, _, document = walk.request(method, url, body)
                assert_invalid(status, document, field, f"{method} {label}")
            for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
                status, _, _ = walk.request(method, url, b'{"name": "sneaky"}', content_type)
                assert status == 415, (method, content_type, status)
            too_big = b'{"name": "big", "description": "' + b"x" * MAX_BODY_SIZE + b'"}'
            for chunked in (False, True):
                status, _, _ = walk.request(method, url, too_big, chunked=chunked)
                assert status == 413, (method, "chunked" if chunked else "declared", status)
        # None of it changed the item.
        assert walk.request("GET", item_url)[2] == item

        for path, allowed in (("/api/items", COLLECTION_METHODS), (item_url, ITEM_METHODS)):
            for method in {"PUT", "DELETE", "POST", "PATCH", "FOO"} - allowed:
                status, headers, _ = walk.request(method, path, b"{}")
                assert status == 405, (method, path, status)
                allow = {m.strip() for m in headers.get("allow", "").split(",") if m.strip()}
                assert allowed <= allow <= allowed | IMPLICIT_METHODS, (method, path, allow)

        # Unicode digits are not ids: the item whose ASCII id they spell is untouched.
        wide_id = "".join(chr(0xFF10 + int(digit)) for digit in str(item["id"]))
        for method in ITEM_METHODS:
            renamed = b'{"name": "renamed"}' if method == "PATCH" else None
            status, _, _ = walk.request(method, f"/api/items/{quote(wide_id)}", renamed)
            assert status == 404, (method, wide_id, status)
        assert walk.request("GET", item_url)[2] == item

        for query in ("limit=%EF%BC%91", "limit=1e400", "offset=NaN", "offset=%00"):
            status, _, _ = walk.request("GET", f"/api/items?{query}")
            assert status == 422, (query, status)
        assert walk.request("DELETE", item_url)[0] == 204
    finally:
        walk.close()
