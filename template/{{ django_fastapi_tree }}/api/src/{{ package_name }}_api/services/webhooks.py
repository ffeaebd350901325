"""Recording webhook deliveries: each (source, delivery id) once, however often it arrives.

Senders retry until they get an answer, and a retry can arrive while the first attempt is
still being stored. So nothing checks first and inserts after (two requests could both find
nothing and both insert): the insert itself skips a row the unique constraint already holds,
and whether it stored a row tells a first delivery from a duplicate.
"""

from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.base import utcnow
from ..models.webhook_event import WebhookEvent

_events = cast(Table, WebhookEvent.__table__)
_delivery = [_events.c.source, _events.c.delivery_id]


@cache
def insert_once(dialect: str) -> Insert:
    """An INSERT of one event that does nothing when its (source, delivery_id) is stored."""
    if dialect == "postgresql":
        return postgresql.insert(_events).on_conflict_do_nothing(index_elements=_delivery)
    if dialect == "sqlite":
        return sqlite.insert(_events).on_conflict_do_nothing(index_elements=_delivery)
    if dialect in {"mysql", "mariadb"}:
        # MySQL has no ON CONFLICT. IGNORE also turns other errors into warnings, but every
        # value is checked before it gets here (lengths, JSON), so only duplicates are left.
        return insert(_events).prefix_with("IGNORE")
    raise NotImplementedError(f"no insert-once statement for {dialect}")


async def record_delivery(
    session: AsyncSession,
    *,
    source: str,
    delivery_id: str,
    payload: dict[str, Any],
    received_at: datetime | None = None,
) -> bool:
    """Store the delivery unless it is stored already; True when this call stored it.

    Against a concurrent insert of the same delivery, the database decides: the second waits
    for the first's transaction, then inserts nothing.
    """
    statement = insert_once(session.get_bind().dialect.name)
    values = {
        "source": source,
        "delivery_id": delivery_id,
        "payload": payload,
        "received_at": received_at or utcnow(),
    }
    result = await session.execute(statement, values)
    # An INSERT is answered with a CursorResult, which counts the rows it wrote (SQLAlchemy
    # 2.1 types execute() as returning any Result; 2.0 already said CursorResult).
    if not isinstance(result, CursorResult):
        raise TypeError(f"an INSERT returned {type(result).__name__}, not a CursorResult")
    return result.rowcount == 1
