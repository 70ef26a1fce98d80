"""{% record_work object as work %}: a record's open tasks and the viewer's follow of it."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from cases import access

from ..models import Follow, Task, TaskStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def record_work(context, record):
    """What the record page's "Tasks" panel shows: 2 queries (its tasks, the follow)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        field = Task.field_for(record)
    except Exception:
        return None
    tasks = list(
        access.scope_on_record(Task.objects.filter(status=TaskStatus.OPEN), user, record)
        .select_related("assigned_user", "assigned_agency")
        .order_by("due_date", "id")
    )
    for task in tasks:  # the record is the page's own: no query to print it
        setattr(task, field, record)
    followable = field in Follow.RECORD_FIELDS
    return {
        "tasks": tasks,
        "today": timezone.localdate(),
        "may_add": access.can(user, "task.add", record),
        "add_url": reverse("web:task_create", args=[field, record.pk]),
        "followable": followable and access.can(user, "follow.add", record),
        "following": followable and Follow.objects.filter(user=user, **{field: record}).exists(),
        "follow_url": reverse("web:follow", args=[field, record.pk]) if followable else "",
    }
