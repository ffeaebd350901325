"""Liveness and readiness probes for load balancers and orchestrators."""

import asyncio
import logging
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..deps import SettingsDep

logger = logging.getLogger(__name__)


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]


async def live() -> Liveness:
    """The process is up; touches no dependency."""
    return Liveness()


async def ready(request: Request, settings: SettingsDep) -> JSONResponse:
    """The database answers within the health timeout."""
    engine: AsyncEngine = request.app.state.engine
    try:
        async with asyncio.timeout(settings.health_timeout), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not ready", never a 500
        logger.warning("readiness check failed", extra={"check": "database", "error": repr(error)})
        body = Readiness(status="unavailable", checks={"database": "unreachable"})
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Readiness(status="ok", checks={"database": "ok"}).model_dump())


def add_probes(app: FastAPI) -> None:
    """Register the probes on the app itself rather than through an APIRouter.

    Probes are called every few seconds by every orchestrator and load balancer, so they
    should cost as little as possible; routes on the app skip the router resolution FastAPI
    does for included routers on each request.
    """
    app.get("/health/live", tags=["health"])(live)
    app.get(
        "/health/ready",
        tags=["health"],
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "The database did not answer in time"}},
    )(ready)
