from typing import Any

from django.db import models


class Report(models.Model):
    """A count of the items, made by a background job (tasks.py): its state lives here."""

    class Status(models.TextChoices):
        PENDING = "pending"  # stored, its job waiting for a worker
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # out of retries, or over JOB_TIME_LIMIT

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # The number of items when the job ran; null until it has succeeded.
    item_count = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reports"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.status})"

    @property
    def result(self) -> dict[str, Any] | None:
        """What the API answers as the report's result: the count, once the job succeeded."""
        if self.status != self.Status.SUCCEEDED:
            return None
        return {"items": self.item_count}
