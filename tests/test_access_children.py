"""access.prefetch_children: events and charges read under parents that visible_to already narrowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch

from agencies.models import Role
from cases import access
from cases.models import Charge, CustodyEvent, Referral, ReferralEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_user_without_membership_gets_no_children():
    f.ReferralFactory().events.create(action="send", from_status="draft", to_status="sent")
    outsider = f.UserFactory()
    for model in (ReferralEvent, CustodyEvent, Charge):
        assert list(access.prefetch_children(model, outsider)) == []


def test_only_child_records_may_skip_their_own_test():
    with pytest.raises(ImproperlyConfigured):
        access.prefetch_children(Referral, f.UserFactory())


def test_under_visible_parents_the_children_are_exactly_the_visible_ones():
    mine, theirs = f.ReferralFactory(), f.ReferralFactory()
    for referral in (mine, theirs):
        referral.events.create(action="send", from_status="draft", to_status="sent")
    officer = f.MembershipFactory(agency=mine.from_agency, role=Role.OFFICER).user
    parents = Referral.objects.visible_to(officer).prefetch_related(
        Prefetch("events", queryset=access.prefetch_children(ReferralEvent, officer), to_attr="fetched")
    )
    fetched = {event.pk for referral in parents for event in referral.fetched}
    assert fetched == set(ReferralEvent.objects.visible_to(officer).values_list("pk", flat=True))
    assert fetched == set(mine.events.values_list("pk", flat=True)) and fetched
