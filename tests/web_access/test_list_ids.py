"""Every list page shows each persona exactly the records the policy lets it see.

The access table (test_web_access.py) checks status codes only: a list answering 200 with
another agency's rows, or with none, would pass it. Here, for every list page in that table
and every persona the table gives 200, the ids on the page (all pages followed) must equal
`Model.objects.visible_to(user)` narrowed the way the page narrows by default. Each page's
default narrowing is written once, in LISTS below; a list URL with no entry there fails
`test_every_list_page_has_an_id_rule`, so a new list page cannot go unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from apitokens.models import ApiToken
from cases import actions
from cases import models as m
from cases.access import viewer_for
from cases.views.base import ScopedListView
from exports.models import ExportJob
from imports.models import ContactImport
from notifications.models import Notification
from tests.factories import ReferralFactory, notification
from work.models import Task, TaskStatus

from .registry import load_tables

CASES = load_tables()


def _is_list_page(url_name: str) -> bool:
    """A page listing records: named `*_list`, `list` or `*_inbox` (the referral inbox)."""
    last = url_name.rsplit(":", 1)[-1]
    return last == "list" or last.endswith(("_list", "_inbox"))


def _agency_id(user) -> int:
    return viewer_for(user).agency_id


def _visible(model) -> Callable:
    return lambda user: model.objects.visible_to(user)


def _sent_by_own_agency(user):
    referrals = m.Referral.objects.visible_to(user)
    # The coordinator follows every agency's referrals; everyone else those their agency sent.
    if viewer_for(user).role == Role.COORDINATOR:
        return referrals
    return referrals.filter(from_agency_id=_agency_id(user))


def _inbox(user):
    # Drafts have not been sent yet: the receiving agency must not see them.
    return (
        m.Referral.objects.visible_to(user).filter(to_agency_id=_agency_id(user)).exclude(status=m.ReferralStatus.DRAFT)
    )


def _reportable_operations(user):
    # Reports count no voided record; the analyst reports on the whole task force (its
    # counts suppressed), though it may open no operation itself.
    base = m.Operation.objects.all() if viewer_for(user).role == Role.ANALYST else m.Operation.objects.visible_to(user)
    return base.filter(voided_at__isnull=True)


def _live_tokens(user):
    # Only the user's own tokens, and an expired one is no longer listed.
    return ApiToken.objects.filter(user=user).live()


@dataclass(frozen=True)
class ListRule:
    expected: Callable  # user → the queryset the page must show, all pages together
    context_key: str = "page_obj"  # where the rendered rows are; a page object is followed


LISTS: dict[str, ListRule] = {
    "web:operation_list": ListRule(_visible(m.Operation)),
    "web:person_list": ListRule(_visible(m.Person)),
    "web:referral_list": ListRule(_sent_by_own_agency),
    "web:referral_inbox": ListRule(_inbox),
    "web:handoff_list": ListRule(_visible(m.CustodyHandoff)),
    "web:detention_list": ListRule(_visible(m.Detention)),
    "web:investigation_list": ListRule(_visible(m.Investigation)),
    "web:prosecution_list": ListRule(_visible(m.Prosecution)),
    "web:relief_list": ListRule(_visible(m.ReliefRequest)),
    "web:court_event_list": ListRule(_visible(m.CourtEvent)),
    # Open tasks until a status is chosen.
    "web:task_list": ListRule(lambda user: Task.objects.visible_to(user).filter(status=TaskStatus.OPEN)),
    "reports:operation_list": ListRule(_reportable_operations),
    "apitokens:list": ListRule(_live_tokens, context_key="tokens"),
    # Downloads: the user's own export jobs, whatever the role.
    "exports:list": ListRule(lambda user: ExportJob.objects.filter(requested_by=user)),
    # Contact imports: the uploader's own; a supervisor its agency's; the coordinator all.
    "imports:list": ListRule(_visible(ContactImport)),
    # A user's own notifications only.
    "notifications:list": ListRule(_visible(Notification)),
}

LIST_CASES = [c for c in CASES if _is_list_page(c.url_name) and c.method == "get"]


def test_every_list_page_has_an_id_rule():
    missing = sorted({c.url_name for c in LIST_CASES} - set(LISTS))
    assert not missing, f"List pages with no entry in LISTS (tests/web_access/test_list_ids.py): {missing}"
    stale = sorted(set(LISTS) - {c.url_name for c in LIST_CASES})
    assert not stale, f"LISTS entries for pages the access table does not list: {stale}"


def _shown_ids(client, url: str, context_key: str) -> set[int]:
    """The ids of every row the page shows, following its pagination to the end."""
    ids: list[int] = []
    page_number = 1
    while True:
        response = client.get(url, {"page": page_number})
        assert response.status_code == 200, f"{url} page {page_number}: {response.status_code}"
        rows = response.context[context_key]
        if context_key != "page_obj":
            return {row.pk for row in rows}
        ids.extend(row.pk for row in rows.object_list)
        if not rows.has_next():
            break
        page_number += 1
    assert len(ids) == len(set(ids)), f"{url}: a record shown twice across pages"
    return set(ids)


def _add_edge_records(world) -> None:
    """Records that some pages list and others hide, so every default filter is exercised."""
    coordinator = world.users.coordinator
    operation = m.Operation.objects.get(pk=world.records.op_kcpd.pk)
    actions.void_record(coordinator, operation, "Entered twice by mistake.")
    # A draft to the FBI, which sees it through its part in the operation: not yet in its inbox.
    ReferralFactory(
        contact=world.records.victim_sjpd,
        to_agency=world.agencies.fbi,
        status=m.ReferralStatus.DRAFT,
        sent_at=None,
        acknowledge_due_at=None,
    )
    for persona in ("officer_sjpd", "coordinator"):
        ApiToken.objects.create(user=getattr(world.users, persona), name="Grant report script")
    for persona, record in (
        ("officer_sjpd", world.records.relief_sjpd),
        ("advocate_harbor", world.records.referral_sjpd),
    ):
        notification(getattr(world.users, persona), record)
    expired, _ = ApiToken.objects.create(user=world.users.officer_sjpd, name="Old script")
    ApiToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(days=1))


@pytest.mark.parametrize("case", LIST_CASES, ids=[c.url_name for c in LIST_CASES])
def test_list_page_shows_exactly_the_visible_ids(case, world, client, monkeypatch):
    # Pages of two rows, so that following the pagination is itself checked.
    monkeypatch.setattr(ScopedListView, "paginate_by", 2)
    _add_edge_records(world)
    rule = LISTS[case.url_name]
    url = reverse(case.url_name)
    # A list page opened on an object (no "none" entry) would need its own rule: a KeyError says so.
    readers = [p for p, status in case.expect["none"].items() if status == 200 and p != "anonymous"]
    assert readers, f"{case.url_name}: no persona reads this list, nothing to check"
    mismatches, seen_any = [], False
    for persona in readers:
        user = getattr(world.users, persona)
        client.force_login(user)
        shown = _shown_ids(client, url, rule.context_key)
        expected = set(rule.expected(user).values_list("pk", flat=True))
        seen_any = seen_any or bool(expected)
        if shown != expected:
            mismatches.append(f"{persona:20} missing {sorted(expected - shown)}, extra {sorted(shown - expected)}")
    assert not mismatches, f"{case.url_name}:\n" + "\n".join(mismatches)
    # An exact match on empty sets proves nothing: the world must put rows on every list.
    assert seen_any, f"{case.url_name}: no persona has a record on this list"
