"""Every reminder rule, in one place, and `remind(now)` that applies them.

Each rule names the records whose cause is still open (`open`), which of them are due at
`now` (`due`), who is told, and the page a notification links to. A reminder is made once
per rule, stage and record (its unique `key`); it closes by itself when its record leaves
`open` (acknowledged, confirmed, answered, the date passed or was cancelled...). Rules take
`now`, so tests move time instead of sleeping. The delays are settings (README,
"Configuration").

Who is told is asked of the policy (cases.access): the staff of an agency who may take the
step, its supervisors, the coordinators, the advocates told of a court date; and nobody is
told of a record they may not see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from cases import access
from cases.models import CourtEvent, CustodyHandoff, Referral, ReferralStatus, ReliefRequest, ServiceOffer
from cases.models.contacts import OfferResponse
from cases.models.prosecutions import CourtEventStatus
from cases.models.relief import OPEN_RELIEF_STATUSES, ReliefStatus
from work import actions as work_actions

from .kinds import Kind
from .models import EmailPreference, Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    kind: str
    stage: str
    model: type[models.Model]
    #: The records whose cause is unresolved at `now` (a reminder of a record outside it closes).
    open: Callable[[datetime], models.QuerySet]
    #: Which open records are due a reminder at `now`.
    due: Callable[[models.QuerySet, datetime], models.QuerySet]
    #: The agency told (shown on the reminder), and the people told.
    agency: Callable[[models.Model], int | None]
    told: Callable[[models.Model], Iterable]
    link: Callable[[models.Model], str]
    #: Why a reminder of this rule closes, in words.
    resolved: str
    #: What else a new reminder does (the follow-up task), and what its closing undoes.
    then: Callable[[models.Model, list, datetime], None] | None = None
    closed: Callable[[list, datetime], None] | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.stage}"

    def key(self, record) -> str:
        return f"{self.kind}:{self.stage}:{record._meta.label_lower}:{record.pk}"


def _hours(name: str) -> timedelta:
    return timedelta(hours=getattr(settings, name))


def _days(name: str) -> timedelta:
    return timedelta(days=getattr(settings, name))


def _may(action: str, agency_id, record) -> list:
    """The agency's current staff who may take `action` on the record."""
    return [user for user in access.agency_staff(agency_id) if access.can(user, action, record)]


# --- referrals: acknowledged in 48 hours, else the supervisor at 72 -------------------


def _unacknowledged(now):
    return Referral.objects.filter(status=ReferralStatus.SENT, voided_at__isnull=True)


def _referral_link(referral) -> str:
    return reverse("web:referral_detail", args=[referral.pk])


# --- custody: receipt confirmed within 4 hours of the hand-over ------------------------


def _unconfirmed(now):
    return CustodyHandoff.objects.filter(
        handed_over_at__isnull=False, acknowledged_at__isnull=True, voided_at__isnull=True
    )


def _custody_told(handoff) -> list:
    return _may("custody.acknowledge", handoff.receiving_agency_id, handoff) + list(access.task_force_coordinators())


# --- a declined offer: a follow-up offer a week later ----------------------------------


def _declined_without_new_offer(now):
    later = ServiceOffer.objects.filter(
        person_id=OuterRef("person_id"),
        service_type_id=OuterRef("service_type_id"),
        offered_at__gt=OuterRef("offered_at"),
        voided_at__isnull=True,
    )
    return ServiceOffer.objects.filter(response=OfferResponse.DECLINED, voided_at__isnull=True).filter(~Exists(later))


def follow_up_agency(offer) -> int:
    """The advocates of the referral the offer was made on; otherwise the agency that offered."""
    if offer.referral_id:
        return Referral.objects.values_list("to_agency_id", flat=True).get(pk=offer.referral_id)
    return offer.offered_by_id


def _follow_up_told(offer) -> list:
    return _may("person_level.view", follow_up_agency(offer), None)


def _follow_up_source(offer_id: int) -> str:
    return f"reminder:follow_up:{offer_id}"


def _follow_up_task(offer, told: list, now) -> None:
    """A task in the queue of the referring advocates' agency: offer the service again."""
    work_actions.create_task(
        None,
        offer.referral if offer.referral_id else offer.person,
        title="Offer services again",
        notes=(
            "A service offered a week ago was declined. Victims often accept after being offered services "
            "five to ten times: offer it again."
        ),
        due_date=timezone.localdate(now),
        assigned_agency=Agency.objects.get(pk=follow_up_agency(offer)),
        source=_follow_up_source(offer.pk),
    )


def _follow_up_done(offer_ids, now) -> None:
    for offer_id in offer_ids:
        work_actions.close_tasks_for_source(None, _follow_up_source(offer_id))


# --- court dates: a week and a day before -----------------------------------------------


def _scheduled(now):
    return CourtEvent.objects.filter(status=CourtEventStatus.SCHEDULED, scheduled_at__gt=now)


def _court_notice(kind: str, stage: str, due) -> Rule:
    """A notice of a court date to the advocates of its victims and witnesses (no agency of its own)."""
    return Rule(
        kind,
        stage,
        CourtEvent,
        open=_scheduled,
        due=due,
        agency=lambda event: None,
        told=access.court_date_notified,
        link=lambda event: reverse("web:court_event_list"),
        resolved="held, postponed, cancelled or past",
    )


# --- immigration relief: expiring within 60 days; unanswered after 30 -----------------


def _granted(now):
    return ReliefRequest.objects.filter(status=ReliefStatus.GRANTED, voided_at__isnull=True, expires_on__isnull=False)


def _unanswered(now):
    return ReliefRequest.objects.filter(status__in=OPEN_RELIEF_STATUSES, voided_at__isnull=True)


def _relief_answerers(relief) -> list:
    staff = access.agency_staff(relief.requested_of_agency_id)
    return [u for u in staff if any(access.can(u, f"relief.{step}", relief) for step in ("review", "grant", "decline"))]


def _relief_link(relief) -> str:
    return reverse("web:relief_detail", args=[relief.pk])


def _today(now) -> datetime.date:
    return timezone.localdate(now)


RULES: tuple[Rule, ...] = (
    Rule(
        Kind.REFERRAL_TO_ACKNOWLEDGE,
        "48h",
        Referral,
        open=_unacknowledged,
        due=lambda qs, now: qs.filter(sent_at__lte=now - _hours("REFERRAL_ACKNOWLEDGE_HOURS")),
        agency=lambda r: r.to_agency_id,
        told=lambda r: _may("referral.acknowledge", r.to_agency_id, r),
        link=_referral_link,
        resolved="acknowledged, revoked or voided",
    ),
    Rule(
        Kind.REFERRAL_OVERDUE,
        "72h",
        Referral,
        open=_unacknowledged,
        due=lambda qs, now: qs.filter(sent_at__lte=now - _hours("REFERRAL_ESCALATE_HOURS")),
        agency=lambda r: r.to_agency_id,
        told=lambda r: access.agency_supervisors(r.to_agency_id),
        link=_referral_link,
        resolved="acknowledged, revoked or voided",
    ),
    Rule(
        Kind.CUSTODY_TO_CONFIRM,
        "4h",
        CustodyHandoff,
        open=_unconfirmed,
        due=lambda qs, now: qs.filter(handed_over_at__lte=now - _hours("CUSTODY_CONFIRM_HOURS")),
        agency=lambda h: h.receiving_agency_id,
        told=_custody_told,
        link=lambda h: reverse("web:handoff_detail", args=[h.pk]),
        resolved="receipt confirmed, or the hand-off voided",
    ),
    Rule(
        Kind.FOLLOW_UP_OFFER,
        "7d",
        ServiceOffer,
        open=_declined_without_new_offer,
        due=lambda qs, now: qs.filter(offered_at__lte=now - _days("DECLINED_FOLLOW_UP_DAYS")),
        agency=follow_up_agency,
        told=_follow_up_told,
        link=lambda o: reverse("web:person_detail", args=[o.person_id]),
        resolved="offered again, or the offer voided",
        then=_follow_up_task,
        closed=_follow_up_done,
    ),
    # Inside the last day only the "tomorrow" notice is sent.
    _court_notice(
        Kind.COURT_DATE_WEEK,
        "7d",
        lambda qs, now: qs.filter(
            scheduled_at__lte=now + _days("COURT_NOTICE_WEEK_DAYS"),
            scheduled_at__gt=now + _days("COURT_NOTICE_LAST_DAYS"),
        ),
    ),
    _court_notice(
        Kind.COURT_DATE_TOMORROW,
        "1d",
        lambda qs, now: qs.filter(scheduled_at__lte=now + _days("COURT_NOTICE_LAST_DAYS")),
    ),
    Rule(
        Kind.RELIEF_EXPIRING,
        "60d",
        ReliefRequest,
        open=_granted,
        due=lambda qs, now: qs.filter(expires_on__lte=_today(now) + _days("RELIEF_EXPIRY_NOTICE_DAYS")),
        agency=lambda r: r.requested_by_agency_id,
        told=lambda r: _may("relief.renew", r.requested_by_agency_id, r),
        link=_relief_link,
        resolved="renewed, marked expired or voided",
    ),
    Rule(
        Kind.RELIEF_TO_ANSWER,
        "30d",
        ReliefRequest,
        open=_unanswered,
        due=lambda qs, now: qs.filter(requested_on__lt=_today(now) - _days("RELIEF_ANSWER_DAYS")),
        agency=lambda r: r.requested_of_agency_id,
        told=_relief_answerers,
        link=_relief_link,
        resolved="signed, granted, declined or withdrawn",
    ),
)


@dataclass
class Outcome:
    made: int = 0
    closed: int = 0
    notified: int = 0


def remind(now: datetime | None = None) -> Outcome:
    """Make the reminders due at `now`, once each, and close those whose cause is resolved."""
    now = now or timezone.now()
    outcome = Outcome()
    for rule in RULES:
        outcome.closed += close_resolved(rule, now)
        content_type = ContentType.objects.get_for_model(rule.model)
        made = Reminder.objects.filter(kind=rule.kind, stage=rule.stage, content_type=content_type)
        due = rule.due(rule.open(now), now).exclude(pk__in=made.values("object_id")).order_by("pk")
        for record in due:
            notified = _remind(rule, record, content_type, now)
            if notified is not None:
                outcome.made += 1
                outcome.notified += notified
    return outcome


def _remind(rule: Rule, record, content_type, now) -> int | None:
    """One reminder and its notifications, in one transaction; None if another run made it first."""
    told = {user.pk: user for user in rule.told(record) if access.is_visible(user, record)}
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                key=rule.key(record),
                kind=rule.kind,
                stage=rule.stage,
                content_type=content_type,
                object_id=record.pk,
                agency_id=rule.agency(record),
                created_at=now,
            )
            off = set(
                NotificationPreference.objects.filter(user_id__in=told, email=EmailPreference.OFF).values_list(
                    "user_id", flat=True
                )
            )
            Notification.objects.bulk_create(
                Notification(
                    recipient_id=pk,
                    reminder=reminder,
                    kind=rule.kind,
                    link=rule.link(record),
                    created_at=now,
                    email=Notification.Email.NOT_SENT if pk in off else Notification.Email.PENDING,
                )
                for pk in told
            )
            if rule.then is not None:
                rule.then(record, list(told.values()), now)
    except IntegrityError:  # the same key, made by a run on another server a moment ago
        return None
    if not told:
        logger.warning("Reminder %s (%s) has nobody to tell: no current staff may act on it.", reminder.pk, rule.label)
    return len(told)


def close_resolved(rule: Rule, now: datetime) -> int:
    """Close the open reminders of the rule whose record is no longer open; their unsent mail is dropped."""
    content_type = ContentType.objects.get_for_model(rule.model)
    open_reminders = Reminder.objects.filter(
        kind=rule.kind, stage=rule.stage, content_type=content_type, closed_at__isnull=True
    )
    ids = dict(open_reminders.values_list("object_id", "pk"))
    if not ids:
        return 0
    still_open = set(rule.open(now).filter(pk__in=ids).values_list("pk", flat=True))
    resolved = [pk for object_id, pk in ids.items() if object_id not in still_open]
    if not resolved:
        return 0
    with transaction.atomic():
        if rule.closed is not None:
            rule.closed([object_id for object_id in ids if object_id not in still_open], now)
        Reminder.objects.filter(pk__in=resolved, closed_at__isnull=True).update(
            closed_at=now, closed_because=rule.resolved
        )
        Notification.objects.filter(reminder_id__in=resolved, email=Notification.Email.PENDING).update(
            email=Notification.Email.RESOLVED
        )
    return len(resolved)


def is_resolved(notification: Notification) -> bool:
    return notification.reminder.closed_at is not None
