"""Item use cases, kept apart from HTTP so they can be reused and tested on their own."""

from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, true

from ..extensions import db, read_without_transaction
from .models import Item
from .schemas import ItemCreate, ItemPage, ItemUpdate


class ItemNotFoundError(LookupError):
    def __init__(self, item_id: int) -> None:
        super().__init__(f"Item {item_id} not found")
        self.item_id = item_id


def _list_items_statement() -> Select[Any]:
    """A page of items by id and how many there are in all, as one statement (one snapshot).

    The page is outer-joined to the count, so a page past the end is still one row: the
    total, with nulls for an item. Built once: the page's limit and offset are parameters.
    """
    total = select(func.count().label("total")).select_from(Item).subquery("total")
    page = (
        select(Item)
        .order_by(Item.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("page")
    )
    both = total.outerjoin(page, true())
    return select(page, total.c.total).select_from(both).order_by(page.c.id)


LIST_ITEMS = _list_items_statement()


def list_items(*, limit: int, offset: int) -> ItemPage:
    # Plain rows rather than Item objects: the page is only written out, so the session need
    # not track it.
    rows = read_without_transaction().execute(LIST_ITEMS, {"limit": limit, "offset": offset}).all()
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
