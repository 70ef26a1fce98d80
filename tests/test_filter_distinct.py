"""A filter on a column of the row itself asks for no DISTINCT: no row can repeat, and DISTINCT
made PostgreSQL de-duplicate every matching row before the first page (docs/PERFORMANCE.md)."""

from __future__ import annotations

import django_filters
import pytest

from cases import filters
from cases.models import Person, ServiceOffer

FILTER_SETS = [
    value
    for value in vars(filters).values()
    if isinstance(value, type) and issubclass(value, django_filters.FilterSet) and value.__module__ == filters.__name__
]

CHOICE_FILTERS = [
    pytest.param(filter_set, name, id=f"{filter_set.__name__}.{name}")
    for filter_set in FILTER_SETS
    for name, one in filter_set.base_filters.items()
    if type(one) in (filters.ColumnChoicesFilter, filters.AnyOrSeveralFilter)
]


def test_every_choice_of_a_column_is_listed():
    assert len(CHOICE_FILTERS) >= 10


@pytest.mark.parametrize(("filter_set", "name"), CHOICE_FILTERS)
def test_a_choice_of_a_column_filters_the_row_itself_without_distinct(filter_set, name):
    one = filter_set.base_filters[name]
    field = filter_set._meta.model._meta.get_field(one.field_name)
    assert not field.is_relation and "__" not in one.field_name
    assert one.distinct is False


@pytest.mark.parametrize(
    ("filter_set", "model", "params"),
    [
        (filters.ServiceOfferFilterSet, ServiceOffer, {"response": ["accepted"]}),
        (filters.PersonFilterSet, Person, {"age_group": ["teen"]}),
    ],
)
def test_filtered_lists_read_no_distinct(rf, db, filter_set, model, params):
    from tests import factories as f

    request = rf.get("/")
    request.user = f.UserFactory()
    qs = filter_set(params, queryset=model.objects.all(), request=request).qs
    assert qs.query.distinct is False
    assert "DISTINCT" not in str(qs.query)
