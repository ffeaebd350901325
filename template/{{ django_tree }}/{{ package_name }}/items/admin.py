from django.contrib import admin

from .models import Item


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ("id", "name", "created_at")
    search_fields = ("name", "description")
    readonly_fields = ("created_at",)
