"""Item use cases on advanced-alchemy's repository and service, kept apart from HTTP."""

from advanced_alchemy.filters import LimitOffset, OrderBy
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from ..models.item import Item
from .schemas import ItemCreate, ItemUpdate


class ItemRepository(SQLAlchemyAsyncRepository[Item]):
    model_type = Item


class ItemService(SQLAlchemyAsyncRepositoryService[Item, ItemRepository]):
    """Reads and writes items.

    Writes commit before the handler returns, so a commit that fails is answered as an error,
    never as a 2xx. Nothing is refreshed after a commit: the session keeps its objects as
    saved (expire_on_commit=False), and the database changes nothing the API shows.
    """

    repository_type = ItemRepository

    async def page(self, *, limit: int, offset: int) -> tuple[list[Item], int]:
        """One page of items, oldest first, and how many items there are in all.

        The page and the total come from one statement (a window count over the page), so
        one round trip serves a page. An offset past the end gives no row to carry the count;
        only then is the total counted on its own.
        """
        items, total = await self.repository.get_many_and_count(
            LimitOffset(limit=limit, offset=offset),
            OrderBy(field_name="id", sort_order="asc"),
        )
        if not items and offset > 0:
            total = await self.repository.count()
        return list(items), total

    async def add(self, data: ItemCreate) -> Item:
        item = Item(name=data.name, description=data.description)
        return await self.repository.add(item, auto_commit=True, auto_refresh=False)

    async def change(self, item_id: int, data: ItemUpdate) -> Item:
        item = await self.repository.get(item_id)
        for field, value in data.changes().items():
            setattr(item, field, value)
        await self.repository.session.commit()
        return item

    async def remove(self, item_id: int) -> None:
        await self.repository.delete(item_id, auto_commit=True)
