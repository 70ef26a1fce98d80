"""What "My work" shows a user: its tasks, its agency's queue, what waits for it, and what
changed on the records it follows. Used by the home page and the API's counts.

Each part is a fixed number of queries, whatever the amount of data (the home page is the
most visited page; tests/test_my_work.py holds it to a query budget at scale).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from cases import access
from cases.models import CustodyHandoff, Referral, ReferralStatus, ReliefRequest
from cases.models.relief import OPEN_RELIEF_STATUSES

from .filters import overdue, overdue_first
from .models import FOLLOW_RECORD_FIELDS, Follow, Task, TaskStatus

LIMIT = 10
TASK_RELATED = ("assigned_user", "assigned_agency", *Task.RECORD_FIELDS)


@dataclass
class Waiting:
    """A kind of item waiting for the user's agency: how many, and the list that shows them."""

    key: str
    label: str
    count: int
    section: str  # the navigation section whose list shows them


@dataclass
class Change:
    """A followed record changed since the user last looked: how often, when, by whom last."""

    record: object
    times: int
    last_at: datetime
    last_by: object


@dataclass
class MyWork:
    my_tasks: list = field(default_factory=list)
    my_count: int = 0
    queue_tasks: list = field(default_factory=list)
    queue_count: int = 0
    overdue_count: int = 0
    waiting: list[Waiting] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def open_tasks(user):
    return Task.objects.visible_to(user).filter(status=TaskStatus.OPEN)


def task_counts(user) -> dict[str, int]:
    """Open tasks given to the user, in its agency's queue, and overdue among them: one query."""
    agency_id = access.viewer_for(user).agency_id
    mine, queue = Q(assigned_user_id=user.pk), Q(assigned_agency_id=agency_id)
    return open_tasks(user).aggregate(
        mine=Count("pk", filter=mine),
        queue=Count("pk", filter=queue),
        overdue=Count("pk", filter=(mine | queue) & overdue()),
    )


def waiting_for(user) -> list[Waiting]:
    """Referrals to acknowledge, custody receipts to confirm, relief requests to answer: one query each
    the role has (each asked only of a role that sees such records)."""
    agency_id = access.viewer_for(user).agency_id
    found = []
    if access.navigation_shows(user, "referral"):
        referrals = Referral.objects.visible_to(user).active()
        count = referrals.filter(to_agency_id=agency_id, status=ReferralStatus.SENT).count()
        found.append(Waiting("referrals", "Referrals to acknowledge", count, "referral"))
    if access.navigation_shows(user, "handoff"):
        handoffs = CustodyHandoff.objects.visible_to(user).active()
        count = handoffs.filter(
            receiving_agency_id=agency_id, handed_over_at__isnull=False, acknowledged_at__isnull=True
        ).count()
        found.append(Waiting("custody", "Custody receipts to confirm", count, "handoff"))
    relief = ReliefRequest.objects.visible_to(user).active()
    count = relief.filter(requested_of_agency_id=agency_id, status__in=OPEN_RELIEF_STATUSES).count()
    found.append(Waiting("relief", "Relief requests to answer", count, "relief"))
    return found


def changes_since_seen(user, limit: int = LIMIT) -> list[Change]:
    """The followed records (still visible) changed by someone else since the user last looked.

    One query for the follows, and one per kind of record followed, on its change history.
    """
    follows = list(
        Follow.objects.visible_to(user).select_related(*FOLLOW_RECORD_FIELDS).order_by("-seen_at", "-pk")[:100]
    )
    by_kind: dict[str, dict[int, Follow]] = {}
    for follow in follows:
        by_kind.setdefault(follow.record_field, {})[getattr(follow, f"{follow.record_field}_id")] = follow
    changes = []
    for kind, followed in by_kind.items():
        model = Follow._meta.get_field(kind).related_model
        since = min(f.seen_at for f in followed.values())
        rows = (
            model.history.filter(id__in=list(followed), history_date__gt=since)
            .exclude(history_user_id=user.pk)
            .order_by("-history_date")
            .values_list("id", "history_date", "history_user__first_name", "history_user__last_name")
        )
        seen: dict[int, Change] = {}
        for record_id, at, first, last in rows:
            follow = followed[record_id]
            if at <= follow.seen_at:
                continue
            if record_id in seen:
                seen[record_id].times += 1
            else:
                seen[record_id] = Change(follow.record, 1, at, f"{first} {last}".strip() or "the system")
        changes += seen.values()
    changes.sort(key=lambda change: change.last_at, reverse=True)
    return changes[:limit]


def my_work(user) -> MyWork:
    agency_id = access.viewer_for(user).agency_id
    tasks = open_tasks(user).select_related(*TASK_RELATED)
    counts = task_counts(user)
    # A list the count says is empty is not asked for: each is a query as long as the access
    # policy (a test of every kind of record a task may hang on), planned afresh on every visit.
    return MyWork(
        my_tasks=list(overdue_first(tasks.filter(assigned_user_id=user.pk))[:LIMIT]) if counts["mine"] else [],
        my_count=counts["mine"],
        queue_tasks=list(overdue_first(tasks.filter(assigned_agency_id=agency_id))[:LIMIT]) if counts["queue"] else [],
        queue_count=counts["queue"],
        overdue_count=counts["overdue"],
        waiting=waiting_for(user),
        changes=changes_since_seen(user),
    )
