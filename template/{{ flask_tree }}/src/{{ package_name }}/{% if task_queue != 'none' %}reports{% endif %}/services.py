"""Report use cases, kept apart from HTTP: start a report (its job enqueued), read one."""

from ..extensions import db, read_without_transaction
from ..jobs import JobQueueUnavailableError, enqueue
from .models import Report
from .tasks import run_report


class ReportNotFoundError(LookupError):
    def __init__(self, report_id: int) -> None:
        super().__init__(f"Report {report_id} not found")
        self.report_id = report_id


def start_report() -> Report:
    """A new pending report, committed, then its job enqueued.

    Committed first, so the job (which may run at once) finds the row. When the broker does not
    take the job, the report is deleted again: no report is kept that no job will ever make.
    """
    report = Report()
    db.session.add(report)
    db.session.commit()
    try:
        enqueue(run_report, report.id)
    except JobQueueUnavailableError:
        db.session.delete(report)
        db.session.commit()
        raise
    return report


def read_report(report_id: int) -> Report:
    """A report as it is now, for a request that only reads it."""
    read_without_transaction()
    report = db.session.get(Report, report_id)
    if report is None:
        raise ReportNotFoundError(report_id)
    return report
