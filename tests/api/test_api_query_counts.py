"""List endpoints run a fixed number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import models as m
from cases.api.fields import OPEN_MODELS, ScopedPrimaryKeyRelatedField
from cases.api.urls import router
from tests import factories as f

PREFIXES = [prefix for prefix, _, _ in router.registry]
# Generous fixed bounds: the test below also checks the count does not grow with the page.
MAX_QUERIES = 20


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
        child = f.ContactFactory(operation=r.op_sjpd, agency=a.sjpd, person__estimated_age=6,
                                 person__created_by_agency=a.sjpd, role=m.ContactRole.ACCOMPANYING_CHILD)
        f.CustodyHandoffFactory(contact=child, receiving_agency=a.childrens)
        buyer = f.ContactFactory(operation=r.op_sjpd, agency=a.sjpd, role=m.ContactRole.BUYER,
                                 person__created_by_agency=a.sjpd)
        detention = f.DetentionFactory(contact=buyer, agency=a.sjpd)
        f.ChargeFactory(detention=detention)
    return world


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["officer_sjpd", "advocate_harbor", "coordinator"])
@pytest.mark.parametrize("prefix", PREFIXES)
def test_list_queries_do_not_grow_with_the_page(busy_world, api, django_assert_max_num_queries, prefix, persona):
    client = api(getattr(busy_world.users, persona))
    url = f"/api/v1/{prefix}/"
    client.get(url)  # the first request also looks up the user's membership, then cached on the user
    small = _count(client, url, {"page_size": 2})
    large = _count(client, url, {"page_size": 1000})
    # One visibility check per related model on a page; a small page may not hold every kind.
    viewset = dict((p, v) for p, v, _ in router.registry)[prefix]
    related = sum(
        1 for field in viewset.serializer_class().fields.values()
        if isinstance(field, ScopedPrimaryKeyRelatedField) and field.model not in OPEN_MODELS
    )
    assert small <= large <= small + related, f"{large} queries for a full page against {small} for two rows"
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url, {"page_size": 1000})
