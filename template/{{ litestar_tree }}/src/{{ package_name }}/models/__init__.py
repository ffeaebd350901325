"""Every model, imported here so Alembic's autogenerate sees the whole schema."""

from .item import Item

__all__ = ["Item"]
