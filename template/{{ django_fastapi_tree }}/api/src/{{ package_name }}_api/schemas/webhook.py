"""What a webhook delivery must be, and what the service answers to it."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from ..models.webhook_event import DELIVERY_ID_MAX_LENGTH

# Objects and arrays nested deeper are refused (422): MariaDB stores JSON nested at most this
# deep (MySQL 100). No sender's event comes near it, and one limit holds on every database.
MAX_PAYLOAD_DEPTH = 31
NUL = "\x00"

DeliveryId = Annotated[
    str,
    # NUL is refused: PostgreSQL can store it neither in text nor in jsonb.
    StringConstraints(min_length=1, max_length=DELIVERY_ID_MAX_LENGTH, pattern=r"^[^\x00]*$"),
]


class WebhookDelivery(BaseModel):
    """A delivery's body: any JSON object with the sender's `id` for the event.

    Everything else in it is kept as it came, in the stored payload.
    """

    # strict: an id sent as the number 5 is refused, not turned into "5".
    model_config = ConfigDict(extra="allow", strict=True)

    id: DeliveryId


class WebhookReceipt(BaseModel):
    """The answer to a delivery: stored now (`accepted`), or already (`duplicate`)."""

    id: str
    status: Literal["accepted", "duplicate"]


def payload_problem(payload: dict[str, Any]) -> str | None:
    """Why a payload cannot be stored as it is, or None when it can.

    Walked with a list rather than recursion: orjson parses up to 1,024 levels, past what
    Python's recursion would allow.
    """
    pending: list[tuple[object, int]] = [(payload, 1)]  # a value, and how many objects and
    while pending:  # arrays hold it (itself included, if it is one)
        value, depth = pending.pop()
        if isinstance(value, dict | list) and depth > MAX_PAYLOAD_DEPTH:
            return f"objects and arrays nested more than {MAX_PAYLOAD_DEPTH} deep"
        if isinstance(value, dict):
            if any(NUL in key for key in value):
                return "NUL characters (\\u0000) cannot be stored"
            pending.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            pending.extend((child, depth + 1) for child in value)
        elif isinstance(value, str) and NUL in value:
            return "NUL characters (\\u0000) cannot be stored"
    return None
