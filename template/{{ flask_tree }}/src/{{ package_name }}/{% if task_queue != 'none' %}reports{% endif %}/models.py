from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UTCDateTime, utcnow


class ReportStatus(StrEnum):
    PENDING = "pending"  # stored, its job waiting for a worker
    RUNNING = "running"  # a worker has started it
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # given up: retries exhausted, or past JOB_TIME_LIMIT


# A report in one of these states is done: running its job again changes nothing.
FINISHED = (ReportStatus.SUCCEEDED, ReportStatus.FAILED)


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(
        String(16), default=ReportStatus.PENDING, server_default=ReportStatus.PENDING
    )
    # The number of items when the job ran; set once it has succeeded.
    item_count: Mapped[int | None]
    # Set per row by Python, so every backend stores the same aware UTC timestamp.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def result(self) -> dict[str, int] | None:
        """What the API answers as the outcome: the item count, once the job has succeeded."""
        if self.status == ReportStatus.SUCCEEDED and self.item_count is not None:
            return {"items": self.item_count}
        return None
