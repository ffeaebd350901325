"""The example resource: CRUD over items."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from ...schemas.item import ItemCreate, ItemPage, ItemRead, ItemUpdate
from ...services import items as service
from ..deps import SessionDep

router = APIRouter(prefix="/items", tags=["items"])

# Ids are 32-bit integers in every database; larger values can only be "not found".
MAX_ID = 2**31 - 1
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"description": "No item has this id"}
}


@router.get("")
async def list_items(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> ItemPage:
    items, total = await service.list_items(session, limit=limit, offset=offset)
    return ItemPage(items=[ItemRead.model_validate(item) for item in items], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_item(session: SessionDep, data: ItemCreate) -> ItemRead:
    return ItemRead.model_validate(await service.create_item(session, data))


@router.get("/{item_id}", responses=NOT_FOUND)
async def get_item(session: SessionDep, item_id: ItemId) -> ItemRead:
    return ItemRead.model_validate(await service.get_item(session, item_id))


@router.patch("/{item_id}", responses=NOT_FOUND)
async def update_item(session: SessionDep, item_id: ItemId, data: ItemUpdate) -> ItemRead:
    return ItemRead.model_validate(await service.update_item(session, item_id, data))


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
async def delete_item(session: SessionDep, item_id: ItemId) -> Response:
    await service.delete_item(session, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
