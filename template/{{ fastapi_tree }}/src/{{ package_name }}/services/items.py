"""Item use cases, kept apart from HTTP so they can be reused and tested on their own."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Row, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.item import Item
from ..schemas.item import ItemCreate, ItemUpdate


class ItemNotFoundError(LookupError):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"Item {item_id} not found")
        self.item_id = item_id


# A page and the total, in one query: the page of items outer-joined to the count of all of
# them. One query is one round trip, and the page and the total always agree, even with no
# transaction around the read. Joining the page to the count, rather than counting over the
# page (a window count), keeps the total when the page is empty: an offset past the end
# still gives one row, which carries the total and no item. Built once; only limit and
# offset vary per request.
_items = Item.__table__
_page = (
    select(_items)
    .order_by(_items.c.id)
    .limit(bindparam("limit", type_=Integer))
    .offset(bindparam("offset", type_=Integer))
    .subquery("page")
)
_total = select(func.count().label("total")).select_from(_items).subquery("total")
PAGE_WITH_TOTAL = (
    select(_total.c.total, _page).select_from(_total.outerjoin(_page, true())).order_by(_page.c.id)
)


async def list_items(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[Sequence[Row[Any]], int]:
    """One page of items, oldest first, and how many items there are in all.

    The items are rows of the item columns (`id`, `name`, ...), ready to be written out
    as they are: nothing on this path changes them, so no model instances are built.
    """
    result = await session.execute(PAGE_WITH_TOTAL, {"limit": limit, "offset": offset})
    rows = result.all()
    total: int = rows[0].total
    return (rows if rows[0].id is not None else ()), total


_ONE_ITEM = select(_items).where(_items.c.id == bindparam("item_id", type_=Integer))


async def read_item(session: AsyncSession, item_id: int) -> Row[Any]:
    """One item as a row of the item columns, to be written out as it is (as the list's)."""
    row = (await session.execute(_ONE_ITEM, {"item_id": item_id})).one_or_none()
    if row is None:
        raise ItemNotFoundError(item_id)
    return row


async def get_item(session: AsyncSession, item_id: int) -> Item:
    item = await session.get(Item, item_id)
    if item is None:
        raise ItemNotFoundError(item_id)
    return item


async def create_item(session: AsyncSession, data: ItemCreate) -> Item:
    item = Item(**data.model_dump())
    session.add(item)
    await session.flush()  # assigns the id; the request's session commits
    return item


async def update_item(session: AsyncSession, item_id: int, data: ItemUpdate) -> Item:
    item = await get_item(session, item_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    await session.flush()
    return item


async def delete_item(session: AsyncSession, item_id: int) -> None:
    item = await get_item(session, item_id)
    await session.delete(item)
    await session.flush()
