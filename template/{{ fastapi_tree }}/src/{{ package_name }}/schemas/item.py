"""The items API's request and response bodies."""

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Protocol

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    TypeAdapter,
    field_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import WithJsonSchema

from ..core.timestamps import format_timestamp
from ..models.item import NAME_MAX_LENGTH

DESCRIPTION_MAX_LENGTH = 2000

# The OpenAPI document states these rules as they are checked, so that what it says is valid
# is exactly what the API accepts: the limits apply to the text as sent. A name has something
# besides spaces, tabs and line breaks, and those are trimmed after the checks (the same
# characters in every stackpick starter, spelled out because `\s` means different sets of
# characters to different regular expression engines).
# NUL is refused: PostgreSQL cannot store it in text, and no client means to send it.
BLANK = " \t\n\r"
ItemName = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=NAME_MAX_LENGTH, pattern=r"^[^\x00]*[^\x00 \t\n\r][^\x00]*$"
    ),
    AfterValidator(lambda name: name.strip(BLANK)),
]
ItemDescription = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH, pattern=r"^[^\x00]*$")
]
REQUEST_RULES = ConfigDict(extra="forbid")  # unknown fields are refused
NAME_SCHEMA = TypeAdapter(ItemName).json_schema()


def _no_default(schema: JsonDict) -> None:
    schema.pop("default", None)


class ItemCreate(BaseModel):
    model_config = REQUEST_RULES

    name: ItemName
    description: ItemDescription | None = None


class ItemUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    model_config = REQUEST_RULES

    # Optional but not nullable: leaving `name` out keeps it, sending null is refused (below).
    # None only marks "not sent", so the document shows a name's own schema: no null, no default.
    name: Annotated[ItemName | None, WithJsonSchema(NAME_SCHEMA)] = Field(
        default=None, json_schema_extra=_no_default
    )
    description: ItemDescription | None = None

    @field_validator("name")
    @classmethod
    def _name_is_not_null(cls, name: str | None) -> str:
        if name is None:
            raise ValueError("name cannot be null")
        return name


# Written as `2026-12-02T23:25:00.123456Z` (core/timestamps.py), the one format every
# response uses; pydantic alone would drop a zero fraction. The document still says date-time.
Timestamp = Annotated[
    datetime,
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: Timestamp


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int


class ItemFields(Protocol):
    """What an item's answer is written from: a row of the items table, or an ItemRead."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...


def _item_fields(item: ItemFields) -> dict[str, object]:
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "created_at": format_timestamp(item.created_at),
    }


def item_json(item: ItemFields) -> bytes:
    """An ItemRead as JSON, written straight from the item (the bytes model_dump_json gives)."""
    return orjson.dumps(_item_fields(item))


def item_page_json(items: Iterable[ItemFields], total: int) -> bytes:
    """An ItemPage as JSON, written straight from the items.

    The same bytes as `ItemPage(...).model_dump_json()` (tests/test_items.py compares them).
    The items come from our own database, already of the right types: validating each into
    an ItemRead only to serialise it again would check nothing and cost every list request.
    """
    return orjson.dumps({"items": [_item_fields(item) for item in items], "total": total})
