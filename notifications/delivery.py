"""E-mail: the outbox filled from pending notifications, then sent, retried and never lost.

- Pending notifications of a user who wants mail "immediately" become one e-mail per run;
  of a user on the daily digest, one e-mail a day (one outbox row per user and day, under a
  unique constraint, so two servers cannot both make it), sent from NOTIFICATION_DIGEST_HOUR.
- Sending claims each row first (a compare-and-set on its attempt count that also moves its
  next attempt into the future), so a row is sent by one run only, even past the lease.
- A failure keeps the row with its error and the attempt count; it is tried again after a
  pause that doubles each time (EMAIL_RETRY_MINUTES, at most EMAIL_RETRY_MAX_MINUTES).
- `run()` does it all under the database lease (notifications.lease): safe from cron on
  several servers at once.

The mail names no person or record: counts of each kind and a link to sign in.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import lease, rules
from .kinds import Kind, counted
from .models import EmailPreference, Notification, NotificationPreference, OutboxEmail

logger = logging.getLogger(__name__)

LEASE_NAME = "send_reminders"


def site_link(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name)


def compose(kinds: Counter) -> tuple[str, str]:
    """Subject and body: how many of each kind, and where to sign in. Nothing else."""
    total = sum(kinds.values())
    subject = f"Task-force case tracker: {total} new notification{'s' if total != 1 else ''}"
    lines = [counted(kind, number) for kind, number in sorted(kinds.items(), key=lambda kv: Kind.values.index(kv[0]))]
    body = "\n".join(
        [
            "Hello,",
            "",
            *lines,
            "",
            f"Sign in to see them: {site_link('notifications:list')}",
            "",
            "For the safety of the people in our records this e-mail names no person and no record.",
            f"Choose how often you get these e-mails: {site_link('notifications:settings')}",
        ]
    )
    return subject, body


def _preferences(user_ids) -> dict[int, str]:
    chosen = dict(NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email"))
    return {pk: chosen.get(pk, EmailPreference.IMMEDIATELY) for pk in user_ids}


def queue(now: datetime) -> int:
    """Put the pending notifications into the outbox, per each user's preference. Returns e-mails made."""
    pending = (
        Notification.objects.filter(email=Notification.Email.PENDING)
        .select_related("recipient")
        .order_by("recipient_id", "id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient_id].append(notification)
    made = 0
    today = timezone.localdate(now)
    digest_time = timezone.localtime(now).hour >= settings.NOTIFICATION_DIGEST_HOUR
    for user_id, preference in _preferences(list(by_user)).items():
        notifications = by_user[user_id]
        recipient = notifications[0].recipient
        ids = [n.pk for n in notifications]
        if preference == EmailPreference.OFF or not recipient.email or not recipient.is_active:
            Notification.objects.filter(pk__in=ids, email=Notification.Email.PENDING).update(
                email=Notification.Email.NOT_SENT
            )
            continue
        if preference == EmailPreference.DIGEST and not digest_time:
            continue
        made += _outbox_row(recipient, notifications, now, today if preference == EmailPreference.DIGEST else None)
    return made


def _outbox_row(recipient, notifications, now, digest_on) -> int:
    subject, body = compose(Counter(n.kind for n in notifications))
    try:
        with transaction.atomic():
            row = OutboxEmail.objects.create(
                recipient=recipient,
                sort=OutboxEmail.Sort.DIGEST if digest_on else OutboxEmail.Sort.IMMEDIATE,
                digest_on=digest_on,
                to_address=recipient.email,
                subject=subject,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in notifications], email=Notification.Email.PENDING
            ).update(email=Notification.Email.QUEUED, outbox=row)
            if claimed != len(notifications):  # another run queued some of them meanwhile
                raise IntegrityError("notifications queued twice")
    except IntegrityError:
        # Today's digest is made already (the rest waits for tomorrow's), or another run got them.
        return 0
    return 1


def retry_pause(attempts: int) -> timedelta:
    minutes = settings.EMAIL_RETRY_MINUTES * 2 ** max(attempts - 1, 0)
    return timedelta(minutes=min(minutes, settings.EMAIL_RETRY_MAX_MINUTES))


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def send_due(now: datetime | None = None, limit: int = 500) -> Sent:
    """Send what is due in the outbox, each row by one run only; failures wait and are retried."""
    now = now or timezone.now()
    result = Sent()
    due = list(
        OutboxEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by("next_attempt_at", "id")[
            :limit
        ]
    )
    if not due:
        return result
    connection = get_connection(fail_silently=False)
    for row in due:
        # The claim: only the run that moves the attempt count on sends this row.
        claimed = OutboxEmail.objects.filter(pk=row.pk, sent_at__isnull=True, attempts=row.attempts).update(
            attempts=F("attempts") + 1, next_attempt_at=now + retry_pause(row.attempts + 1)
        )
        if not claimed:
            continue
        message = EmailMessage(
            row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to_address], connection=connection
        )
        try:
            message.send()
        except Exception as error:  # any failure of the mail server: kept, logged, retried
            text = f"{type(error).__name__}: {error}"[:500]
            OutboxEmail.objects.filter(pk=row.pk).update(last_error=text)
            logger.warning(
                "E-mail %s not sent (attempt %s, next at %s): %s",
                row.pk,
                row.attempts + 1,
                now + retry_pause(row.attempts + 1),
                text,
            )
            result.failed += 1
            result.errors.append(text)
            continue
        OutboxEmail.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
        result.sent += 1
    return result


@dataclass
class Run:
    ran: bool
    reminders: rules.Outcome | None = None
    queued: int = 0
    sent: Sent | None = None


def run(now: datetime | None = None, holder: str | None = None) -> Run:
    """What `manage.py send_reminders` does: reminders, outbox, sending — under the lease."""
    now = now or timezone.now()
    with lease.held(LEASE_NAME, holder, seconds=settings.SEND_REMINDERS_LEASE_SECONDS) as held:
        if not held:
            return Run(ran=False)
        outcome = rules.remind(now)
        queued = queue(now)
        sent = send_due(now)
        return Run(ran=True, reminders=outcome, queued=queued, sent=sent)
