"""Item use cases, kept apart from HTTP so they can be reused and tested on their own."""

from sqlalchemy import func, select, true

from ..extensions import db, read_without_transaction
from .models import Item
from .schemas import ItemCreate, ItemPage, ItemUpdate


class ItemNotFoundError(LookupError):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"Item {item_id} not found")
        self.item_id = item_id


def list_items(*, limit: int, offset: int) -> ItemPage:
    """A page of items by id and how many there are in all, from one statement (one snapshot).

    The page is outer-joined to the count, so a page past the end is still one row: the
    total, with nulls for an item. The rows are only written out, never changed, so they are
    read as plain rows rather than Item objects the session would track.
    """
    total = select(func.count().label("total")).select_from(Item).subquery("total")
    page = select(Item).order_by(Item.id).limit(limit).offset(offset).subquery("page")
    statement = (
        select(page, total.c.total).select_from(total.outerjoin(page, true())).order_by(page.c.id)
    )
    rows = read_without_transaction().execute(statement).all()
    return {"items": [row for row in rows if row.id is not None], "total": rows[0].total}


def read_item(item_id: int) -> Item:
    """An item, for a request that only reads it."""
    read_without_transaction()
    return get_item(item_id)


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
