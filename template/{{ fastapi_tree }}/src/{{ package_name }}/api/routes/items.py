"""The example resource: CRUD over items."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BeforeValidator
from starlette.routing import Match
from starlette.types import Scope

from ...schemas.item import ItemCreate, ItemPage, ItemRead, ItemUpdate, item_page_json
from ...services import items as service
from ..deps import ReadSessionDep, SessionDep
from ..errors import error_responses
from ..ids import MAX_ID, is_id
from ..routing import JSONBodyRoute


class ItemRoute(JSONBodyRoute):
    """A route whose `{item_id}` matches only an id: any other segment is no such path (404).

    `abc`, `0` or an id out of range cannot name an item, whatever the method or body: the
    answer is the 404 of an unknown path, as in every stackpick starter, rather than a 405,
    415 or 422 about a request for something that does not exist.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        item_id = child_scope.get("path_params", {}).get("item_id")
        if match is not Match.NONE and item_id is not None and not is_id(item_id):
            return Match.NONE, {}
        return match, child_scope


router = APIRouter(prefix="/items", tags=["items"], route_class=ItemRoute)


def ascii_digits(value: object) -> object:
    # pydantic reads "+5", " 5", "5.0" and "5_000" as the number 5: in a URL they would all
    # reach item 5. Only plain ASCII digits are numbers here.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be written with the digits 0-9 only")
    return value


# Placed after Path() and Query(): before them, their limits drop out of the OpenAPI document.
ASCII_DIGITS = BeforeValidator(ascii_digits)
# ItemRoute lets only ids through; the limits here describe them in the OpenAPI document.
ItemId = Annotated[int, Path(ge=1, le=MAX_ID), ASCII_DIGITS]

# The statuses each kind of operation can answer besides its success and 422.
READ = error_responses(status.HTTP_503_SERVICE_UNAVAILABLE)
ONE_ITEM = error_responses(status.HTTP_404_NOT_FOUND, status.HTTP_503_SERVICE_UNAVAILABLE)
WITH_BODY = error_responses(
    status.HTTP_413_CONTENT_TOO_LARGE,
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    status.HTTP_503_SERVICE_UNAVAILABLE,
)
ONE_ITEM_WITH_BODY = {**ONE_ITEM, **WITH_BODY}


# Answered with the JSON written from the rows (schemas/item.py); response_model documents it.
@router.get("", response_model=ItemPage, responses=READ)
async def list_items(
    session: ReadSessionDep,
    limit: Annotated[int, Query(ge=1, le=100), ASCII_DIGITS] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID), ASCII_DIGITS] = 0,
) -> Response:
    items, total = await service.list_items(session, limit=limit, offset=offset)
    return Response(item_page_json(items, total), media_type="application/json")


@router.post("", status_code=status.HTTP_201_CREATED, responses=WITH_BODY)
async def create_item(session: SessionDep, data: ItemCreate) -> ItemRead:
    return ItemRead.model_validate(await service.create_item(session, data))


@router.get("/{item_id}", responses=ONE_ITEM)
async def get_item(session: ReadSessionDep, item_id: ItemId) -> ItemRead:
    return ItemRead.model_validate(await service.get_item(session, item_id))


@router.patch("/{item_id}", responses=ONE_ITEM_WITH_BODY)
async def update_item(session: SessionDep, item_id: ItemId, data: ItemUpdate) -> ItemRead:
    return ItemRead.model_validate(await service.update_item(session, item_id, data))


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE_ITEM)
async def delete_item(session: SessionDep, item_id: ItemId) -> Response:
    await service.delete_item(session, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
