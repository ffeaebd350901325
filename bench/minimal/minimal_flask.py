"""The Flask reference point: the starter's stack in one file, nothing else.

Flask with Flask-SQLAlchemy on psycopg 3, a pool as large as the worker's thread count,
served by granian with the starter's threads; no config classes, no flask-smorest
validation or OpenAPI, no service layer.
"""

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String, Text, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


# As the starter: the created row is returned from memory, not re-read after the commit.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def as_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "created_at": item.created_at.isoformat(),
    }


app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"].replace(
    "postgresql://", "postgresql+psycopg://", 1
)
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
    "pool_size": int(os.environ.get("WEB_THREADS", "4")),
    "max_overflow": 0,
}
db.init_app(app)


@app.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/items")
def list_items() -> dict[str, Any]:
    limit = request.args.get("limit", 20, type=int)
    offset = request.args.get("offset", 0, type=int)
    total = db.session.scalar(select(func.count()).select_from(Item))
    items = db.session.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
    return {"items": [as_json(item) for item in items], "total": total}


@app.post("/api/items")
def create_item() -> tuple[dict[str, Any], int]:
    data = request.get_json()
    item = Item(
        name=data["name"], description=data.get("description"), created_at=datetime.now(UTC)
    )
    db.session.add(item)
    db.session.commit()
    return as_json(item), 201
