"""The Litestar reference point: the starter's stack in one small app, nothing else.

Litestar with msgspec bodies, SQLAlchemy 2 ORM on asyncpg with the same pool size (async_db.py,
shared with the minimal FastAPI app), served by the same server configuration; no settings
object, no plugin, no service layer, no exception handlers.
"""

from datetime import UTC, datetime

import msgspec
from litestar import Litestar, get, post
from sqlalchemy import func, select

from async_db import Item, Session


class ItemIn(msgspec.Struct):
    name: str
    description: str | None = None


class ItemOut(msgspec.Struct):
    id: int
    name: str
    description: str | None
    created_at: datetime


class Page(msgspec.Struct):
    items: list[ItemOut]
    total: int


def item_out(item: Item) -> ItemOut:
    return ItemOut(item.id, item.name, item.description, item.created_at)


@get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/api/items")
async def list_items(limit: int = 20, offset: int = 0) -> Page:
    async with Session() as session:
        total = await session.scalar(select(func.count()).select_from(Item))
        items = await session.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
        return Page(items=[item_out(item) for item in items], total=total or 0)


@post("/api/items")
async def create_item(data: ItemIn) -> ItemOut:
    async with Session.begin() as session:
        item = Item(name=data.name, description=data.description, created_at=datetime.now(UTC))
        session.add(item)
        await session.flush()
        return item_out(item)


app = Litestar([live, list_items, create_item])
