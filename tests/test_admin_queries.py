"""Admin lists cost the same number of queries with 3 records or 30: no query per row."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import AgencyKind, Role
from audit import enrolment
from cases import merging
from cases import models as m

from . import factories as f
from .test_admin_access import ADMIN_TABLE

# The most any list page may cost, whatever its size (session, user, membership,
# count, rows, sidebar filters, date drill-down).
MAX_QUERIES = 16
GROW_BY = 6

ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label in ("agencies", "cases")]


def _grow(world, times: int) -> None:
    """More of everything, on the SJPD side and in new agencies, so every list gets longer."""
    a, r = world.agencies, world.records
    for i in range(times):
        agency = f.AgencyFactory(kind=AgencyKind.LAW_ENFORCEMENT)
        user = f.UserFactory()
        f.MembershipFactory(user=user, agency=a.sjpd if i % 2 else agency, role=Role.OFFICER)
        enrolment.issue_on_server(user)
        f.ServiceTypeFactory()
        f.IndicatorFactory()
        m.VulnerabilityFactor.objects.create(code=f"factor-{i}", name=f"Factor {i}")
        op = f.OperationFactory(lead_agency=a.sjpd)
        f.ParticipationFactory(operation=op, agency=a.harbor, role=m.ParticipationRole.VICTIM_SERVICES)
        f.LocationFactory(operation=op)
        contact = f.ContactFactory(operation=op, agency=a.sjpd, person__created_by_agency=a.sjpd)
        contact.indicators.add(r.indicator)
        f.ServiceOfferFactory(contact=contact, service_type=r.food, offered_by=a.sjpd)
        referral = f.ReferralFactory(contact=contact, to_agency=a.harbor, service_types=[r.food])
        m.ReferralEvent.objects.create(
            referral=referral,
            action="send",
            from_status="draft",
            to_status="sent",
            user=world.users.officer_sjpd,
            agency=a.sjpd,
        )
        child = f.ContactFactory(
            operation=op,
            agency=a.sjpd,
            role=m.ContactRole.ACCOMPANYING_CHILD,
            person__estimated_age=5,
            person__created_by_agency=a.sjpd,
        )
        f.CustodyHandoffFactory(contact=child, receiving_agency=a.childrens)
        buyer = f.ContactFactory(
            operation=op,
            agency=a.sjpd,
            role=m.ContactRole.BUYER,
            outcome=m.ContactOutcome.ARRESTED,
            person__created_by_agency=a.sjpd,
        )
        detention = f.DetentionFactory(contact=buyer, agency=a.sjpd)
        f.ChargeFactory(detention=detention)
        f.NoteFactory(operation=op, agency=a.sjpd)
        f.NoteFactory(operation=None, referral=referral, agency=a.harbor, text="Called back.")
        _after_the_operation(world, op, contact, buyer, detention, referral)
        _duplicates(world, i)


def _after_the_operation(world, op, victim, buyer, detention, referral) -> None:
    """An investigation of the operation, a prosecution with a count and a court date, a relief request."""
    a, r = world.agencies, world.records
    investigation = f.InvestigationFactory(lead_agency=a.sjpd)
    investigation.operations.add(op)
    m.InvestigationAgency.objects.create(investigation=investigation, agency=a.prosecutor, role="prosecution")
    m.InvestigationPerson.objects.create(investigation=investigation, person=victim.person, role="victim")
    detention.investigation = investigation
    detention.save()
    prosecution = f.ProsecutionFactory(
        investigation=investigation, prosecuting_agency=a.prosecutor, defendant=buyer.person
    )
    f.CountFactory(prosecution=prosecution, number=1, statute=r.count_sjpd.statute)
    f.CourtEventFactory(prosecution=prosecution)
    relief = f.ReliefRequestFactory(
        person=victim.person, requested_by_agency=a.harbor, requested_of_agency=a.sjpd, investigation=investigation
    )
    relief.apply("review", world.users.officer_sjpd, a.sjpd)
    m.Statute.objects.create(
        code=f"test-{op.pk}", citation=f"RSMo 999.{op.pk}", name=f"Test offence {op.pk}", jurisdiction="state"
    )


def _duplicates(world, i: int) -> None:
    """Two pairs of SJPD records of one invented person: one merged, one marked "not the same"."""
    coordinator = world.users.coordinator
    first, second, third, fourth = (
        f.person_met(world, f"Testdup{i} Number{n}") for n in ("One", "Two", "Three", "Four")
    )
    merging.merge_people(coordinator, first, second)
    merging.mark_not_same(coordinator, third, fourth)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("persona", ["coordinator", "supervisor_sjpd", "advocate_harbor"])
def test_admin_lists_cost_a_constant_number_of_queries(client, world, persona, django_assert_max_num_queries):
    user = getattr(world.users, persona)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    open_pages = []
    for model in ADMIN_MODELS:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        # A list empty by design for this persona (derived rows: the admin access table says so) cannot grow.
        if persona in ADMIN_TABLE[model].empty_for:
            continue
        if client.get(url).status_code == 200:
            open_pages.append((model, url))
    assert len(open_pages) >= 12
    enrolment.issue_on_server(world.users.officer_sjpd)  # no list starts empty: an empty one has no date bar
    _duplicates(world, GROW_BY)
    before = {model: _count(client, url) for model, url in open_pages}
    _grow(world, GROW_BY)
    grown = 0
    for model, url in open_pages:
        queries_before, rows_before = before[model]
        with django_assert_max_num_queries(min(queries_before, MAX_QUERIES)):
            response = client.get(url)
        rows_after = len(response.context["cl"].result_list)
        grown += rows_after > rows_before
    # The lists did grow (all of them for the coordinator), so the counts above mean something.
    assert grown >= (len(open_pages) if persona == "coordinator" else 5)
