"""The items blueprint: HTTP in, validated by the schemas; services do the work."""

from http import HTTPStatus

from flask.typing import ResponseReturnValue
from flask.views import MethodView
from flask_smorest import Blueprint

from ..errors import ErrorSchema
from . import services
from .models import Item
from .schemas import (
    MAX_ID,
    ItemCreate,
    ItemCreateSchema,
    ItemPage,
    ItemPageSchema,
    ItemSchema,
    ItemUpdate,
    ItemUpdateSchema,
    PageQuery,
    PageQuerySchema,
)

blp = Blueprint("items", __name__, url_prefix="/api/items", description="The example resource")

# Ids outside 1..MAX_ID (and non-numbers) match no route: 404, never a database error.
ITEM_URL = f"/<int(min=1, max={MAX_ID}):item_id>"
not_found = blp.alt_response(
    HTTPStatus.NOT_FOUND, schema=ErrorSchema, description="No item has this id"
)


@blp.errorhandler(services.ItemNotFoundError)
def item_not_found(error: services.ItemNotFoundError) -> ResponseReturnValue:
    return {"detail": str(error)}, HTTPStatus.NOT_FOUND


@blp.route("")
class Items(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(HTTPStatus.OK, ItemPageSchema)
    def get(self, page: PageQuery) -> ItemPage:
        """List items by id, a page at a time."""
        items, total = services.list_items(limit=page["limit"], offset=page["offset"])
        return {"items": items, "total": total}

    @blp.arguments(ItemCreateSchema)
    @blp.response(HTTPStatus.CREATED, ItemSchema)
    def post(self, data: ItemCreate) -> Item:
        """Create an item."""
        return services.create_item(data)


@blp.route(ITEM_URL)
class ItemById(MethodView):
    @blp.response(HTTPStatus.OK, ItemSchema)
    @not_found
    def get(self, item_id: int) -> Item:
        """Read an item."""
        return services.get_item(item_id)

    @blp.arguments(ItemUpdateSchema)
    @blp.response(HTTPStatus.OK, ItemSchema)
    @not_found
    def patch(self, changes: ItemUpdate, item_id: int) -> Item:
        """Change the fields sent; leave the others as they are."""
        return services.update_item(item_id, changes)

    @blp.response(HTTPStatus.NO_CONTENT)
    @not_found
    def delete(self, item_id: int) -> None:
        """Delete an item."""
        services.delete_item(item_id)
