"""Report use cases: a request creates the report, the worker runs its job (`run_report`).

The job's body is plain async code on a session factory, so the worker (whatever queue runs
it), the web process in development and the tests all run the same function.
"""

import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..db.base import utcnow
from ..models.item import Item
from ..models.report import FAILED, FINISHED, RUNNING, SUCCEEDED, Report

logger = logging.getLogger(__name__)


class ReportNotFoundError(LookupError):
    def __init__(self, report_id: int) -> None:
        super().__init__(f"Report {report_id} not found")
        self.report_id = report_id


async def create_report(session: AsyncSession) -> Report:
    """A new pending report, committed: the job is enqueued only once the row exists, so a
    worker that picks it up at once finds it."""
    report = Report()
    session.add(report)
    await session.commit()
    return report


async def discard_report(session: AsyncSession, report: Report) -> None:
    """Delete a report whose job could not be enqueued: nothing is kept of a refused request."""
    await session.delete(report)
    await session.commit()


async def read_report(session: AsyncSession, report_id: int) -> Report:
    report = await session.get(Report, report_id)
    if report is None:
        raise ReportNotFoundError(report_id)
    return report


async def run_report(session_factory: async_sessionmaker[AsyncSession], report_id: int) -> None:
    """The job: count the items into the report.

    Running it again does nothing once the report has finished (a broker may deliver a job
    twice: after a worker died, or a retry), so its count and finished_at stay as they were.
    Transient database errors propagate, for the queue to retry the job.
    """
    async with session_factory() as session:
        report = await session.get(Report, report_id)
        if report is None:
            # Deleted since, or its enqueueing was refused after the broker took it after all.
            logger.warning("report not found: job skipped", extra={"report_id": report_id})
            return
        if report.status in FINISHED:
            logger.info("report already finished: job skipped", extra={"report_id": report_id})
            return
        report.status = RUNNING
        await session.commit()
        count = await session.scalar(select(func.count()).select_from(Item))
        report.status = SUCCEEDED
        report.item_count = count or 0
        report.finished_at = utcnow()
        await session.commit()
    logger.info("report succeeded", extra={"report_id": report_id, "items": count})


async def fail_report(session_factory: async_sessionmaker[AsyncSession], report_id: int) -> None:
    """Mark a report failed after its job's last attempt (unless it has finished meanwhile).

    Called when retrying is over, often because the database is unreachable: then this fails
    too, and the report stays as it was (`pending` or `running`) rather than the worker
    crashing on it.
    """
    try:
        async with session_factory() as session:
            report = await session.get(Report, report_id)
            if report is None or report.status in FINISHED:
                return
            report.status = FAILED
            report.finished_at = utcnow()
            await session.commit()
    except Exception as error:
        logger.warning(
            "report could not be marked failed",
            extra={"report_id": report_id, "error": repr(error)},
        )
        return
    logger.warning("report failed", extra={"report_id": report_id})
