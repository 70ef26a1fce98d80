"""Domain actions on tasks and follows, called alike by the pages, the API, the admin and
the reminder rules.

`user` is the person acting; `None` is the system (a reminder rule), which skips the
policy's checks and names no creator. Each write by a person is kept only if the task is
still visible to them afterwards (cases.access.ensure_visible).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from agencies.acting import acts
from agencies.models import Agency, User
from cases import access

from .models import Follow, Task, TaskStatus

NOT_VISIBLE_TO_ASSIGNEE = "{name} cannot see this record, so could not see the task. Choose someone who can."


def _check_assignee(user, task: Task) -> None:
    """A person may give a task only to someone the policy offers, who can see its record."""
    if task.assigned_user_id is not None:
        if user is not None and not access.choosable_users(user).filter(pk=task.assigned_user_id).exists():
            raise ValidationError({"assigned_user": "Choose someone from the list."})
        if not access.is_visible(task.assigned_user, task.record):
            name = task.assigned_user.get_full_name() or task.assigned_user.username
            raise ValidationError({"assigned_user": NOT_VISIBLE_TO_ASSIGNEE.format(name=name)})
    if task.assigned_agency_id is not None and user is not None:
        if not access.task_queues(user).filter(pk=task.assigned_agency_id).exists():
            raise ValidationError({"assigned_agency": "Choose an agency from the list."})


@acts
@transaction.atomic
def create_task(
    user: User | None,
    record: models.Model,
    *,
    title: str,
    notes: str = "",
    due_date: date | None = None,
    assigned_user: User | None = None,
    assigned_agency: Agency | None = None,
    source: str = "",
) -> Task:
    """Add a task on a record, for one person or one agency's queue.

    With a `source` (an automatic task's cause, "reminder:declined:<referral id>") the
    task is made once: while a task of that source is open, it is returned instead.
    `record` must come from `visible_to(user)` when a person acts.
    """
    if source:
        existing = Task.objects.filter(source=source, status=TaskStatus.OPEN).first()
        if existing is not None:
            return existing
    if user is not None:
        access.require(user, "task.add", record)
    task = Task(
        title=title,
        notes=notes,
        due_date=due_date,
        assigned_user=assigned_user,
        assigned_agency=assigned_agency,
        created_by=user,
        source=source,
    )
    task.set_record(record)
    task.full_clean()
    _check_assignee(user, task)
    try:
        with transaction.atomic():  # a concurrent run made the same automatic task first
            task.save()
    except IntegrityError:
        if not source:
            raise
        return Task.objects.get(source=source, status=TaskStatus.OPEN)
    if user is not None:
        access.ensure_visible(user, task)
    return task


@acts
@transaction.atomic
def update_task(user: User, task: Task, **changes) -> Task:
    """Change an open task's title, notes, due date or assignee."""
    access.require(user, "task.change", task)
    for name, value in changes.items():
        if name not in ("title", "notes", "due_date", "assigned_user", "assigned_agency"):
            raise ValueError(f"{name} cannot be changed here")
        setattr(task, name, value)
    task.full_clean()
    _check_assignee(user, task)
    task.save()
    access.ensure_visible(user, task)
    return task


def _close(user: User | None, task: Task, status: str) -> Task:
    if user is not None:
        access.require(user, "task.change", task)
    elif not task.is_open:
        return task
    task.status = status
    task.closed_at = timezone.now()
    task.closed_by = user
    task.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return task


@acts
@transaction.atomic
def close_task(user: User | None, task: Task) -> Task:
    """Mark a task done."""
    return _close(user, task, TaskStatus.DONE)


@acts
@transaction.atomic
def cancel_task(user: User | None, task: Task) -> Task:
    """Cancel a task nobody needs to do any more."""
    return _close(user, task, TaskStatus.CANCELLED)


@acts
@transaction.atomic
def close_tasks_for_source(user: User | None, source: str, status: str = TaskStatus.DONE) -> int:
    """Close the open automatic task of a source once its cause is resolved (reminder rules)."""
    closed = 0
    for task in Task.objects.select_for_update().filter(source=source, status=TaskStatus.OPEN):
        _close(None, task, status)
        closed += 1
    return closed


@transaction.atomic
def follow(user: User, record: models.Model) -> Follow:
    """Follow a record the user can see (`record` from `visible_to(user)`); following twice is once."""
    access.require(user, "follow.add", record)
    field = Follow.field_for(record)
    found, _created = Follow.objects.get_or_create(user=user, **{field: record})
    return found


@transaction.atomic
def unfollow(user: User, record: models.Model) -> None:
    Follow.objects.filter(user=user, **{Follow.field_for(record): record}).delete()


def mark_seen(user: User, now=None) -> None:
    """The user looked at "My work": what changed before now is no longer new to them."""
    Follow.objects.filter(user=user).update(seen_at=now or timezone.now())
