from django.contrib import admin
from django.http import HttpRequest

from .models import WebhookEvent


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin[WebhookEvent]):
    """Browse the webhook events that arrived, newest first.

    An event is a record of what a sender said, so nobody adds or edits one here; staff may
    view events and delete them (a test sender's, say).
    """

    list_display = ("source", "delivery_id", "received_at")
    list_filter = ("source",)
    search_fields = ("delivery_id",)
    date_hierarchy = "received_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WebhookEvent | None = None) -> bool:
        return False
