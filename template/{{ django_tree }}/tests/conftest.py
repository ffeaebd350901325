"""Shared test helpers.

pytest-django supplies the rest: the `client`, `admin_client` and `settings` fixtures, and a
throw-away test database (see config/settings/test.py).
"""

from typing import Any

import pytest
from django.test import Client

JSON = "application/json"


def create_item(client: Client, **body: object) -> dict[str, Any]:
    response = client.post("/api/items", body, content_type=JSON)
    assert response.status_code == 201, response.content
    item: dict[str, Any] = response.json()
    return item


def send(
    client: Client, method: str, path: str, body: bytes = b"", content_type: str | None = JSON
) -> Any:
    """A request with exactly this body and Content-Type (None: none at all)."""
    # CONTENT_TYPE as well: the test client sets none for an empty body.
    return client.generic(method, path, body, content_type or "", CONTENT_TYPE=content_type or "")


def error_fields(response: Any) -> set[str]:
    """The fields a 422 response names: the last part of each error's `loc`."""
    assert response.status_code == 422, response.content
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


@pytest.fixture
def crash_client() -> Client:
    """A client that gets the 500 response instead of the view's exception."""
    return Client(raise_request_exception=False)
