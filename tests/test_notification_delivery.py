"""E-mail through a real SMTP server on loopback: sent once, retried when the server fails,
daily digests once a day, nothing while another run holds the lease."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications import delivery, lease
from notifications.models import EmailPreference, Notification, NotificationPreference, OutboxEmail

from .mailserver import MailServer, free_port

pytestmark = pytest.mark.django_db


def _with_email(world, *personas):
    for persona in personas:
        user = getattr(world.users, persona)
        user.email = f"{user.username}@agency.example.org"
        user.save(update_fields=["email"])


def _overdue(world):
    """A moment when the St. Joseph referral has waited 49 hours (and nothing else is due yet)."""
    return world.records.referral_sjpd.sent_at + timedelta(hours=49)


def test_the_reminder_arrives_by_smtp_with_counts_and_a_sign_in_link(world, smtp_server):
    _with_email(world, "advocate_harbor")
    call_command("send_reminders", now=_overdue(world).isoformat())
    to_advocate = [msg for msg in smtp_server.messages if msg["To"] == "advocate_hana@agency.example.org"]
    assert len(to_advocate) == 1
    message = to_advocate[0]
    body = message.get_content()
    assert message["Subject"] == "Task-force case tracker: 1 new notification"
    assert "You have 1 referral to acknowledge." in body
    assert "http://127.0.0.1:8000/notifications/" in body
    # Run again: nothing new to say, nothing sent twice.
    call_command("send_reminders", now=(_overdue(world) + timedelta(minutes=5)).isoformat())
    assert len([msg for msg in smtp_server.messages if msg["To"] == "advocate_hana@agency.example.org"]) == 1
    row = OutboxEmail.objects.get(recipient=world.users.advocate_harbor)
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""


def test_a_failed_send_is_kept_logged_and_retried_with_a_growing_pause(world, settings, caplog):
    _with_email(world, "advocate_harbor")
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    now = _overdue(world)
    with caplog.at_level(logging.WARNING, logger="notifications.delivery"):
        delivery.run(now)
    row = OutboxEmail.objects.get(recipient=world.users.advocate_harbor)
    assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
    assert row.next_attempt_at == now + timedelta(minutes=settings.EMAIL_RETRY_MINUTES)
    assert f"E-mail {row.pk} not sent (attempt 1" in caplog.text
    # Not before the pause is over; and the pause doubles.
    delivery.run(now + timedelta(minutes=1))
    assert OutboxEmail.objects.get(pk=row.pk).attempts == 1
    delivery.run(now + timedelta(minutes=6))
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == now + timedelta(minutes=6 + 2 * settings.EMAIL_RETRY_MINUTES)
    # The server is back: the same e-mail goes, once.
    server = MailServer(port)
    server.start()
    try:
        delivery.run(now + timedelta(minutes=20))
        delivery.run(now + timedelta(minutes=40))
    finally:
        server.stop()
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 3
    assert [msg["To"] for msg in server.messages].count("advocate_hana@agency.example.org") == 1


def test_the_pause_between_retries_doubles_up_to_the_maximum(settings):
    settings.EMAIL_RETRY_MINUTES, settings.EMAIL_RETRY_MAX_MINUTES = 5, 360
    assert [delivery.retry_pause(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8, 20)] == [5, 10, 20, 40, 360, 360]


def test_a_daily_digest_goes_once_a_day(world, smtp_server, settings):
    _with_email(world, "advocate_harbor")
    NotificationPreference.objects.create(user=world.users.advocate_harbor, email=EmailPreference.DIGEST)
    settings.NOTIFICATION_DIGEST_HOUR = 0
    now = _overdue(world)
    delivery.run(now)
    delivery.run(now + timedelta(minutes=10))
    digests = OutboxEmail.objects.filter(recipient=world.users.advocate_harbor)
    assert digests.count() == 1 and digests.get().sort == OutboxEmail.Sort.DIGEST
    assert len([m for m in smtp_server.messages if m["To"] == "advocate_hana@agency.example.org"]) == 1


def test_the_digest_waits_for_its_hour(world, smtp_server, settings):
    _with_email(world, "advocate_harbor")
    NotificationPreference.objects.create(user=world.users.advocate_harbor, email=EmailPreference.DIGEST)
    now = _overdue(world)
    settings.NOTIFICATION_DIGEST_HOUR = timezone.localtime(now).hour + 1 if timezone.localtime(now).hour < 23 else 24
    delivery.run(now)
    assert not OutboxEmail.objects.filter(recipient=world.users.advocate_harbor).exists()
    assert Notification.objects.filter(recipient=world.users.advocate_harbor, email="pending").exists()


def test_no_mail_when_the_user_turned_it_off(world, smtp_server):
    _with_email(world, "advocate_harbor")
    NotificationPreference.objects.create(user=world.users.advocate_harbor, email=EmailPreference.OFF)
    delivery.run(_overdue(world))
    assert not [m for m in smtp_server.messages if m["To"] == "advocate_hana@agency.example.org"]
    # The notification is still in the application.
    assert Notification.objects.filter(recipient=world.users.advocate_harbor, read_at__isnull=True).exists()


def test_a_run_stops_while_another_holds_the_lease(world, smtp_server):
    _with_email(world, "advocate_harbor")
    assert lease.acquire(delivery.LEASE_NAME, "other-server", seconds=600)
    result = delivery.run(_overdue(world), holder="this-server")
    assert not result.ran and not smtp_server.messages and not Notification.objects.exists()
    lease.release(delivery.LEASE_NAME, "other-server")
    assert delivery.run(_overdue(world), holder="this-server").ran


def test_a_lease_left_by_a_dead_run_runs_out(world):
    assert lease.acquire("job", "crashed", seconds=1)
    assert not lease.acquire("job", "next", seconds=60)
    from notifications.models import SendLease

    SendLease.objects.filter(name="job").update(until=timezone.now() - timedelta(seconds=1))
    assert lease.acquire("job", "next", seconds=60)
