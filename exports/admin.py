"""Export jobs in the admin: each member sees only the jobs it asked for (the policy's own-rows rule).

Read-only: jobs are made by the download buttons and the API, and run by the worker. The
task queue's own admin pages (django-tasks-db's results, django-rq's queues) are taken away:
their rows carry only a job id, and who asked for what is seen here, scoped.
"""

from django.contrib import admin

from cases.admin.base import ScopedModelAdmin
from cases.readonly_admin import ReadOnlyAdminMixin

from .models import ExportJob

for model in [model for model in admin.site._registry if model._meta.app_label in ("django_tasks_db", "django_rq")]:
    admin.site.unregister(model)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    view_action = None  # every member's own jobs
    list_display = ["what", "format", "status", "rows_written", "rows_total", "created_at", "finished_at"]
    list_filter = ["status", "format"]
    fields = [
        "what",
        "list_name",
        "query",
        "format",
        "raw",
        "status",
        "rows_total",
        "rows_written",
        "size",
        "checksum",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
        "purged_at",
        "error",
    ]
    readonly_fields = fields
