"""The FastAPI reference point: the same stack as the starter, nothing else.

FastAPI, SQLAlchemy 2 async with asyncpg and a pool, Pydantic bodies; no settings object,
no service layer, no exception handlers. Served by the same uvicorn configuration.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine(
    os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+asyncpg://", 1),
    pool_size=5,
    max_overflow=10,
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


class ItemIn(BaseModel):
    name: str
    description: str | None = None


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/items")
async def list_items(limit: int = 20, offset: int = 0) -> dict[str, object]:
    async with engine.connect() as connection:
        total = (await connection.execute(text("SELECT count(*) FROM items"))).scalar_one()
        rows = await connection.execute(
            text(
                "SELECT id, name, description, created_at FROM items ORDER BY id LIMIT :l OFFSET :o"
            ),
            {"l": limit, "o": offset},
        )
        return {"items": [dict(row._mapping) for row in rows], "total": total}


@app.post("/api/items", status_code=201)
async def create_item(item: ItemIn) -> dict[str, object]:
    async with engine.begin() as connection:
        row = await connection.execute(
            text(
                "INSERT INTO items (name, description, created_at) VALUES (:n, :d, :c) "
                "RETURNING id, name, description, created_at"
            ),
            {"n": item.name, "d": item.description, "c": datetime.now(UTC)},
        )
        return dict(row.one()._mapping)
