"""Item use cases, kept apart from HTTP so they can be reused and tested on their own."""

from collections.abc import Sequence

from sqlalchemy import func, select

from ..extensions import db
from .models import Item
from .schemas import ItemCreate, ItemUpdate


class ItemNotFoundError(LookupError):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"Item {item_id} not found")
        self.item_id = item_id


def list_items(*, limit: int, offset: int) -> tuple[Sequence[Item], int]:
    total = db.session.scalar(select(func.count()).select_from(Item))
    items = db.session.scalars(select(Item).order_by(Item.id).limit(limit).offset(offset))
    return items.all(), total or 0


def get_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None:
        raise ItemNotFoundError(item_id)
    return item


def create_item(data: ItemCreate) -> Item:
    item = Item(**data)
    db.session.add(item)
    db.session.commit()
    return item


def update_item(item_id: int, changes: ItemUpdate) -> Item:
    item = get_item(item_id)
    for field, value in changes.items():
        setattr(item, field, value)
    db.session.commit()
    return item


def delete_item(item_id: int) -> None:
    db.session.delete(get_item(item_id))
    db.session.commit()
