"""List endpoints run a fixed number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import access
from cases import models as m
from cases.api.fields import ScopedPrimaryKeyRelatedField
from cases.api.urls import router
from tests import factories as f

PREFIXES = [prefix for prefix, _, _ in router.registry]
# Generous fixed bound; the test below also checks the count does not grow with the page.
MAX_QUERIES = 15


@pytest.fixture
def busy_world(world):
    """Twelve more of every case record on the St. Joseph side."""
    a, r = world.agencies, world.records
    indicator = f.IndicatorFactory()
    for n in range(12):
        op = f.OperationFactory(lead_agency=a.sjpd, name=f"Operation Extra {n}")
        f.ParticipationFactory(operation=op, agency=a.harbor, role=m.ParticipationRole.VICTIM_SERVICES)
        f.LocationFactory(operation=op)
        contact = f.ContactFactory(operation=r.op_sjpd, agency=a.sjpd, person__created_by_agency=a.sjpd)
        contact.indicators.add(indicator)
        f.ServiceOfferFactory(contact=contact, service_type=r.food, offered_by=a.sjpd)
        f.ReferralFactory(contact=contact, to_agency=a.harbor, service_types=[r.food, r.shelter])
        child = f.ContactFactory(
            operation=r.op_sjpd,
            agency=a.sjpd,
            person__estimated_age=6,
            person__created_by_agency=a.sjpd,
            role=m.ContactRole.ACCOMPANYING_CHILD,
        )
        f.CustodyHandoffFactory(contact=child, receiving_agency=a.childrens)
        buyer = f.ContactFactory(
            operation=r.op_sjpd, agency=a.sjpd, role=m.ContactRole.BUYER, person__created_by_agency=a.sjpd
        )
        detention = f.DetentionFactory(contact=buyer, agency=a.sjpd)
        f.ChargeFactory(detention=detention)
        _after_the_operation(world, op, contact, buyer, detention)
    return world


def _after_the_operation(world, op, victim, buyer, detention):
    """One more investigation with its agencies, people, arrest, prosecution, count, court date and relief."""
    a, r = world.agencies, world.records
    investigation = f.InvestigationFactory(lead_agency=a.sjpd)
    investigation.operations.add(op, r.op_sjpd)
    m.InvestigationAgency.objects.create(investigation=investigation, agency=a.prosecutor, role="prosecution")
    m.InvestigationPerson.objects.create(investigation=investigation, person=victim.person, role="victim")
    m.InvestigationPerson.objects.create(investigation=investigation, person=buyer.person, role="suspect")
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


def _count(client, url, params) -> tuple[int, list[int]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        assert response.status_code == 200
    return len(queries), [row["id"] for row in response.json()["results"]]


def _related_checks(viewset, user, pks) -> int:
    """Visibility queries a page must make: one per related model with an id on the page.

    Counted from the rows themselves, so the test does not depend on which records a
    page happens to hold (a page without a location makes no location check).
    """
    fields = [
        field
        for field in viewset.serializer_class().fields.values()
        if isinstance(field, ScopedPrimaryKeyRelatedField) and not access.sees_every_row(user, field.model)
    ]
    attnames = [viewset.model._meta.get_field(field.source).attname for field in fields]
    if not attnames or not pks:
        return 0
    rows = list(viewset.model._default_manager.filter(pk__in=pks).values_list(*attnames))
    return len({field.model for i, field in enumerate(fields) if any(row[i] is not None for row in rows)})


@pytest.mark.parametrize("persona", ["officer_sjpd", "advocate_harbor", "coordinator", "prosecutor"])
@pytest.mark.parametrize("prefix", PREFIXES)
def test_list_queries_do_not_grow_with_the_page(busy_world, api, django_assert_max_num_queries, prefix, persona):
    user = getattr(busy_world.users, persona)
    client = api(user)
    url = f"/api/v1/{prefix}/"
    client.get(url)  # the first request also looks up the user's membership, then cached on the user
    viewset = dict((p, v) for p, v, _ in router.registry)[prefix]
    small, small_ids = _count(client, url, {"page_size": 2})
    large, large_ids = _count(client, url, {"page_size": 1000})
    # The same fixed queries, plus one visibility check per related model present on the page.
    assert small - _related_checks(viewset, user, small_ids) == large - _related_checks(viewset, user, large_ids), (
        f"{large} queries for a full page against {small} for two rows"
    )
    if len(large_ids) > 2:
        # A page further on reads its cursor's record once more, and no more.
        following = client.get(url, {"page_size": 2}).json()["next"]
        deep, deep_ids = _count(client, following, {})
        assert deep - _related_checks(viewset, user, deep_ids) == small - _related_checks(viewset, user, small_ids) + 1
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url, {"page_size": 1000})
