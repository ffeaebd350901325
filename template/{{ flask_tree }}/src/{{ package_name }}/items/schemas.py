"""The items API's request and response bodies (marshmallow), and what loading them gives."""

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NotRequired, TypedDict

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import Row

from ..database import MAX_ID
from ..timestamps import format_timestamp
from .models import NAME_MAX_LENGTH

DESCRIPTION_MAX_LENGTH = 2000

# What the validators below refuse beyond lengths, said in the OpenAPI document's terms so
# clients (and generated tests) see the same rules: no NUL anywhere; a name also needs one
# character besides spaces, tabs and line breaks (the characters it is trimmed of, the same in
# every stackpick starter, spelled out because `\s` means different sets of characters to
# different regular expression engines).
BLANK = " \t\n\r"
NO_NUL = r"^[^\u0000]*$"
NAME_PATTERN = r"^[^\u0000]*[^\u0000 \t\n\r][^\u0000]*$"


def no_nul(value: str) -> None:
    # PostgreSQL cannot store NUL in text, and no client means to send it.
    if "\x00" in value:
        raise ma.ValidationError("NUL characters are not allowed.")


def not_blank(value: str) -> None:
    # An empty name is refused for its length already: one problem, reported once.
    if value and not value.strip(BLANK):
        raise ma.ValidationError("Name must not be blank.")


class TrimmedString(fields.String):
    """A string validated as sent (its limits count what the client sent, as the OpenAPI
    document says), then trimmed of surrounding spaces, tabs and line breaks."""

    def deserialize(
        self,
        value: Any,
        attr: str | None = None,
        data: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        text = super().deserialize(value, attr, data, **kwargs)
        return text.strip(BLANK) if isinstance(text, str) else text


class StrictInteger(fields.Integer):
    """An integer written in ASCII digits: Python's int() also reads "1_000", and digits of
    other scripts (fullwidth, Arabic-Indic...)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> int:
        if isinstance(value, str) and not re.fullmatch(r"-?[0-9]+", value):
            raise self.make_error("invalid")
        result: int = super()._deserialize(value, attr, data, **kwargs)
        return result


class Timestamp(fields.DateTime):
    """Written as `2026-12-02T23:25:00.123456Z` (timestamps.py), the one format every response
    uses; marshmallow's own ISO 8601 writes `+00:00`. Still a DateTime field, so the OpenAPI
    document says date-time."""

    def _serialize(
        self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any
    ) -> str | None:
        return None if value is None else format_timestamp(value)


def name_field(**kwargs: Any) -> TrimmedString:
    return TrimmedString(
        validate=[validate.Length(1, NAME_MAX_LENGTH), no_nul, not_blank],
        metadata={"pattern": NAME_PATTERN},
        **kwargs,
    )


def description_field(**kwargs: Any) -> fields.String:
    return fields.String(
        allow_none=True,
        validate=[validate.Length(max=DESCRIPTION_MAX_LENGTH), no_nul],
        metadata={"pattern": NO_NUL},
        **kwargs,
    )


class ItemSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    created_at = Timestamp(required=True)


class ItemCreateSchema(ma.Schema):
    """Unknown fields are refused (marshmallow's default), as are nulls unless allowed."""

    name = name_field(required=True)
    description = description_field(load_default=None)


class ItemUpdateSchema(ma.Schema):
    """A partial update: only the fields sent are changed; `name` cannot be null."""

    name = name_field()
    description = description_field()


class PageQuerySchema(ma.Schema):
    limit = StrictInteger(load_default=20, validate=validate.Range(1, 100))
    offset = StrictInteger(load_default=0, validate=validate.Range(0, MAX_ID))


class ItemPageSchema(ma.Schema):
    items = fields.List(fields.Nested(ItemSchema), required=True)
    total = fields.Integer(required=True)


class ItemCreate(TypedDict):
    name: str
    description: str | None


class ItemUpdate(TypedDict):
    name: NotRequired[str]
    description: NotRequired[str | None]


class PageQuery(TypedDict):
    limit: int
    offset: int


class ItemPage(TypedDict):
    # Rows with the Item's columns as attributes: id, name, description, created_at.
    items: Sequence[Row[Any]]
    total: int


def item_page_body(page: ItemPage) -> dict[str, Any]:
    """What ItemPageSchema dumps for `page`, written directly.

    A page is the answer whose size grows with the request (up to 100 items), and marshmallow
    looks each field up and runs its serializer for every item. The schema still documents the
    answer; tests/test_items.py checks that the two write the same JSON.
    """
    return {
        "items": [
            {
                "id": row.id,
                "name": row.name,
                "description": row.description,
                "created_at": format_timestamp(row.created_at),
            }
            for row in page["items"]
        ],
        "total": page["total"],
    }
