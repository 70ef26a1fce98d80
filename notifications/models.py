"""Reminders, the notifications they give each person told, e-mail preferences and the outbox.

None of these rows holds personal data: a reminder points at its record by type and id,
a notification says only its kind (notifications/kinds.py), and a mail only counts of
kinds and a link to the sign-in page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.base import ScopedQuerySet

from .kinds import Kind


class Reminder(models.Model):
    """One reminder of one rule, for one record, at one stage: created once (its unique key)."""

    key = models.CharField(max_length=120, unique=True, help_text="Rule, stage and record: made once.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    stage = models.CharField(max_length=20)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Agency told."
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_because = models.CharField(max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind"], condition=Q(closed_at__isnull=True), name="open_reminder_by_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({'closed' if self.closed_at else 'open'})"


class Notification(models.Model):
    """What one person is told, in the application and (per preference) by e-mail."""

    class Email(models.TextChoices):
        PENDING = "pending", "Waiting to be e-mailed"
        QUEUED = "queued", "In the outbox"
        NOT_SENT = "not_sent", "Not e-mailed (e-mail off)"
        RESOLVED = "resolved", "Not e-mailed (resolved first)"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.ForeignKey(Reminder, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    link = models.CharField(max_length=200, blank=True, help_text="The page of the record (signed-in users only).")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.PENDING)
    outbox = models.ForeignKey(
        "notifications.OutboxEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="one_notification_per_reminder_and_user")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_of_user"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="unread_notifications_of_user"),
            models.Index(fields=["email"], condition=Q(email="pending"), name="notifications_to_email"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({'read' if self.read_at else 'unread'})"

    @property
    def text(self) -> str:
        from .kinds import sentence

        return sentence(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DIGEST = "digest", "Once a day (daily digest)"
    OFF = "off", "Never (only in the application)"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        max_length=12,
        choices=EmailPreference.choices,
        default=EmailPreference.IMMEDIATELY,
        help_text="When to e-mail you about new notifications. The e-mail names no person or record.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"E-mail: {self.get_email_display()}"


class OutboxEmail(models.Model):
    """One e-mail to send: kept until it is sent, retried with a growing pause when it fails."""

    class Sort(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate"
        DIGEST = "digest", "Daily digest"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_emails")
    sort = models.CharField(max_length=10, choices=Sort.choices)
    # A digest is made once per user and day (the constraint below), whichever server runs.
    digest_on = models.DateField(null=True, blank=True)
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_on"],
                condition=Q(digest_on__isnull=False),
                name="one_digest_per_user_and_day",
            )
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_sort_display()} e-mail ({'sent' if self.sent_at else 'waiting'})"


class SendLease(models.Model):
    """Who is running send_reminders now: one row per job, held until `until`.

    A row rather than a PostgreSQL advisory lock, so the demo's SQLite keeps the same rule;
    the holder renews it as it goes, and a crashed holder's lease runs out by itself.
    """

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=100)
    until = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.until:%Y-%m-%d %H:%M}"
