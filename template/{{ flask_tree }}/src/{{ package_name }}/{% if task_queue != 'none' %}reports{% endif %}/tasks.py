"""The report's job: count the items, on a worker, once per report however often it is run.

The broker may deliver a job twice (a worker lost mid-job leaves it to another), and a job
retried after a transient error runs again from the start, so the job is idempotent: a report
already finished is left as it is, and of two runs that overlap only the first to finish
records its result.
"""

from __future__ import annotations

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy import func, select, update

from ..config import RETRY_PAUSE_MAX
from ..errors import DATABASE_UNAVAILABLE_ERRORS
from ..extensions import db
from ..items.models import Item
from ..orm import utcnow
from .models import FINISHED, Report, ReportStatus


@shared_task(
    bind=True,
    # The database being unreachable (restarting, failing over) is retried; any other error is
    # a bug, which retrying would not fix. JOB_MAX_RETRIES is the task class's max_retries.
    autoretry_for=DATABASE_UNAVAILABLE_ERRORS,
    # Pauses before the retries: up to 1, 2, 4, ... seconds (each drawn at random below that,
    # so jobs that failed together do not all come back together), at most RETRY_PAUSE_MAX.
    retry_backoff=True,
    retry_backoff_max=RETRY_PAUSE_MAX,
)
def run_report(self: Task[[int], None], report_id: int) -> None:
    """Make report `report_id`; past JOB_TIME_LIMIT or the last retry, record it as failed."""
    try:
        make_report(report_id)
    except SoftTimeLimitExceeded:
        current_app.logger.warning("report %s: stopped after JOB_TIME_LIMIT", report_id)
        record_failure(report_id)
        raise
    except DATABASE_UNAVAILABLE_ERRORS:
        if self.max_retries is not None and self.request.retries >= self.max_retries:
            # The last try: nothing will run this job again.
            retries = self.request.retries
            current_app.logger.warning("report %s: failed after %s retries", report_id, retries)
            record_failure(report_id)
        raise


def make_report(report_id: int) -> None:
    """The job's work: mark the report running, count the items, record the count."""
    report = db.session.get(Report, report_id)
    if report is None:
        # Its row is gone (deleted, or a database restored from before it): nothing to do.
        current_app.logger.warning("report %s: not found, nothing to do", report_id)
        return
    if report.status in FINISHED:
        current_app.logger.info("report %s: already %s, nothing to do", report_id, report.status)
        return
    report.status = ReportStatus.RUNNING
    db.session.commit()
    item_count = db.session.scalar(select(func.count()).select_from(Item))
    finish(report_id, ReportStatus.SUCCEEDED, item_count=item_count)


def finish(report_id: int, status: ReportStatus, *, item_count: int | None = None) -> None:
    """Record the report's outcome, unless a run of the same job has recorded one already."""
    db.session.execute(
        update(Report)
        .where(Report.id == report_id, Report.status.not_in(FINISHED))
        .values(status=status, item_count=item_count, finished_at=utcnow())
    )
    db.session.commit()


def record_failure(report_id: int) -> None:
    """Mark the report failed, if the database can be reached; if not, the job just ends."""
    try:
        db.session.rollback()  # whatever the interrupted work had begun
        finish(report_id, ReportStatus.FAILED)
    except DATABASE_UNAVAILABLE_ERRORS as error:
        current_app.logger.warning(
            "report %s: could not be marked failed: %s", report_id, getattr(error, "orig", error)
        )
