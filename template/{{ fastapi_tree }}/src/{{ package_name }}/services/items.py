"""Item use cases, kept apart from HTTP so they can be reused and tested on their own."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.item import Item
from ..schemas.item import ItemCreate, ItemUpdate


class ItemNotFoundError(LookupError):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"Item {item_id} not found")
        self.item_id = item_id


async def list_items(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[Sequence[Item], int]:
    total = await session.scalar(select(func.count()).select_from(Item))
    items = await session.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
    return items.all(), total or 0


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
