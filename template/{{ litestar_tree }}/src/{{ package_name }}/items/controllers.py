"""The items API: a Litestar controller over the item service."""

from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from ..http.errors import INVALID, NOT_FOUND, UNAVAILABLE, WITH_BODY
from ..http.gate import MAX_ID
from ..http.json import require_json_body
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


async def provide_item_writer(
    state: State, db_session: NamedDependency[AsyncSession]
) -> AsyncIterator[ItemService]:
    """An item service on the request's session from the advanced-alchemy plugin.

    The service commits each write before the handler returns, so a failed commit is an
    error answer, never a 2xx; the session is closed (its connection returned to the pool)
    before the turn passes to the next request.
    """
    async with state.connection_queue.turn():
        try:
            yield ItemService(session=db_session)
        finally:
            await db_session.close()


READER = {"reader": Provide(provide_item_reader)}
WRITER = {"writer": Provide(provide_item_writer)}

ItemId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
# The gate (http/gate.py) lets only ASCII digits through as ids; query numbers are checked
# by msgspec, which refuses anything but an integer's plain digits.
Limit = Annotated[int, Parameter(ge=1, le=100)]
Offset = Annotated[int, Parameter(ge=0, le=MAX_ID)]


class ItemController(Controller):
    path = ITEMS_PATH
    tags = ("items",)

    @get(dependencies=READER, responses={**INVALID, **UNAVAILABLE})
    async def list_items(
        self, reader: NamedDependency[ItemService], limit: Limit = 20, offset: Offset = 0
    ) -> ItemPage:
        items, total = await reader.page(limit=limit, offset=offset)
        return ItemPage(items=[ItemRead.of(item) for item in items], total=total)

    @post(
        dependencies=WRITER,
        before_request=require_json_body,
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
        before_request=require_json_body,
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
