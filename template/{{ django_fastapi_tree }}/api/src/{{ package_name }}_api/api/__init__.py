"""The HTTP API: every router under /api. Health probes live at the root (see main.py)."""

from fastapi import APIRouter

from .routes import items, webhooks

api_router = APIRouter(prefix="/api")
api_router.include_router(items.router)
api_router.include_router(webhooks.router)
