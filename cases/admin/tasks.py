"""Tasks and follows in the admin: read-only lists under the access policy.

Tasks are made, changed, done and cancelled on the pages and through the API
(work.actions); the admin shows the tasks a user holds and prints each one's record only
as far as the user may see it.
"""

from __future__ import annotations

from django.contrib import admin

from work.models import FOLLOW_RECORD_FIELDS, TASK_RECORD_FIELDS, Follow, Task

from .base import EventAdmin


@admin.register(Task)
class TaskAdmin(EventAdmin):
    list_display = ("title", "status", "due_date", "assigned_user", "assigned_agency", "created_at")
    list_filter = ("status", "assigned_agency")
    search_fields = ("title",)
    fields = (
        "title",
        "notes",
        "status",
        "due_date",
        "assigned_user",
        "assigned_agency",
        "created_by",
        "created_at",
        "closed_at",
        "closed_by",
        *TASK_RECORD_FIELDS,
    )


@admin.register(Follow)
class FollowAdmin(EventAdmin):
    list_display = ("user", "created_at", "seen_at")
    fields = ("user", "created_at", "seen_at", *FOLLOW_RECORD_FIELDS)
