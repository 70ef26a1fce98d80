"""Notifications, their reminders, e-mail and preferences are their addressee's alone.

Each persona sees exactly its own rows (the coordinator too: a user's reminders are not a
case record); the system administrator and a user without membership none; the lease of
send_reminders nobody. The admin pages show the same rows, and another user's row is 404.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import access
from notifications.models import Notification, NotificationPreference, OutboxEmail, Reminder, SendLease

from . import factories as f
from .test_access_matrix import ALL_PERSONAS

pytestmark = pytest.mark.django_db

WITH_ROWS = ("coordinator", "officer_sjpd", "advocate_harbor", "caseworker", "analyst", "tf_auditor")


def _fill(world) -> dict:
    """One notification (about its own kind of record), an e-mail and a preference per persona with rows."""
    r = world.records
    about = {
        "coordinator": r.handoff_sjpd,
        "officer_sjpd": r.relief_sjpd,
        "advocate_harbor": r.referral_sjpd,
        "caseworker": r.handoff_sjpd,
        "analyst": r.referral_kcpd,  # (a row addressed to it; what it may open is the policy's business)
        "tf_auditor": r.referral_kcpd,
    }
    rows = {}
    for persona, record in about.items():
        user = getattr(world.users, persona)
        note = f.notification(user, record)
        mail = OutboxEmail.objects.create(
            recipient=user, sort="immediate", to_address="x@agency.example.org", subject="s", body="b"
        )
        preference = NotificationPreference.objects.create(user=user, email="digest")
        rows[persona] = {Notification: {note.pk}, Reminder: {note.reminder_id}, OutboxEmail: {mail.pk}}
        rows[persona][NotificationPreference] = {preference.pk}
    SendLease.objects.create(name="send_reminders", holder="server-1", until=timezone.now())
    return rows


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_each_persona_sees_exactly_its_own_rows(world, persona):
    rows = _fill(world)
    user = getattr(world.users, persona)
    for model in (Notification, Reminder, OutboxEmail, NotificationPreference):
        expected = rows.get(persona, {}).get(model, set())
        visible = set(access.scope(model.objects.all(), user).values_list("pk", flat=True))
        # The advocate and the caseworker share no reminder, but the caseworker and the
        # coordinator are told of the same hand-off: one reminder, seen by both.
        assert visible == expected, model.__name__
    assert not access.scope(SendLease.objects.all(), user).exists()


def test_the_admin_lists_own_rows_and_answers_404_for_anothers(world, client):
    rows = _fill(world)
    for persona in ("advocate_harbor", "caseworker"):
        user = getattr(world.users, persona)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(world.users.advocate_harbor)
    listed = client.get(reverse("admin:notifications_notification_changelist"))
    assert {n.pk for n in listed.context["cl"].result_list} == rows["advocate_harbor"][Notification]
    (caseworkers,) = rows["caseworker"][Notification]
    assert client.get(reverse("admin:notifications_notification_change", args=[caseworkers])).status_code == 404
    (own,) = rows["advocate_harbor"][Notification]
    assert client.get(reverse("admin:notifications_notification_change", args=[own])).status_code == 200
    # Nothing is added, changed or deleted by hand.
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert (
        client.post(reverse("admin:notifications_notification_delete", args=[own]), {"post": "yes"}).status_code == 403
    )
    assert Notification.objects.filter(pk=own).exists()
