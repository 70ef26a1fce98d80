"""Tasks on case records, and the records a user follows.

A task or a follow points at exactly one record, through one nullable foreign key per
kind of record (a check constraint keeps exactly one set): indexable, and the access
policy can test each kind against its own rule (cases.access.task_rule).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.limits import NAME, SHORT_TEXT, check_text_limits, limited_text, validate_scheduled_time
from audit.history import track
from cases.models.base import ScopedQuerySet

# The kinds of record a task may be on: field name → model label. The same names on Follow.
TASK_RECORD_FIELDS: dict[str, str] = {
    "operation": "cases.Operation",
    "person": "cases.Person",
    "contact": "cases.Contact",
    "referral": "cases.Referral",
    "handoff": "cases.CustodyHandoff",
    "investigation": "cases.Investigation",
    "prosecution": "cases.Prosecution",
    "relief_request": "cases.ReliefRequest",
}
# A contact or a hand-off is followed through its person or operation.
FOLLOW_RECORD_FIELDS: dict[str, str] = {
    name: label for name, label in TASK_RECORD_FIELDS.items() if name not in ("contact", "handoff")
}


def _exactly_one(fields, name: str) -> models.CheckConstraint:
    """A check constraint: exactly one of these nullable foreign keys is set."""
    # Spelled as a disjunction of "this one set, all others null": portable to SQLite and PostgreSQL.
    options = Q()
    for field in fields:
        one = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                one &= Q(**{f"{other}__isnull": True})
        options |= one
    return models.CheckConstraint(condition=options, name=name)


def _record_fk(label: str, related_name: str) -> models.ForeignKey:
    return models.ForeignKey(label, on_delete=models.PROTECT, null=True, blank=True, related_name=related_name)


class RecordLink:
    """What a task and a follow share: which record they are on."""

    RECORD_FIELDS: dict[str, str] = {}

    @property
    def record_field(self) -> str:
        return next(name for name in self.RECORD_FIELDS if getattr(self, f"{name}_id") is not None)

    @property
    def record(self) -> models.Model:
        return getattr(self, self.record_field)

    @classmethod
    def field_for(cls, record: models.Model) -> str:
        """The foreign key that holds a record of this kind."""
        label = record._meta.label
        for name, model_label in cls.RECORD_FIELDS.items():
            if model_label == label:
                return name
        raise ValidationError(f"A {record._meta.verbose_name} cannot be linked here.")

    def set_record(self, record: models.Model) -> None:
        for name in self.RECORD_FIELDS:
            setattr(self, name, None)
        setattr(self, self.field_for(record), record)


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Task(RecordLink, models.Model):
    """Something to do about a record, for a user or for an agency's queue."""

    RECORD_FIELDS = TASK_RECORD_FIELDS

    title = models.CharField(max_length=NAME, help_text="What needs doing, in a few words.")
    notes = limited_text(SHORT_TEXT, blank=True, help_text="Anything the person doing it should know.")
    due_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_scheduled_time],
        help_text="Leave empty when there is no deadline.",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    assigned_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="task_queue"
    )
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Empty for a task made by a reminder rule.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # Automatic tasks carry the key of their cause ("reminder:declined:<referral id>"): one open task per key.
    source = models.CharField(max_length=100, blank=True, default="", editable=False)

    operation = _record_fk("cases.Operation", "tasks")
    person = _record_fk("cases.Person", "tasks")
    contact = _record_fk("cases.Contact", "tasks")
    referral = _record_fk("cases.Referral", "tasks")
    handoff = _record_fk("cases.CustodyHandoff", "tasks")
    investigation = _record_fk("cases.Investigation", "tasks")
    prosecution = _record_fk("cases.Prosecution", "tasks")
    relief_request = _record_fk("cases.ReliefRequest", "tasks")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["assigned_user", "status", "due_date"]),
            models.Index(fields=["assigned_agency", "status", "due_date"]),
        ]
        constraints = [
            _exactly_one(TASK_RECORD_FIELDS, "task_on_exactly_one_record"),
            models.CheckConstraint(
                condition=(Q(assigned_user__isnull=False) & Q(assigned_agency__isnull=True))
                | (Q(assigned_user__isnull=True) & Q(assigned_agency__isnull=False)),
                name="task_for_a_user_or_a_queue",
            ),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=TaskStatus.OPEN) & Q(closed_at__isnull=False)),
                name="task_closed_when_done_or_cancelled",
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(status=TaskStatus.OPEN) & ~Q(source=""),
                name="task_source_once_while_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        check_text_limits(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (self.assigned_user_id is None) == (self.assigned_agency_id is None):
            raise ValidationError({"assigned_user": "Give the task to one person or to one agency's queue."})

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < (today or timezone.localdate())


class Follow(RecordLink, models.Model):
    """A user follows a record: its changes since they last looked show on "My work"."""

    RECORD_FIELDS = FOLLOW_RECORD_FIELDS

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the user last looked at "My work"; changes after it are new to them.
    seen_at = models.DateTimeField(default=timezone.now)

    operation = _record_fk("cases.Operation", "follows")
    person = _record_fk("cases.Person", "follows")
    referral = _record_fk("cases.Referral", "follows")
    investigation = _record_fk("cases.Investigation", "follows")
    prosecution = _record_fk("cases.Prosecution", "follows")
    relief_request = _record_fk("cases.ReliefRequest", "follows")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _exactly_one(FOLLOW_RECORD_FIELDS, "follow_of_exactly_one_record"),
            *(
                models.UniqueConstraint(
                    fields=["user", name], condition=Q(**{f"{name}__isnull": False}), name=f"follow_once_{name}"
                )
                for name in FOLLOW_RECORD_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"Follow of a {self.record._meta.verbose_name}"


track(Task)
