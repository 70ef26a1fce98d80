"""Contact imports in the admin: read-only, scoped by the policy (own; a supervisor its agency's; the coordinator all)."""

from django.contrib import admin

from cases.admin.base import ScopedModelAdmin
from cases.readonly_admin import ReadOnlyAdminMixin

from .models import ContactImport


@admin.register(ContactImport)
class ContactImportAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    view_action = None
    list_display = ["file_name", "status", "rows_total", "contacts_created", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by", "agency", "operation"]
    fields = [
        "file_name",
        "checksum",
        "size",
        "status",
        "rows_total",
        "rows_with_errors",
        "contacts_created",
        "people_created",
        "people_matched",
        "rows_skipped",
        "created_at",
        "confirmed_at",
        "started_at",
        "finished_at",
        "error",
    ]
    readonly_fields = fields
