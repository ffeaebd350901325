"""The FastAPI reference point: the starter's stack in one small app, nothing else.

FastAPI with Pydantic bodies, SQLAlchemy 2 ORM on asyncpg with the same pool size (async_db.py,
shared with the minimal Litestar app), served by the same server configuration; no settings
object, no dependency injection, no service layer, no exception handlers.
"""

from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select

from async_db import Item, Session


class ItemIn(BaseModel):
    name: str
    description: str | None = None


class ItemOut(ItemIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    created_at: datetime


class Page(BaseModel):
    items: list[ItemOut]
    total: int


app = FastAPI()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/items")
async def list_items(limit: int = 20, offset: int = 0) -> Page:
    async with Session() as session:
        total = await session.scalar(select(func.count()).select_from(Item))
        items = await session.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
        return Page(items=[ItemOut.model_validate(item) for item in items], total=total or 0)


@app.post("/api/items", status_code=201)
async def create_item(data: ItemIn) -> ItemOut:
    async with Session.begin() as session:
        item = Item(**data.model_dump(), created_at=datetime.now(UTC))
        session.add(item)
        await session.flush()
        return ItemOut.model_validate(item)
