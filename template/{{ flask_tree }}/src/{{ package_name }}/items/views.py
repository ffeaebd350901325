"""The items blueprint: HTTP in, validated by the schemas; services do the work."""

from http import HTTPStatus

from flask import Response, jsonify
from flask.typing import ResponseReturnValue
from flask.views import MethodView

from ..errors import documented_errors
from ..extensions import Blueprint
from . import services
from .models import Item
from .schemas import (
    ItemCreate,
    ItemCreateSchema,
    ItemPageSchema,
    ItemSchema,
    ItemUpdate,
    ItemUpdateSchema,
    PageQuery,
    PageQuerySchema,
    item_page_body,
)

blp = Blueprint("items", __name__, url_prefix="/api/items", description="The example resource")

# Anything but an id (ASCII digits, 1..2**31-1) matches no route: 404, never a database error.
ITEM_URL = "/<id:item_id>"

# The errors each operation can answer besides 422 (documented with its arguments): the
# database may be unreachable (503), an id may match no item (404), and a JSON body may be too
# large (413) or not JSON at all (415).
NOT_FOUND, TOO_LARGE, UNSUPPORTED, UNAVAILABLE = (
    HTTPStatus.NOT_FOUND,
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    HTTPStatus.SERVICE_UNAVAILABLE,
)


@blp.errorhandler(services.ItemNotFoundError)
def item_not_found(error: services.ItemNotFoundError) -> ResponseReturnValue:
    return {"detail": str(error)}, HTTPStatus.NOT_FOUND


@blp.route("")
class Items(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(HTTPStatus.OK, ItemPageSchema)
    @blp.doc(responses=documented_errors(UNAVAILABLE))
    def get(self, page: PageQuery) -> Response:
        """List items by id, a page at a time."""
        items = services.list_items(limit=page["limit"], offset=page["offset"])
        # A Response passes through flask-smorest as it is: written once, by item_page_body.
        return jsonify(item_page_body(items))

    @blp.arguments(ItemCreateSchema)
    @blp.response(HTTPStatus.CREATED, ItemSchema)
    @blp.doc(responses=documented_errors(TOO_LARGE, UNSUPPORTED, UNAVAILABLE))
    def post(self, data: ItemCreate) -> Item:
        """Create an item."""
        return services.create_item(data)


@blp.route(ITEM_URL)
class ItemById(MethodView):
    @blp.response(HTTPStatus.OK, ItemSchema)
    @blp.doc(responses=documented_errors(NOT_FOUND, UNAVAILABLE))
    def get(self, item_id: int) -> Item:
        """Read an item."""
        return services.read_item(item_id)

    @blp.arguments(ItemUpdateSchema)
    @blp.response(HTTPStatus.OK, ItemSchema)
    @blp.doc(responses=documented_errors(NOT_FOUND, TOO_LARGE, UNSUPPORTED, UNAVAILABLE))
    def patch(self, changes: ItemUpdate, item_id: int) -> Item:
        """Change the fields sent; leave the others as they are."""
        return services.update_item(item_id, changes)

    @blp.response(HTTPStatus.NO_CONTENT)
    @blp.doc(responses=documented_errors(NOT_FOUND, UNAVAILABLE))
    def delete(self, item_id: int) -> Response:
        """Delete an item."""
        services.delete_item(item_id)
        # No content, so no Content-Type either (a JSON answer would label the empty body).
        answer = Response(status=HTTPStatus.NO_CONTENT)
        del answer.headers["Content-Type"]
        return answer
