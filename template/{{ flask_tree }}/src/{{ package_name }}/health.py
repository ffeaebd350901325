"""Liveness and readiness probes for load balancers and orchestrators."""

import queue
import threading
from http import HTTPStatus

import marshmallow as ma
from flask import current_app
from sqlalchemy import Engine, text

from .database import WITHOUT_TRANSACTION
from .extensions import Blueprint, db

blp = Blueprint("health", __name__, url_prefix="/health", description="Health probes")

READY: dict[str, object] = {"status": "ok", "checks": {"database": "ok"}}
NOT_READY: dict[str, object] = {"status": "unavailable", "checks": {"database": "unreachable"}}


class LivenessSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"enum": ["ok"]})


class ReadinessSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


def ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execution_options(**WITHOUT_TRANSACTION).execute(text("SELECT 1"))


def database_error(engine: Engine, timeout: float) -> BaseException | None:
    """Why the database did not answer within `timeout` seconds, or None when it did.

    The query runs on a daemon thread: a database that hangs (a dropped network, an exhausted
    pool) costs the probe its timeout and never blocks the request thread longer.
    """
    outcome: queue.SimpleQueue[BaseException | None] = queue.SimpleQueue()

    def check() -> None:
        try:
            ping(engine)
        except Exception as error:
            outcome.put(error)
        else:
            outcome.put(None)

    threading.Thread(target=check, name="readiness-check", daemon=True).start()
    try:
        return outcome.get(timeout=timeout)
    except queue.Empty:
        return TimeoutError(f"no answer within {timeout} s")


@blp.get("/live")
# Documented, not serialised through the schema: the body is constant and probes are frequent.
@blp.alt_response(HTTPStatus.OK, schema=LivenessSchema, description="The process is up")
def live() -> dict[str, str]:
    """The process is up; touches no dependency."""
    return {"status": "ok"}


@blp.get("/ready")
@blp.response(HTTPStatus.OK, ReadinessSchema)
@blp.alt_response(
    HTTPStatus.SERVICE_UNAVAILABLE, schema=ReadinessSchema, description="A dependency failed"
)
def ready() -> tuple[dict[str, object], HTTPStatus]:
    """The database answers within HEALTH_TIMEOUT seconds."""
    error = database_error(db.engine, current_app.config["HEALTH_TIMEOUT"])
    if error is None:
        return READY, HTTPStatus.OK
    current_app.logger.warning("readiness check failed: database: %r", error)
    return NOT_READY, HTTPStatus.SERVICE_UNAVAILABLE
