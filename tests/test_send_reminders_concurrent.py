"""Two send_reminders runs at once, on PostgreSQL, send each e-mail once.

The runs are real concurrent database sessions (threads, each with its own connection):
first through the command's lease, then with the lease left out, so the reminder keys, the
outbox claim and the per-row send claim are shown to hold on their own.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from agencies.models import AgencyKind, AgencyLevel, Role
from notifications import delivery, rules
from notifications.models import Notification, OutboxEmail, Reminder

from . import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent sessions need PostgreSQL"),
]

ADVOCATES = 4
REFERRALS = 3


def _overdue_referrals():
    harbor = f.AgencyFactory(kind=AgencyKind.VICTIM_SERVICES, level=AgencyLevel.NON_PROFIT, short_name="HARBOR")
    for n in range(ADVOCATES):
        user = f.UserFactory(username=f"advocate_{n}", email=f"advocate{n}@agency.example.org")
        f.MembershipFactory(user=user, agency=harbor, role=Role.ADVOCATE)
    sent = timezone.now() - timedelta(hours=50)
    for _ in range(REFERRALS):
        f.ReferralFactory(to_agency=harbor, sent_at=sent)


def _together(work, runs: int = 2) -> list:
    """Start `runs` threads at the same moment; each runs `work(i)` on its own connection."""
    barrier = threading.Barrier(runs)
    results, errors = [None] * runs, []

    def thread(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def _received(smtp_server) -> Counter:
    return Counter(message["To"] for message in smtp_server.messages)


def test_two_runs_at_once_send_each_mail_once(smtp_server):
    _overdue_referrals()
    now = timezone.now()
    runs = _together(lambda i: delivery.run(now, holder=f"server-{i}"))
    assert sum(run.ran for run in runs) >= 1
    assert Reminder.objects.count() == REFERRALS
    assert _received(smtp_server) == Counter({f"advocate{n}@agency.example.org": 1 for n in range(ADVOCATES)})
    # Run again, both at once: nothing is sent twice.
    _together(lambda i: delivery.run(now + timedelta(minutes=5), holder=f"server-{i}"))
    assert sum(_received(smtp_server).values()) == ADVOCATES


def test_without_the_lease_the_keys_and_claims_still_send_each_mail_once(smtp_server):
    _overdue_referrals()
    now = timezone.now()

    def unlocked(i):
        rules.remind(now)
        delivery.queue(now)
        return delivery.send_due(now)

    for _ in range(3):  # several rounds of two racing runs
        _together(unlocked)
    assert Reminder.objects.count() == REFERRALS
    assert Notification.objects.count() == REFERRALS * ADVOCATES
    assert OutboxEmail.objects.count() == ADVOCATES
    assert not Notification.objects.exclude(email=Notification.Email.QUEUED).exists()
    assert _received(smtp_server) == Counter({f"advocate{n}@agency.example.org": 1 for n in range(ADVOCATES)})
    assert all(row.attempts == 1 and row.sent_at for row in OutboxEmail.objects.all())
