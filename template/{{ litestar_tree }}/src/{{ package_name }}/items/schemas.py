"""The items API's request and response bodies, as msgspec structs.

Litestar validates request bodies against these and writes responses from them with msgspec,
and documents both in the OpenAPI document from the same definitions.
"""

from typing import Annotated, Self

import msgspec
from litestar.params import KwargDefinition

from ..core.timestamps import format_timestamp
from ..models.item import NAME_MAX_LENGTH, Item

DESCRIPTION_MAX_LENGTH = 2000

# The rules are stated as they are checked, so that what the OpenAPI document says is valid
# is exactly what the API accepts: the limits apply to the text as sent. A name has something
# besides spaces, tabs and line breaks, which are trimmed after the checks (the same characters
# in every stackpick starter, spelled out because `\s` means different sets of characters to
# different regular expression engines). NUL is refused: PostgreSQL cannot store it in text.
BLANK = " \t\n\r"
ItemName = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=NAME_MAX_LENGTH, pattern=r"^[^\x00]*[^\x00 \t\n\r][^\x00]*$"
    ),
]
ItemDescription = Annotated[
    str, msgspec.Meta(max_length=DESCRIPTION_MAX_LENGTH, pattern=r"^[^\x00]*$")
]
# Written as `2026-12-02T23:25:00.123456Z` (core/timestamps.py), the one format every response
# uses; msgspec alone would drop a zero fraction.
Timestamp = Annotated[str, KwargDefinition(format="date-time")]


class ItemCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: ItemName
    description: ItemDescription | None = None

    def __post_init__(self) -> None:
        self.name = self.name.strip(BLANK)


class ItemUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A partial update: only the fields sent are changed.

    UNSET marks a field that was not sent. `name` may be left out but not sent as null;
    `description` may be null (it clears the description).
    """

    name: ItemName | msgspec.UnsetType = msgspec.UNSET
    description: ItemDescription | msgspec.UnsetType | None = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.name, str):
            self.name = self.name.strip(BLANK)

    def changes(self) -> dict[str, str | None]:
        """The fields that were sent, by name."""
        return {
            field: value
            for field in self.__struct_fields__
            if (value := getattr(self, field)) is not msgspec.UNSET
        }


class ItemRead(msgspec.Struct):
    id: int
    name: str
    description: str | None
    created_at: Timestamp

    @classmethod
    def of(cls, item: Item) -> Self:
        return cls(item.id, item.name, item.description, format_timestamp(item.created_at))


class ItemPage(msgspec.Struct):
    items: list[ItemRead]
    total: int
