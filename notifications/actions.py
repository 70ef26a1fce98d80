"""What a user does with their notifications, for the pages, the API and the admin alike."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cases import access

from .models import EmailPreference, Notification, NotificationPreference


def unread(user):
    return Notification.objects.visible_to(user).filter(read_at__isnull=True)


def unread_count(user) -> int:
    return unread(user).count()


def mark_read(user, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (reading it twice changes nothing)."""
    access.require(user, "notification.view")
    access.ensure_visible(user, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(user) -> int:
    access.require(user, "notification.view")
    return unread(user).update(read_at=timezone.now())


def preference_of(user) -> NotificationPreference:
    """The user's e-mail preference (immediately, until they choose)."""
    found = NotificationPreference.objects.visible_to(user).first()
    return found or NotificationPreference(user=user, email=EmailPreference.IMMEDIATELY)


def set_preference(user, email: str) -> NotificationPreference:
    access.require(user, "notification.view")
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults={"email": email})
        access.ensure_visible(user, preference)
        if email == EmailPreference.OFF:
            # Nothing waiting goes out once mail is turned off.
            Notification.objects.filter(recipient=user, email=Notification.Email.PENDING).update(
                email=Notification.Email.NOT_SENT
            )
    return preference
