"""The Django tables this service reads or writes, mapped as Django's migrations make them."""

from .item import Item
from .webhook_event import WebhookEvent

__all__ = ["Item", "WebhookEvent"]
