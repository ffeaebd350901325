"""The Litestar reference point: the starter's stack in one file, nothing else.

Litestar with msgspec bodies, SQLAlchemy 2 ORM on asyncpg with the same pool size, served by
the same server configuration; no settings object, no plugin, no service layer, no exception
handlers.
"""

import os
from datetime import UTC, datetime

import msgspec
from litestar import Litestar, get, post
from sqlalchemy import DateTime, String, Text, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

engine = create_async_engine(
    os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+asyncpg://", 1),
    pool_size=int(os.environ.get("DB_POOL_SIZE", "10")),
    max_overflow=int(os.environ.get("DB_MAX_OVERFLOW", "0")),
)
Session = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
