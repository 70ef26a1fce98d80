"""Referrals and detentions store their contact's operation, and follow the contact when it moves.

The officer's access rule for them reads that column (cases/access/rules.py), so a record that
kept a stale operation would be shown to the wrong agencies.
"""

from __future__ import annotations

import pytest

from agencies.models import Role
from cases.models import Detention, Referral
from tests import factories as f

pytestmark = pytest.mark.django_db


def _officer_of(agency):
    return f.MembershipFactory(agency=agency, role=Role.OFFICER).user


def test_records_take_their_contacts_operation():
    contact = f.ContactFactory()
    referral, detention = f.ReferralFactory(contact=contact), f.DetentionFactory(contact=contact)
    assert referral.operation_id == detention.operation_id == contact.operation_id
    walk_in = f.ContactFactory(operation=None, agency=f.AgencyFactory())
    assert f.ReferralFactory(contact=walk_in).operation_id is None


def test_moving_a_contact_to_another_operation_moves_what_came_out_of_it():
    contact = f.ContactFactory()
    referral, detention = (
        f.ReferralFactory(contact=contact),
        f.DetentionFactory(contact=contact, agency=f.AgencyFactory()),
    )
    other = f.OperationFactory()
    newcomer = f.ParticipationFactory(operation=other).agency
    officer = _officer_of(newcomer)
    assert not Referral.objects.visible_to(officer).filter(pk=referral.pk).exists()

    contact.operation = other
    contact.save()

    referral.refresh_from_db(), detention.refresh_from_db()
    assert referral.operation_id == detention.operation_id == other.pk
    # The agency taking part in the new operation now sees them; the history records the move.
    assert Referral.objects.visible_to(officer).filter(pk=referral.pk).exists()
    assert Detention.objects.visible_to(officer).filter(pk=detention.pk).exists()
    assert referral.history.first().operation_id == other.pk

    contact.operation = None
    contact.location = None
    contact.save()
    referral.refresh_from_db()
    assert referral.operation_id is None
    assert not Referral.objects.visible_to(officer).filter(pk=referral.pk).exists()


def test_changing_the_contact_of_a_record_changes_its_operation():
    referral = f.ReferralFactory()
    other = f.ContactFactory(person=referral.person)
    referral.contact = other
    referral.save(update_fields=["contact"])
    referral.refresh_from_db()
    assert referral.operation_id == other.operation_id
