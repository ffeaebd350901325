"""The example resource: CRUD over items at /api/items."""

from .views import blp

__all__ = ["blp"]
