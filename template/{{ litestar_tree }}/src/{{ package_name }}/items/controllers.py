"""The items API: a Litestar controller over the item service."""

from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException
from litestar.params import JSONBody, Parameter

from ..http.errors import INVALID, NOT_FOUND, UNAVAILABLE, WITH_BODY
from ..http.ids import MAX_ID
from ..http.json import json_body
from .schemas import ItemCreate, ItemPage, ItemRead, ItemUpdate
from .services import ItemService

ITEMS_PATH = "/api/items"


async def provide_item_reader(state: State) -> AsyncIterator[ItemService]:
    """An item service for a request that only reads: nothing to commit, so nothing is.

    Its session comes from the read session factory (db/session.py): on PostgreSQL its query
    runs without BEGIN ... COMMIT around it. Requests take the pool's connections in turn
    (ConnectionQueue), and the connection goes back before the response is sent.
    """
    async with state.connection_queue.turn(), state.read_session_factory() as session:
        yield ItemService(session=session)


async def provide_item_writer(state: State) -> AsyncIterator[ItemService]:
    """An item service for a request that writes, on a session of its own.

    The service commits each write before the handler returns, so a failed commit is an
    error answer, never a 2xx; the session is closed (its connection returned to the pool)
    before the turn passes to the next request.
    """
    async with state.connection_queue.turn(), state.session_factory() as session:
        yield ItemService(session=session)


READER = {"reader": Provide(provide_item_reader)}
WRITER = {"writer": Provide(provide_item_writer)}

ItemId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
# Paging numbers arrive as text and are read by `whole_number`: msgspec would accept `1.0`
# and refuse `05`, where every stackpick starter reads ASCII digits, leading zeros allowed.
# The document still says what they are: integers in their range.
Limit = Annotated[
    str, Parameter(schema_extra={"type": "integer", "minimum": 1, "maximum": 100, "default": 20})
]
Offset = Annotated[
    str, Parameter(schema_extra={"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0})
]


def whole_number(text: str, low: int, high: int) -> int | None:
    """`text` as a number in low..high written with ASCII digits, or None."""
    digits = text.lstrip("0")
    # The length is checked before int(): Python refuses strings of thousands of digits.
    digits_only = text.isascii() and text.isdigit() and len(digits) <= len(str(high))
    if digits_only and low <= (number := int(digits or "0")) <= high:
        return number
    return None


def paging(limit: str, offset: str) -> tuple[int, int]:
    """The page asked for; a 422 naming each paging number that is not one."""
    numbers = (
        ("limit", whole_number(limit, 1, 100), "1 to 100"),
        ("offset", whole_number(offset, 0, MAX_ID), f"0 to {MAX_ID}"),
    )
    problems = [
        {"key": name, "source": "query", "message": f"must be a whole number from {bounds}"}
        for name, value, bounds in numbers
        if value is None
    ]
    page_limit, page_offset = (value for _, value, _ in numbers)
    if problems or page_limit is None or page_offset is None:
        raise ValidationException("Invalid paging", extra=problems)
    return page_limit, page_offset


class ItemController(Controller):
    path = ITEMS_PATH
    tags = ("items",)

    @get(dependencies=READER, responses={**INVALID, **UNAVAILABLE})
    async def list_items(
        self, reader: NamedDependency[ItemService], limit: Limit = "20", offset: Offset = "0"
    ) -> ItemPage:
        page_limit, page_offset = paging(limit, offset)
        items, total = await reader.page(limit=page_limit, offset=page_offset)
        return ItemPage(items=[ItemRead.of(item) for item in items], total=total)

    @post(
        dependencies=WRITER,
        before_request=json_body(ItemCreate),
        responses={**INVALID, **WITH_BODY, **UNAVAILABLE},
    )
    async def create_item(
        self, writer: NamedDependency[ItemService], data: JSONBody[ItemCreate]
    ) -> ItemRead:
        return ItemRead.of(await writer.add(data))

    @get("/{item_id:int}", dependencies=READER, responses={**INVALID, **NOT_FOUND, **UNAVAILABLE})
    async def get_item(self, reader: NamedDependency[ItemService], item_id: ItemId) -> ItemRead:
        return ItemRead.of(await reader.get(item_id))

    @patch(
        "/{item_id:int}",
        dependencies=WRITER,
        before_request=json_body(ItemUpdate),
        responses={**INVALID, **NOT_FOUND, **WITH_BODY, **UNAVAILABLE},
    )
    async def update_item(
        self, writer: NamedDependency[ItemService], item_id: ItemId, data: JSONBody[ItemUpdate]
    ) -> ItemRead:
        return ItemRead.of(await writer.change(item_id, data))

    @delete(
        "/{item_id:int}", dependencies=WRITER, responses={**INVALID, **NOT_FOUND, **UNAVAILABLE}
    )
    async def delete_item(self, writer: NamedDependency[ItemService], item_id: ItemId) -> None:
        await writer.remove(item_id)
