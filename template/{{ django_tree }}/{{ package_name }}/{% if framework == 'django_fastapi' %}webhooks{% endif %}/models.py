"""What a webhook delivery left behind: one row per event a sender told us about.

The FastAPI service (api/) inserts these rows with SQLAlchemy, so the table's name, columns
and constraint are a contract between the two services: change them only together with
api/'s table definition, and in a migration made here.
"""

from django.db import models
from django.utils import timezone

SOURCE_MAX_LENGTH = 50
DELIVERY_ID_MAX_LENGTH = 200


class WebhookEvent(models.Model):
    # Who sent it: the `{source}` of POST /api/webhooks/{source}.
    source = models.CharField(max_length=SOURCE_MAX_LENGTH)
    # The sender's own id for the event. Senders retry until they get an answer, so the same
    # delivery can arrive twice; the unique constraint keeps the second one out.
    delivery_id = models.CharField(max_length=DELIVERY_ID_MAX_LENGTH)
    # The whole JSON object as received, so nothing the sender said is lost.
    payload = models.JSONField()
    # The api sets it on every insert; the default serves rows made here (the shell, tests).
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "webhooks_webhookevent"
        ordering = ("-received_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("source", "delivery_id"), name="webhooks_unique_delivery"
            ),
        )

    def __str__(self) -> str:
        return f"{self.source} {self.delivery_id}"
