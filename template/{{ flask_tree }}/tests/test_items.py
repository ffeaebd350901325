from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def create(client: FlaskClient, **body: object) -> dict[str, object]:
    response = client.post("/api/items", json=body)
    assert response.status_code == 201, response.text
    item = response.json
    assert isinstance(item, dict)
    return item


def test_create_read_update_delete(client: FlaskClient) -> None:
    created = create(client, name="  Widget  ", description="A useful widget")
    assert created["name"] == "Widget"  # surrounding whitespace is trimmed
    assert created["description"] == "A useful widget"
    assert isinstance(created["id"], int)
    created_at = datetime.fromisoformat(str(created["created_at"]))
    assert created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=1)

    url = f"/api/items/{created['id']}"
    assert client.get(url).json == created

    response = client.patch(url, json={"description": "Now blue"})
    assert response.status_code == 200
    assert response.json == {**created, "description": "Now blue"}

    response = client.patch(url, json={"name": "Gadget", "description": None})
    assert response.json == {**created, "name": "Gadget", "description": None}

    response = client.delete(url)
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(url).status_code == 404


def test_timestamps_are_per_row(client: FlaskClient) -> None:
    first, second = create(client, name="first"), create(client, name="second")
    created = [datetime.fromisoformat(str(item["created_at"])) for item in (first, second)]
    assert created[0] < created[1]


def test_list_pages_with_total(client: FlaskClient) -> None:
    ids = [create(client, name=f"item {n}")["id"] for n in range(5)]
    response = client.get("/api/items", query_string={"limit": 2, "offset": 1})
    assert response.status_code == 200
    body = response.json
    assert body is not None
    assert body["total"] == 5
    assert [item["id"] for item in body["items"]] == ids[1:3]

    everything = client.get("/api/items").json
    assert everything is not None
    assert [item["name"] for item in everything["items"]] == [f"item {n}" for n in range(5)]
    past_the_end = client.get("/api/items", query_string={"offset": 50}).json
    assert past_the_end == {"items": [], "total": 5}


def test_unicode_round_trips(client: FlaskClient) -> None:
    created = create(client, name="Café ☕ 東京 🚀", description="naïve — “quoted”")
    fetched = client.get(f"/api/items/{created['id']}").json
    assert fetched is not None
    assert fetched["name"] == "Café ☕ 東京 🚀"
    assert fetched["description"] == "naïve — “quoted”"


def test_missing_items_are_404_json(client: FlaskClient) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = client.open("/api/items/999999", method=method, json={"name": "x"})
        assert response.status_code == 404, method
        assert response.json == {"detail": "Item 999999 not found"}


def errors(response: TestResponse) -> list[dict[str, object]]:
    """The 422 body's problems, each checked to have FastAPI's shape."""
    assert response.status_code == 422, response.text
    assert response.json is not None
    problems: list[dict[str, object]] = response.json["detail"]
    for problem in problems:
        assert set(problem) == {"loc", "msg", "type"}
        assert isinstance(problem["loc"], list)
        assert isinstance(problem["msg"], str)
        assert isinstance(problem["type"], str)
    return problems


@pytest.mark.parametrize(
    ("body", "loc", "type_"),
    [
        ({}, ["body", "name"], "missing"),
        ({"name": ""}, ["body", "name"], "value_error"),
        ({"name": "   "}, ["body", "name"], "value_error"),
        ({"name": "x" * 101}, ["body", "name"], "value_error"),
        ({"name": 42}, ["body", "name"], "string_type"),
        ({"name": None}, ["body", "name"], "value_error"),
        ({"name": "nul\x00byte"}, ["body", "name"], "value_error"),
        ({"name": "ok", "description": "d" * 2001}, ["body", "description"], "value_error"),
        ({"name": "ok", "description": 7}, ["body", "description"], "string_type"),
        ({"name": "ok", "colour": "red"}, ["body", "colour"], "extra_forbidden"),
        (["not", "an", "object"], ["body"], "model_attributes_type"),
    ],
)
def test_invalid_bodies_name_the_field(
    client: FlaskClient, body: object, loc: list[str], type_: str
) -> None:
    problems = errors(client.post("/api/items", json=body))
    assert {"loc": loc, "type": type_} in [{"loc": p["loc"], "type": p["type"]} for p in problems]


def test_patch_refuses_null_name_and_unknown_fields(client: FlaskClient) -> None:
    url = f"/api/items/{create(client, name='keep')['id']}"
    assert errors(client.patch(url, json={"name": None}))[0]["loc"] == ["body", "name"]
    assert errors(client.patch(url, json={"id": 5}))[0]["loc"] == ["body", "id"]
    assert client.get(url).json is not None
    assert client.patch(url, json={}).status_code == 200  # nothing to change is fine


def test_broken_json_is_422(client: FlaskClient) -> None:
    response = client.post(
        "/api/items", data=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert errors(response) == [
        {"loc": ["body"], "msg": "Invalid JSON body.", "type": "json_invalid"}
    ]
    response = client.post(
        "/api/items", data=b"\xff\xfe", headers={"content-type": "application/json"}
    )
    assert errors(response)[0]["type"] == "json_invalid"


def test_a_body_that_is_not_json_is_refused(client: FlaskClient) -> None:
    response = client.post("/api/items", data="name=x", content_type="text/plain")
    assert errors(response)[0]["loc"] == ["body", "name"]


@pytest.mark.parametrize("item_id", ["abc", "0", "-1", "1.5", str(2**31), str(2**64), "1e3"])
def test_bad_ids_are_404_not_500(client: FlaskClient, item_id: str) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = client.open(f"/api/items/{item_id}", method=method, json={"name": "x"})
        assert response.status_code == 404, method
        assert response.json == {"detail": "Not Found"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"offset": str(2**63)}, "offset"),
        ({"offset": "9" * 5000}, "offset"),
    ],
)
def test_bad_paging_is_422(client: FlaskClient, params: dict[str, str | int], field: str) -> None:
    problems = errors(client.get("/api/items", query_string=params))
    assert [problem["loc"] for problem in problems] == [["query", field]]


def test_unknown_query_parameters_are_ignored(client: FlaskClient) -> None:
    assert client.get("/api/items", query_string={"colour": "red"}).json == {
        "items": [],
        "total": 0,
    }


def test_oversized_bodies_are_413_json(client: FlaskClient) -> None:
    response = client.post("/api/items", json={"name": "x", "description": "d" * 2_000_000})
    assert response.status_code == 413
    assert response.json == {"detail": "Request Entity Too Large"}
