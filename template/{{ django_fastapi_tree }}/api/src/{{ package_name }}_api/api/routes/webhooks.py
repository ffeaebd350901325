"""Signed webhooks: `POST /api/webhooks/{source}`, each delivery stored once.

In order: the source must be one (else the path does not exist, 404); the body at most
MAX_BODY_SIZE bytes (413, middleware.py); its signature valid (401, signatures.py), checked
before the body is parsed; then the body a JSON object with the sender's `id` (422).
A first delivery is stored and answered 202; the same (source, id) again is answered 200
and stored no second time, so a sender may retry as often as it likes.
"""

import logging
import re
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
import pydantic
from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response, status
from fastapi.exceptions import RequestValidationError

from ...schemas.webhook import WebhookDelivery, WebhookReceipt, payload_problem
from ...services import webhooks as service
from ..deps import SessionDep, SettingsDep
from ..errors import error_responses
from ..responses import JSONResponse
from ..routing import constrained_route
from ..signatures import SIGNATURE_HEADER, SIGNATURE_PATTERN, is_signed

logger = logging.getLogger(__name__)

# Lower-case letters, digits, `_` and `-`, starting with a letter or digit: a sender's name
# as it can appear in a URL and in the admin's filter, never anything to escape.
SOURCE_PATTERN = "[a-z0-9][a-z0-9_-]{0,49}"  # at most SOURCE_MAX_LENGTH (50) characters
_SOURCE = re.compile(SOURCE_PATTERN)
# Every signature failure says the same: which part was wrong is no business of a forger.
INVALID_SIGNATURE = f"Missing or invalid {SIGNATURE_HEADER}"


def is_source(segment: str) -> bool:
    return _SOURCE.fullmatch(segment) is not None


router = APIRouter(
    prefix="/webhooks", tags=["webhooks"], route_class=constrained_route("source", is_source)
)

Source = Annotated[
    str,
    Path(pattern=f"^{SOURCE_PATTERN}$", description="Who sent the event, e.g. `payments`"),
]


async def signed_body(request: Request, settings: SettingsDep) -> bytes:
    """The raw body, once its X-Webhook-Signature is found valid; 401 otherwise."""
    body = await request.body()  # at most MAX_BODY_SIZE bytes (RequestBodyGuard)
    signatures = request.headers.getlist(SIGNATURE_HEADER)
    if not is_signed(body, settings.webhook_secret.get_secret_value(), signatures):
        # Logged: a sender whose every delivery fails here has another WEBHOOK_SECRET.
        source = request.path_params.get("source")
        logger.warning("webhook signature refused", extra={"source": source})
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, INVALID_SIGNATURE)
    return body


def refused(*problems: tuple[tuple[str | int, ...], str, str]) -> RequestValidationError:
    """A 422 naming each refused part of the body (`loc` starts with "body")."""
    return RequestValidationError(
        [{"loc": ("body", *loc), "msg": msg, "type": kind} for loc, msg, kind in problems]
    )


@dataclass(frozen=True)
class Delivery:
    """A signed delivery: the sender's id for the event, and the whole object to store."""

    id: str
    payload: dict[str, Any]


def parse_delivery(body: bytes) -> Delivery:
    """The delivery a signed body holds; 422 naming the refused part if it holds none.

    orjson refuses what strict JSON does not allow (NaN, 1e400, lone surrogates, invalid
    UTF-8, nesting past 1,024 levels) rather than letting it reach the database.
    """
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise refused(((), f"Invalid JSON: {error.msg}", "json_invalid")) from error
    try:
        delivery = WebhookDelivery.model_validate(payload)
    except pydantic.ValidationError as error:
        raise refused(
            *((problem["loc"], problem["msg"], problem["type"]) for problem in error.errors())
        ) from error
    if problem := payload_problem(payload):
        raise refused(((), problem, "value_error"))
    return Delivery(delivery.id, payload)


async def signed_delivery(body: Annotated[bytes, Depends(signed_body)]) -> Delivery:
    return parse_delivery(body)


# The body is read by signed_body, not by FastAPI (it would parse it before the signature is
# checked), so the document is told what it must be.
REQUEST_DOCUMENTATION: dict[str, Any] = {
    "parameters": [
        {
            "name": SIGNATURE_HEADER,
            "in": "header",
            "required": True,
            "description": "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with "
            "WEBHOOK_SECRET",
            "schema": {"type": "string", "pattern": SIGNATURE_PATTERN},
        }
    ],
    "requestBody": {
        "required": True,
        "description": "Any JSON object with the sender's `id` for the event; stored whole",
        "content": {"application/json": {"schema": WebhookDelivery.model_json_schema()}},
    },
}
RESPONSES = {
    status.HTTP_200_OK: {
        "model": WebhookReceipt,
        "description": "Received before (a redelivery): nothing new stored",
    },
    **error_responses(
        status.HTTP_401_UNAUTHORIZED,
        status.HTTP_404_NOT_FOUND,
        status.HTTP_413_CONTENT_TOO_LARGE,
        status.HTTP_503_SERVICE_UNAVAILABLE,
        descriptions={status.HTTP_404_NOT_FOUND: "The source is not a valid name"},
    ),
}


@router.post(
    "/{source}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=WebhookReceipt,
    response_description="A first delivery: stored",
    responses=RESPONSES,
    openapi_extra=REQUEST_DOCUMENTATION,
)
async def receive_webhook(
    source: Source,
    # Before the session: an unsigned request never waits for a database connection.
    delivery: Annotated[Delivery, Depends(signed_delivery)],
    session: SessionDep,
) -> Response:
    stored = await service.record_delivery(
        session, source=source, delivery_id=delivery.id, payload=delivery.payload
    )
    receipt = WebhookReceipt(id=delivery.id, status="accepted" if stored else "duplicate")
    logger.info(
        "webhook %s",
        receipt.status,
        extra={"source": source, "delivery_id": delivery.id},
    )
    return JSONResponse(
        receipt.model_dump(),
        status_code=status.HTTP_202_ACCEPTED if stored else status.HTTP_200_OK,
    )
