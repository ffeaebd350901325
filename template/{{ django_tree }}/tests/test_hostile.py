"""Input meant to break the API answers 4xx JSON naming the problem, never a 5xx.

Each class here once answered 500, or did something it should not have, in one starter or
another: bodies that are not strict JSON, wrong content types, oversized bodies, methods the
path does not serve, and ids written in other scripts' digits.
"""

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from pytest_django import Settings

from .conftest import JSON, create_item, error_fields, send

pytestmark = pytest.mark.django_db


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b"[" * depth + inner + b"]" * depth


# Not strict JSON (RFC 8259): 422 json_invalid at ["body"], before any validation.
NOT_STRICT_JSON = {
    "number overflowing a double": b'{"name": 1e400}',
    "NaN": b'{"name": NaN}',
    "Infinity": b'{"name": "x", "description": -Infinity}',
    "lone UTF-16 surrogate": b'{"name": "a\\ud800b"}',
    "invalid UTF-8": b'{"name": "caf\xe9"}',
    "nesting 100,000 deep": nested(100_000),
    "nesting 10,000 deep in a field": b'{"name": ' + nested(10_000) + b"}",
    "a 5,000-digit integer": b'{"name": 1' + b"0" * 5000 + b"}",
    "truncated": b'{"name": "unterminated',
    "empty": b"",
}

# JSON that does not validate: 422 naming the field, or the body as a whole.
INVALID = {
    "an array": (b"[]", "body"),
    "a string": (b'"name"', "body"),
    "a number": (b"1", "body"),
    "null": (b"null", "body"),
    "true": (b"true", "body"),
    "NUL in the name": (b'{"name": "a\\u0000b"}', "name"),
    "NUL in the description": (b'{"name": "a", "description": "\\u0000"}', "description"),
    "nesting 1,000 deep in a field": (b'{"name": ' + nested(1000) + b"}", "name"),
    "a number as the name": (b'{"name": 1e300}', "name"),
    "an unknown field": (b'{"name": "a", "colour": "red"}', "colour"),
}


def assert_problems(response: Any) -> list[dict[str, Any]]:
    """A 422 in the contract's shape: entries with loc, msg and type, nothing else."""
    assert response.status_code == 422, response.content
    problems: list[dict[str, Any]] = response.json()["detail"]
    assert problems
    for problem in problems:
        assert set(problem) == {"loc", "msg", "type"}, problem  # never the input itself
    return problems


@pytest.fixture
def item(client: Client) -> dict[str, Any]:
    return create_item(client, name="target")


def body_targets(item: dict[str, Any]) -> list[tuple[str, str]]:
    return [("POST", "/api/items"), ("PATCH", f"/api/items/{item['id']}")]


@pytest.mark.parametrize("body", NOT_STRICT_JSON.values(), ids=NOT_STRICT_JSON.keys())
def test_bodies_that_are_not_strict_json(client: Client, item: dict[str, Any], body: bytes) -> None:
    for method, path in body_targets(item):
        [problem] = assert_problems(send(client, method, path, body))
        assert problem["loc"] == ["body"]
        assert problem["type"] == "json_invalid"
        assert problem["msg"].startswith("Invalid JSON: ")
    assert client.get(f"/api/items/{item['id']}").json() == item


@pytest.mark.parametrize(("body", "field"), INVALID.values(), ids=INVALID.keys())
def test_json_that_does_not_validate_names_the_field(
    client: Client, item: dict[str, Any], body: bytes, field: str
) -> None:
    for method, path in body_targets(item):
        problems = assert_problems(send(client, method, path, body))
        assert any(p["loc"] == ["body", field] or [field] == p["loc"] for p in problems)
    assert client.get(f"/api/items/{item['id']}").json() == item


def test_validation_errors_never_echo_the_input(client: Client) -> None:
    secret = "<script>echoed</script>"
    for body in ({"name": secret * 10}, {"name": "ok", "description": secret * 300}):
        response = client.post("/api/items", body, content_type=JSON)
        assert_problems(response)
        assert b"echoed" not in response.content


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_bodies_not_declared_json_answer_415(
    client: Client, item: dict[str, Any], content_type: str | None
) -> None:
    for method, path in body_targets(item):
        response = send(client, method, path, b'{"name": "sneaky"}', content_type)
        assert response.status_code == 415, (method, response.content)
        assert response.json() == {"detail": "Content-Type must be application/json"}
    assert client.get(f"/api/items/{item['id']}").json() == item


def test_json_with_parameters_is_json(client: Client) -> None:
    response = send(
        client, "POST", "/api/items", b'{"name": "x"}', "application/json; charset=utf-8"
    )
    assert response.status_code == 201, response.content


def test_the_route_is_matched_before_the_content_type(client: Client, item: dict[str, Any]) -> None:
    assert send(client, "POST", "/no/such/path", b"x", "text/plain").status_code == 404
    response = send(client, "POST", f"/api/items/{item['id']}", b"x", "text/plain")
    assert response.status_code == 405


def test_bodies_over_max_body_size_answer_413(
    client: Client, item: dict[str, Any], settings: Settings
) -> None:
    settings.MAX_BODY_SIZE = 100
    small = b'{"name": "fits"}'
    too_big = b'{"name": "big", "description": "' + b"x" * 100 + b'"}'
    for method, path in body_targets(item):
        response = send(client, method, path, too_big)
        assert response.status_code == 413, response.content
        assert "detail" in response.json()
        assert send(client, method, path, small).status_code in {200, 201}


def test_the_default_limit_is_one_mebibyte(client: Client) -> None:
    description = b"x" * (1024 * 1024)
    response = send(
        client, "POST", "/api/items", b'{"name": "big", "description": "' + description + b'"}'
    )
    assert response.status_code == 413


METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "FOO"}


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/api/items", {"GET", "POST"}), ("/api/items/{id}", {"GET", "PATCH", "DELETE"})],
)
def test_methods_a_path_does_not_serve_answer_405_json(
    client: Client, item: dict[str, Any], path: str, allowed: set[str]
) -> None:
    url = path.format(id=item["id"])
    for method in METHODS - allowed:
        response = send(client, method, url, b"{}")
        assert response.status_code == 405, (method, response.content)
        assert response.json() == {"detail": "Method Not Allowed"}
        allow = {m.strip() for m in response["Allow"].split(",")}
        assert allowed <= allow <= allowed | {"HEAD", "OPTIONS"}, (method, allow)


def test_digits_of_other_scripts_are_not_ids(client: Client, item: dict[str, Any]) -> None:
    """Fullwidth digits spelling an item's id are no id (int() and \\d would say they are)."""
    wide = "".join(chr(0xFF10 + int(digit)) for digit in str(item["id"]))
    for method in ("GET", "PATCH", "DELETE"):
        response = send(client, method, f"/api/items/{quote(wide)}", b'{"name": "renamed"}')
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), method
    assert client.get(f"/api/items/{item['id']}").json() == item


@pytest.mark.parametrize(
    "query",
    ["limit=%EF%BC%91", "limit=1e400", "limit=5.0", "limit=", "offset=NaN", "offset=%00"],
)
def test_paging_accepts_ascii_integers_only(client: Client, query: str) -> None:
    field = query.split("=")[0]
    assert field in error_fields(client.get(f"/api/items?{query}"))
