"""Liveness and readiness probes for load balancers and orchestrators."""

import asyncio
import logging
from typing import Literal

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)


class Liveness(msgspec.Struct):
    status: Literal["ok"] = "ok"


class Readiness(msgspec.Struct):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]


LIVE = Liveness()
READY = Readiness(status="ok", checks={"database": "ok"})
NOT_READY = Readiness(status="unavailable", checks={"database": "unreachable"})


class HealthController(Controller):
    path = "/health"
    tags = ("health",)

    @get("/live")
    async def live(self) -> Liveness:
        """The process is up; touches no dependency."""
        return LIVE

    @get(
        "/ready",
        responses={
            HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(
                data_container=Readiness,
                description="The database did not answer in time",
                generate_examples=False,
            )
        },
    )
    async def ready(self, state: State) -> Response[Readiness]:
        """The database answers within the health timeout."""
        engine: AsyncEngine = state.engine
        try:
            async with asyncio.timeout(state.settings.health_timeout), engine.connect() as db:
                await db.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not ready", never a 500
            failure = {"check": "database", "error": repr(error)}
            logger.warning("readiness check failed", extra=failure)
            return Response(NOT_READY, status_code=HTTP_503_SERVICE_UNAVAILABLE)
        return Response(READY)
