"""The example background job: a report of the items, made by a worker (/api/reports)."""

from .views import blp

__all__ = ["blp"]
