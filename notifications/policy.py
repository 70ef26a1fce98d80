"""Puts the notification tables under the access policy (the rules are in cases/access/rules.py)."""

from cases import access


def register_all() -> None:
    from .models import Notification, NotificationPreference, OutboxEmail, Reminder, SendLease

    access.register(Notification, access.own_rows_rule("recipient"))
    # A reminder is seen by those it notified.
    access.register(Reminder, access.own_rows_rule("notifications__recipient"))
    access.register(OutboxEmail, access.own_rows_rule("recipient"))
    access.register(NotificationPreference, access.own_rows_rule("user"))
    access.register(SendLease, access.nobody_rule)
