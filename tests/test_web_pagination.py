"""Long lists are counted only a page range ahead ("of more than N"), short ones exactly."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from cases.models import Person
from cases.views.base import CappedPaginator
from cases.views.paging import page_of, pagination_context, query_without
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


def _paged(query: str, rows=range(100), per_page=10) -> dict:
    request = RequestFactory().get("/list/", QueryDict(query))
    return pagination_context(page_of(request, rows, per_page), query_without(request.GET, "page"))


def test_a_page_past_the_end_shows_the_last_and_a_word_the_first():
    assert _paged("page=99")["page_obj"].number == 10
    assert _paged("page=last")["page_obj"].number == 1
    assert _paged("page=-3")["page_obj"].number == 10
    assert list(_paged("page=99")["page_obj"].object_list) == list(range(90, 100))


def test_the_page_links_keep_the_filters_and_drop_the_page():
    context = _paged("status=open&page=5&sort=-start&status=closed")
    assert context["querystring"] == "status=open&status=closed&sort=-start"
    assert (context["is_paginated"], context["page_obj"].number) == (True, 5)
    # First and last, one either side of the current page, the rest elided.
    ellipsis = Paginator.ELLIPSIS
    assert list(context["page_range"]) == [1, ellipsis, 4, 5, 6, ellipsis, 10]
    html = render_to_string("includes/pagination.html", context)
    assert 'href="?status=open&amp;status=closed&amp;sort=-start&amp;page=6"' in html
    assert "Showing 41–50 of 100." in html


def test_one_page_has_no_links_and_no_page_at_all_nothing():
    context = _paged("", rows=range(3))
    assert (context["is_paginated"], context["querystring"], list(context["page_range"])) == (False, "", [1])
    assert "usa-pagination" not in render_to_string("includes/pagination.html", context)
    assert pagination_context(None) == {"page_obj": None, "is_paginated": False, "querystring": ""}


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
