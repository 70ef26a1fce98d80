"""Long lists are counted only a page range ahead ("of more than N"), short ones exactly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Person
from cases.views.base import CappedPaginator
from tests import factories as f


def test_the_count_stops_cap_rows_past_the_page_asked_for(db, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    for n in range(12):
        f.PersonFactory(legal_name=f"Pat Invented {n}")
    people = Person.objects.order_by("-created_at")
    first = CappedPaginator(people, 3, page_hint=1)
    assert (first.count, first.exact, first.num_pages) == (7, False, 3)  # 3 on page 1 + 4 ahead
    assert first.page(3).has_next() is False and first.page(2).has_next() is True
    # Asking for a later page counts further, so there is always a next page while rows remain.
    later = CappedPaginator(people, 3, page_hint=3)
    assert (later.count, later.exact) == (12, True)
    assert later.page(3).has_next() is True
    whole = CappedPaginator(people, 3, page_hint=2)
    assert (whole.count, whole.exact) == (10, False)
    assert CappedPaginator(people, 20).count == people.count() and CappedPaginator(people, 20).exact


def test_a_long_list_says_more_than_and_a_short_one_the_exact_count(world, client, monkeypatch):
    client.force_login(world.users.coordinator)
    total = Person.objects.count()
    exact = client.get(reverse("web:person_list")).content.decode()
    assert f"of {total}." in exact and "more than" not in exact
    assert f"({total} records)" in exact

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for n in range(30):
        f.PersonFactory(legal_name=f"Lee Invented {n}", created_by_agency=world.agencies.sjpd)
    page = client.get(reverse("web:person_list")).content.decode()
    assert "Showing 1–25 of more than 27." in page
    assert "(more than 27 records)" in page and "data-download-total" not in page
    # The next page counts on from there; the last one is exact.
    last = client.get(reverse("web:person_list"), {"page": 2}).content.decode()
    assert f"of {total + 30}." in last


@pytest.mark.parametrize("rows", [5, 60])
def test_counting_is_one_query_whatever_the_length(world, client, django_assert_max_num_queries, rows, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    for n in range(rows):
        f.PersonFactory(legal_name=f"Kim Invented {n}", created_by_agency=world.agencies.sjpd)
    client.force_login(world.users.officer_sjpd)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("web:person_list")).status_code == 200


def test_people_sorted_by_name_break_ties_in_the_sort_direction(world, client):
    """Same names (say, the many whose name is not known) follow the order of the
    (legal_name, id) index: oldest record first by name A–Z, newest first by name Z–A."""
    twins = [f.PersonFactory(legal_name="", created_by_agency=world.agencies.sjpd).pk for _ in range(3)]
    client.force_login(world.users.coordinator)

    def order(sort: str) -> list[int]:
        people = client.get(reverse("web:person_list"), {"sort": sort}).context["object_list"]
        return [p.pk for p in people if p.pk in twins]

    assert order("name") == sorted(twins)
    assert order("-name") == sorted(twins, reverse=True)
