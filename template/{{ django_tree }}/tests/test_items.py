from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from .conftest import JSON, create_item, error_fields

pytestmark = pytest.mark.django_db


def test_create_read_update_delete(client: Client) -> None:
    created = create_item(client, name="  Widget  ", description="A useful widget")
    assert created["name"] == "Widget"  # surrounding whitespace is trimmed
    assert created["description"] == "A useful widget"
    assert isinstance(created["id"], int)
    created_at = datetime.fromisoformat(created["created_at"])
    assert created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=1)

    url = f"/api/items/{created['id']}"
    response = client.get(url)
    assert response.json() == created
    # JSON is UTF-8 by definition: no charset parameter, as in every stackpick starter.
    assert response["Content-Type"] == "application/json"

    response = client.patch(url, {"description": "Now blue"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json() == {**created, "description": "Now blue"}

    response = client.patch(url, {"name": "Gadget", "description": None}, content_type=JSON)
    assert response.json() == {**created, "name": "Gadget", "description": None}

    response = client.delete(url)
    assert response.status_code == 204
    assert response.content == b""
    assert not response.has_header("Content-Type")  # no content, so no type either
    assert client.get(url).status_code == 404


def test_description_is_optional(client: Client) -> None:
    assert create_item(client, name="Plain")["description"] is None


def test_list_pages_with_total(client: Client) -> None:
    ids = [create_item(client, name=f"item {n}")["id"] for n in range(5)]
    response = client.get("/api/items", {"limit": 2, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 5
    assert [item["id"] for item in body["items"]] == ids[1:3]

    everything = client.get("/api/items").json()
    assert [item["name"] for item in everything["items"]] == [f"item {n}" for n in range(5)]
    past_the_end = client.get("/api/items", {"offset": 50}).json()
    assert past_the_end == {"items": [], "total": 5}


def test_list_defaults_to_twenty(client: Client) -> None:
    for n in range(21):
        create_item(client, name=f"item {n}")
    body = client.get("/api/items").json()
    assert (len(body["items"]), body["total"]) == (20, 21)


def test_unicode_round_trips(client: Client) -> None:
    created = create_item(client, name="Café ☕ 東京 🚀", description="naïve — “quoted”")
    fetched = client.get(f"/api/items/{created['id']}").json()
    assert fetched["name"] == "Café ☕ 東京 🚀"
    assert fetched["description"] == "naïve — “quoted”"


def test_missing_items_are_404_json(client: Client) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = client.generic(method, "/api/items/999999", '{"name": "x"}', JSON)
        assert response.status_code == 404, method
        assert response.json() == {"detail": "Item 999999 not found"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": 42}, "name"),
        ({"name": None}, "name"),
        ({"name": {"first": "x"}}, "name"),
        ({"name": "x" + " " * 100}, "name"),  # limits count the name as sent, then it is trimmed
        ({"name": "nul\x00byte"}, "name"),
        ({"name": "ok", "description": "d" * 2001}, "description"),
        ({"name": "ok", "description": "nul\x00byte"}, "description"),
        ({"name": "ok", "colour": "red"}, "colour"),
        ({"name": "ok", "id": 7}, "id"),
    ],
)
def test_invalid_bodies_name_the_field(client: Client, body: dict[str, object], field: str) -> None:
    response = client.post("/api/items", body, content_type=JSON)
    assert field in error_fields(response)
    error = response.json()["detail"][0]
    assert error["loc"][0] == "body"
    assert error["msg"] and error["type"]


def test_validation_errors_have_fastapis_shape(client: Client) -> None:
    response = client.post("/api/items", {}, content_type=JSON)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "name"]
    assert {"loc", "msg", "type"} <= set(error)


def test_patch_refuses_null_name(client: Client) -> None:
    created = create_item(client, name="keep")
    response = client.patch(f"/api/items/{created['id']}", {"name": None}, content_type=JSON)
    assert "name" in error_fields(response)


@pytest.mark.parametrize(
    "item_id",
    ["abc", "0", "-1", "1.5", "1.0", "+1", "1_0", str(2**31), str(2**64), "9" * 5000, "0" * 11],
)
def test_what_is_not_an_id_is_no_such_url(client: Client, item_id: str) -> None:
    """Only ASCII digits for 1..2**31-1 are ids: any other spelling is a 404, whatever the
    method or body, and reaches no item."""
    kept = [create_item(client, name=f"item {n}") for n in range(10)]
    for method in ("GET", "PATCH", "DELETE", "POST", "PUT"):
        response = client.generic(method, f"/api/items/{item_id}", "x", "text/plain")
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), method
    assert client.get("/api/items").json()["items"] == kept


def test_ids_may_have_leading_zeros(client: Client) -> None:
    created = create_item(client, name="zero-padded")
    assert client.get(f"/api/items/000{created['id']}").json() == created
    assert client.get(f"/api/items/{2**31 - 1}").json() == {"detail": f"Item {2**31 - 1} not found"}


def test_a_body_is_checked_before_the_item_is_looked_up(client: Client) -> None:
    response = client.patch("/api/items/987654", {"name": ""}, content_type=JSON)
    assert "name" in error_fields(response)


def test_one_422_lists_every_problem(client: Client) -> None:
    response = client.post("/api/items", {"name": "", "colour": "red"}, content_type=JSON)
    assert error_fields(response) == {"name", "colour"}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [(" \t\nWidget\r\n", "Widget"), ("a\nb", "a\nb"), ("\u00a0x\u3000", "\u00a0x\u3000")],
)
def test_names_are_trimmed_of_spaces_tabs_and_line_breaks(
    client: Client, sent: str, stored: str
) -> None:
    """Only those: other kinds of space are part of the name, as in every stackpick starter."""
    assert create_item(client, name=sent)["name"] == stored


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "1.5"}, "offset"),
        ({"offset": str(2**31)}, "offset"),
    ],
)
def test_bad_paging_is_422(client: Client, params: dict[str, str | int], field: str) -> None:
    response = client.get("/api/items", params)
    assert field in error_fields(response)
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_huge_offset_is_an_empty_page(client: Client) -> None:
    create_item(client, name="only")
    body = client.get("/api/items", {"offset": 2**31 - 1}).json()
    assert body == {"items": [], "total": 1}
