"""The items API's request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from ..models.item import NAME_MAX_LENGTH

DESCRIPTION_MAX_LENGTH = 2000

# NUL is refused: PostgreSQL cannot store it in text, and no client means to send it.
ItemName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH, pattern=r"^[^\x00]*$"
    ),
]
ItemDescription = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX_LENGTH, pattern=r"^[^\x00]*$")
]


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ItemName
    description: ItemDescription | None = None


class ItemUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: ItemName | None = None
    description: ItemDescription | None = None

    @field_validator("name")
    @classmethod
    def _name_is_not_null(cls, name: str | None) -> str:
        # Leaving `name` out keeps it; sending null would erase a required field.
        if name is None:
            raise ValueError("name cannot be null")
        return name


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: datetime


class ItemPage(BaseModel):
    items: list[ItemRead]
    total: int
