from django.contrib import admin
from django.http import HttpRequest

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    """Look at reports and their jobs' outcomes, newest first.

    A report is written by its job, so nobody adds or edits one here (POST /api/reports starts
    one); staff may view reports and delete them.
    """

    list_display = ("id", "status", "item_count", "created_at", "finished_at")
    list_filter = ("status",)
    date_hierarchy = "created_at"
    ordering = ("-id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False
