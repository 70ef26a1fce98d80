"""The rules of the case lifecycle's records: investigations, counts, court dates, relief."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from agencies.models import AgencyKind, AgencyLevel
from cases import access
from cases import models as m
from cases.models.referrals import TransitionError

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_an_investigation_gets_a_yearly_reference_and_its_lead_among_its_agencies():
    first = f.InvestigationFactory(opened_on=TODAY())
    second = f.InvestigationFactory(opened_on=TODAY())
    year = TODAY().year
    assert first.reference == f"INV-{year}-0001"
    assert second.reference == f"INV-{year}-0002"
    assert list(first.agencies.values_list("agency_id", "role")) == [(first.lead_agency_id, "lead")]
    former, other = first.lead_agency_id, f.AgencyFactory()
    first.lead_agency = other
    first.save()
    assert dict(first.agencies.values_list("agency_id", "role")) == {other.pk: "lead", former: "participant"}


def test_a_closed_investigation_needs_a_date_and_a_reason():
    investigation = f.InvestigationFactory()
    investigation.status = m.InvestigationStatus.CLOSED
    with pytest.raises(ValidationError) as error:
        investigation.full_clean()
    assert set(error.value.message_dict) >= {"closing_reason", "closed_on"}
    investigation.closing_reason = m.ClosingReason.OTHER
    investigation.closed_on = TODAY()
    with pytest.raises(ValidationError) as error:
        investigation.full_clean()
    assert "closing_note" in error.value.message_dict
    investigation.closing_note = "The victim moved out of state."
    investigation.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.Investigation.objects.filter(pk=investigation.pk).update(status="closed", closing_reason="")


def test_an_investigation_cannot_close_before_it_opened():
    investigation = f.InvestigationFactory(opened_on=TODAY())
    investigation.status = m.InvestigationStatus.CLOSED
    investigation.closing_reason = m.ClosingReason.CLEARED_BY_ARREST
    investigation.closed_on = TODAY() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        investigation.full_clean()
    assert "closed_on" in error.value.message_dict


def test_a_count_is_not_disposed_of_before_filing_and_sentenced_only_on_conviction():
    count = f.CountFactory()
    filed = count.prosecution.filed_on
    count.disposition = m.Disposition.DISMISSED
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert "disposition_on" in error.value.message_dict
    count.disposition_on = filed - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert "before the prosecution was filed" in str(error.value)
    count.disposition_on = filed
    count.custody_months = 12
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert "custody_months" in error.value.message_dict
    count.disposition = m.Disposition.PLEADED_GUILTY
    count.full_clean()
    count.save()
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.Count.objects.filter(pk=count.pk).update(disposition="acquitted")


def test_a_court_event_takes_the_prosecutions_court_by_default():
    event = f.CourtEventFactory(court="")
    assert event.court == event.prosecution.court


def _relief(**kwargs) -> m.ReliefRequest:
    return f.ReliefRequestFactory(**kwargs)


def test_relief_moves_through_its_steps_in_order():
    request = _relief()
    user, agency = f.UserFactory(), request.requested_of_agency
    with pytest.raises(TransitionError):
        request.apply("grant", user, agency)
    request.apply("review", user, agency)
    with pytest.raises(TransitionError):
        request.apply("decline", user, agency)  # no reason
    request.apply("grant", user, agency, expires_on=TODAY() + timedelta(days=400))
    with pytest.raises(TransitionError):
        request.apply("withdraw", user, agency)
    request.apply("renew", user, request.requested_by_agency)
    request.refresh_from_db()
    assert request.status == m.ReliefStatus.RENEWED
    assert request.renewal.status == m.ReliefStatus.REQUESTED
    assert [e.to_status for e in request.events.all()] == ["under_review", "granted", "renewed"]


def test_continued_presence_is_requested_of_federal_law_enforcement_and_granted_for_a_year():
    local = f.AgencyFactory(kind=AgencyKind.LAW_ENFORCEMENT, level=AgencyLevel.LOCAL)
    request = _relief(kind=m.ReliefKind.CONTINUED_PRESENCE, requested_of_agency=local)
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "federal" in str(error.value)
    clinic = f.AgencyFactory(kind=AgencyKind.LEGAL_AID, level=AgencyLevel.NON_PROFIT)
    request.requested_of_agency = clinic
    with pytest.raises(ValidationError):
        request.full_clean()
    federal = f.AgencyFactory(kind=AgencyKind.LAW_ENFORCEMENT, level=AgencyLevel.FEDERAL)
    request = _relief(kind=m.ReliefKind.CONTINUED_PRESENCE, requested_of_agency=federal)
    request.full_clean()
    request.apply("review", None, federal)
    request.apply("grant", None, federal)
    assert request.expires_on == TODAY() + timedelta(days=365)


@override_settings(RELIEF_ANSWER_DAYS=30, RELIEF_EXPIRY_NOTICE_DAYS=60)
def test_relief_not_answered_in_time_is_overdue_and_granted_relief_expiring_soon_is_flagged():
    waiting = _relief(requested_on=TODAY() - timedelta(days=31), consent_date=TODAY() - timedelta(days=40))
    assert waiting.answer_due_on == TODAY() - timedelta(days=1)
    assert waiting.is_overdue
    assert not _relief().is_overdue
    granted = _relief()
    granted.apply("review", None, granted.requested_of_agency)
    granted.apply("grant", None, granted.requested_of_agency, expires_on=TODAY() + timedelta(days=59))
    assert granted.is_expiring
    granted.expires_on = TODAY() + timedelta(days=61)
    assert not granted.is_expiring


def test_relief_consent_comes_before_the_request():
    request = _relief()
    request.consent_date = request.requested_on + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "consent_date" in error.value.message_dict


def test_a_caseworker_sees_the_court_dates_of_a_child_it_received_and_nothing_of_the_case():
    handoff = f.CustodyHandoffFactory()
    caseworker = f.UserFactory()
    f.MembershipFactory(user=caseworker, agency=handoff.receiving_agency, role="caseworker")
    prosecution = f.ProsecutionFactory()
    other = f.CourtEventFactory()
    event = f.CourtEventFactory(prosecution=prosecution)
    m.InvestigationPerson.objects.create(
        investigation=prosecution.investigation, person=handoff.person, role=m.InvestigationPersonRole.WITNESS
    )
    assert set(m.CourtEvent.objects.visible_to(caseworker)) == {event}
    assert other not in m.CourtEvent.objects.visible_to(caseworker)
    assert not m.Investigation.objects.visible_to(caseworker).exists()
    assert not m.Prosecution.objects.visible_to(caseworker).exists()


def test_a_suspect_in_an_investigation_tells_no_advocate_of_the_court_date():
    """Only victims and witnesses bring their advocates the court dates, not suspects."""
    referral = f.ReferralFactory()
    advocate = f.UserFactory()
    f.MembershipFactory(user=advocate, agency=referral.to_agency, role="advocate")
    event = f.CourtEventFactory()
    investigation = event.prosecution.investigation
    m.InvestigationPerson.objects.create(investigation=investigation, person=referral.person, role="suspect")
    assert not m.CourtEvent.objects.visible_to(advocate).exists()
    m.InvestigationPerson.objects.create(investigation=investigation, person=referral.person, role="victim")
    assert set(m.CourtEvent.objects.visible_to(advocate)) == {event}


def test_prosecutors_file_only_in_investigations_referred_to_them(world):
    u, r = world.users, world.records
    assert access.can(u.prosecutor, "prosecution.add", r.investigation_sjpd)
    assert not access.can(u.officer_sjpd, "prosecution.add", r.investigation_sjpd)
    assert access.can(u.coordinator, "prosecution.add", r.investigation_kcpd)
    assert access.can(u.prosecutor, "prosecution.change", r.prosecution_sjpd)
    assert not access.can(u.officer_sjpd, "prosecution.change", r.prosecution_sjpd)
    assert access.can(u.officer_sjpd, "investigation.change", r.investigation_sjpd)
    assert not access.can(u.agent_fbi, "investigation.change", r.investigation_sjpd)
    assert not access.can(u.prosecutor, "investigation.change", r.investigation_sjpd)


def test_relief_steps_belong_to_the_side_that_takes_them(world):
    u, r = world.users, world.records
    request = r.relief_sjpd  # Safe Harbor asked SJPD; under review
    assert access.can(u.officer_sjpd, "relief.grant", request)
    assert not access.can(u.advocate_harbor, "relief.grant", request)
    assert access.can(u.advocate_harbor, "relief.withdraw", request)
    assert not access.can(u.officer_sjpd, "relief.withdraw", request)
    assert not access.can(u.officer_sjpd, "relief.renew", request)  # not granted yet
    assert access.can(u.advocate_harbor, "relief.add", r.victim_sjpd.person)
    assert not access.can(u.officer_sjpd, "relief.add", r.victim_sjpd.person)
