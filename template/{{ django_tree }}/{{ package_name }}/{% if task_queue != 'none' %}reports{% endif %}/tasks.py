"""The report job: what a request does to start one, and what the worker then runs.

POST /api/reports calls start_report(): the report is stored as `pending`, then, once that is
committed, its job is sent to the broker. The worker runs run_report(): `running`, count the
items, `succeeded` with the count. Without BROKER_URL (development, tests) the job runs in the
web process as it is sent (Celery's task_always_eager).

What the job survives (the Celery settings in config/settings/base.py do the rest):
- a transient database error (the database restarting, a dropped connection): retried up to
  JOB_MAX_RETRIES times with growing pauses, then the report is marked `failed`;
- running past JOB_TIME_LIMIT: interrupted, and marked `failed`;
- running twice (a job redelivered after a worker died): a finished report is left as it is.
"""

import logging
from typing import TYPE_CHECKING, Any

from billiard.einfo import ExceptionInfo
from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from ..broker import BrokerUnavailable
from ..items.models import Item
from .models import Report

logger = logging.getLogger(__name__)

# Errors worth another try: the database could not be reached or dropped the connection.
# Anything else is a bug that a retry would only repeat.
TRANSIENT = (OperationalError, InterfaceError)
# The reports a job may still work on; a finished one is never changed again.
UNFINISHED = (Report.Status.PENDING, Report.Status.RUNNING)


def start_report() -> Report:
    """Store a new pending report and send its job once the report is committed.

    Called outside any transaction, as a request is: the job is sent as the block below
    commits, so a worker never looks for a report that is not there yet. When the broker does
    not take the job, the report is deleted again and BrokerUnavailable raised (a 503).
    """
    try:
        with transaction.atomic():
            report = Report.objects.create()
            run_report.delay_on_commit(report.pk)
    except BrokerError as error:
        # Only the sending raises this, once the report is committed: delete it again.
        logger.warning("the broker did not take report %s's job: %s", report.pk, error)
        report.delete()
        raise BrokerUnavailable from error
    return report


if TYPE_CHECKING:
    # The stubs (celery-types) make tasks generic in their arguments and result; at run time
    # only recent Celery releases accept the parameters (the project allows 5.5).
    TaskBase = DjangoTask[[int], None]
else:
    TaskBase = DjangoTask


class ReportTask(TaskBase):
    """Marks the report failed when its job fails for good: out of retries, over the time
    limit, or a bug."""

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        [report_id] = args
        logger.error("report %s failed: %s: %s", report_id, type(exc).__name__, exc)
        try:
            Report.objects.filter(pk=report_id, status__in=UNFINISHED).update(
                status=Report.Status.FAILED, finished_at=timezone.now()
            )
        except TRANSIENT as error:  # the database is still away: the report stays as it was
            logger.error("report %s could not be marked failed: %s", report_id, error)


@shared_task(
    bind=True,
    base=ReportTask,
    autoretry_for=TRANSIENT,
    max_retries=settings.JOB_MAX_RETRIES,
    # Pauses of about 1, 2, 4, ... seconds (randomised, so that jobs failing together do not
    # all come back at once), at most JOB_RETRY_PAUSE_MAX.
    retry_backoff=True,
    retry_backoff_max=settings.JOB_RETRY_PAUSE_MAX,
    retry_jitter=True,
)
def run_report(self: ReportTask, report_id: int) -> None:
    """Count the items for report `report_id`; do nothing if it is finished or missing."""
    # Each step commits on its own (autocommit): `running` is visible while the count runs.
    # The conditions on status make a second run of the job a no-op, even alongside the first.
    started = Report.objects.filter(pk=report_id, status__in=UNFINISHED).update(
        status=Report.Status.RUNNING
    )
    if not started:
        if Report.objects.filter(pk=report_id).exists():
            logger.info("report %s is finished already: nothing to do", report_id)
        else:
            logger.warning("report %s does not exist: nothing to do", report_id)
        return
    count = Item.objects.count()
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        status=Report.Status.SUCCEEDED, item_count=count, finished_at=timezone.now()
    )
    logger.info("report %s succeeded: %s items", report_id, count)
