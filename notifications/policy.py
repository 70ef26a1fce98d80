"""Puts the notification tables under the access policy (the rules are in cases/access/rules.py)."""

from cases import access


def register_all() -> None:
    from .models import Notification, NotificationPreference, OutboxEmail, Reminder, SendLease

    access.register(Notification, access.addressed_rule("recipient"))
    # A reminder is seen by those it notified.
    access.register(Reminder, access.addressed_rule("notifications__recipient"))
    access.register(OutboxEmail, access.addressed_rule("recipient"))
    access.register(NotificationPreference, access.addressed_rule("user"))
    access.register(SendLease, access.nobody_rule)
