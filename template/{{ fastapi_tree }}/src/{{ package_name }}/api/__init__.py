from fastapi import APIRouter

from .routes import health, items

api_router = APIRouter(prefix="/api")
api_router.include_router(items.router)

__all__ = ["api_router", "health"]
