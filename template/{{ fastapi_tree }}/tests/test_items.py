from datetime import UTC, datetime, timedelta

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def create(client: httpx.AsyncClient, **body: object) -> dict[str, object]:
    response = await client.post("/api/items", json=body)
    assert response.status_code == 201, response.text
    item: dict[str, object] = response.json()
    return item


async def test_create_read_update_delete(client: httpx.AsyncClient) -> None:
    created = await create(client, name="  Widget  ", description="A useful widget")
    assert created["name"] == "Widget"  # surrounding whitespace is trimmed
    assert created["description"] == "A useful widget"
    assert isinstance(created["id"], int)
    created_at = datetime.fromisoformat(str(created["created_at"]))
    assert created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=1)

    url = f"/api/items/{created['id']}"
    assert (await client.get(url)).json() == created

    response = await client.patch(url, json={"description": "Now blue"})
    assert response.status_code == 200
    assert response.json() == {**created, "description": "Now blue"}

    response = await client.patch(url, json={"name": "Gadget", "description": None})
    assert response.json() == {**created, "name": "Gadget", "description": None}

    response = await client.delete(url)
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(url)).status_code == 404


async def test_list_pages_with_total(client: httpx.AsyncClient) -> None:
    ids = [(await create(client, name=f"item {n}"))["id"] for n in range(5)]
    response = await client.get("/api/items", params={"limit": 2, "offset": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 5
    assert [item["id"] for item in body["items"]] == ids[1:3]

    everything = (await client.get("/api/items")).json()
    assert [item["name"] for item in everything["items"]] == [f"item {n}" for n in range(5)]
    past_the_end = (await client.get("/api/items", params={"offset": 50})).json()
    assert past_the_end == {"items": [], "total": 5}


async def test_unicode_round_trips(client: httpx.AsyncClient) -> None:
    created = await create(client, name="Café ☕ 東京 🚀", description="naïve — “quoted”")
    fetched = (await client.get(f"/api/items/{created['id']}")).json()
    assert fetched["name"] == "Café ☕ 東京 🚀"
    assert fetched["description"] == "naïve — “quoted”"


async def test_missing_items_are_404_json(client: httpx.AsyncClient) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(method, "/api/items/999999", json={"name": "x"})
        assert response.status_code == 404, method
        assert response.json() == {"detail": "Item 999999 not found"}


def error_fields(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


@pytest.mark.parametrize(
    ("sent", "stored"),
    [(" \t\nWidget\r\n", "Widget"), ("a\nb", "a\nb"), ("\u00a0x\u3000", "\u00a0x\u3000")],
)
async def test_names_are_trimmed_of_spaces_tabs_and_line_breaks(
    client: httpx.AsyncClient, sent: str, stored: str
) -> None:
    """Only those: other kinds of space are part of the name, as in every stackpick starter."""
    assert (await create(client, name=sent))["name"] == stored


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": " " + "x" * 100}, "name"),  # limits count the name as sent
        ({"name": " \t\r\n"}, "name"),
        ({"name": 42}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"name": "ok", "description": "d" * 2001}, "description"),
        ({"name": "ok", "colour": "red"}, "colour"),
    ],
)
async def test_invalid_bodies_name_the_field(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    assert field in error_fields(await client.post("/api/items", json=body))


async def test_patch_refuses_null_name(client: httpx.AsyncClient) -> None:
    created = await create(client, name="keep")
    response = await client.patch(f"/api/items/{created['id']}", json={"name": None})
    assert "name" in error_fields(response)


async def test_broken_json_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/items", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    "item_id", ["abc", "0", "-1", "1.5", str(2**31), str(2**64), "9" * 5000, "0" * 11]
)
async def test_what_is_not_an_id_is_no_such_path(client: httpx.AsyncClient, item_id: str) -> None:
    """404 whatever the method or body: nothing can be found, changed or deleted there."""
    for method in ("GET", "PATCH", "DELETE", "POST", "PUT"):
        response = await client.request(
            method, f"/api/items/{item_id}", content=b"x", headers={"content-type": "text/plain"}
        )
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"}), method


async def test_ids_may_have_leading_zeros(client: httpx.AsyncClient) -> None:
    created = await create(client, name="zero-padded")
    assert (await client.get(f"/api/items/000{created['id']}")).json() == created
    assert (await client.get(f"/api/items/{2**31 - 1}")).status_code == 404


async def test_a_body_is_checked_before_the_item_is_looked_up(client: httpx.AsyncClient) -> None:
    assert "name" in error_fields(await client.patch("/api/items/987654", json={"name": ""}))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"offset": str(2**63)}, "offset"),
    ],
)
async def test_bad_paging_is_422(
    client: httpx.AsyncClient, params: dict[str, str | int], field: str
) -> None:
    assert field in error_fields(await client.get("/api/items", params=params))
