"""Pages: 50 by default up to 1000, walked by cursor links, every record exactly once, no count."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import models as m
from tests import factories as f

from .conftest import ids


def _walk(client, url, params, link="next"):
    """Every page from the first, following `link`; returns the pages' id lists."""
    pages = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append([row["id"] for row in body["results"]])
        if not body[link]:
            return pages, body
        response = client.get(body[link])


@pytest.fixture
def many_people(world):
    # Ties on age group and on names, and some without a name, so order terms repeat.
    for n in range(60):
        f.PersonFactory(created_by_agency=world.agencies.sjpd, legal_name="" if n % 7 == 0 else f"Sam Invented {n % 9}")
    return world


def test_pages_are_50_by_default_up_to_1000(many_people, api):
    client = api(many_people.users.coordinator)
    first = client.get("/api/v1/people/").json()
    assert len(first["results"]) == 50 and first["previous"] is None and first["next"]
    assert "count" not in first
    assert len(client.get("/api/v1/people/", {"page_size": 1000}).json()["results"]) == 66
    assert len(client.get(first["next"]).json()["results"]) == 16


@pytest.mark.parametrize(
    "ordering", ["age_group", "-age_group", "legal_name", "-legal_name", "reference", "-created_at"]
)
def test_walking_the_pages_gives_every_record_once_in_order(many_people, api, ordering):
    client = api(many_people.users.coordinator)
    everything = [
        row["id"] for row in client.get("/api/v1/people/", {"ordering": ordering, "page_size": 1000}).json()["results"]
    ]
    pages, last = _walk(client, "/api/v1/people/", {"ordering": ordering, "page_size": 7})
    assert [pk for page in pages for pk in page] == everything
    assert len(everything) == len(set(everything)) == 66
    # And back again from the last page by the previous links.
    back = [[row["id"] for row in last["results"]]]
    response = client.get(last["previous"])
    while True:
        body = response.json()
        back.append([row["id"] for row in body["results"]])
        if not body["previous"]:
            break
        response = client.get(body["previous"])
    assert [pk for page in reversed(back) for pk in page] == everything


@pytest.mark.parametrize("ordering", ["sent_at", "-sent_at", "acknowledge_due_at", "-acknowledge_due_at", "status"])
def test_empty_values_come_last_and_are_paged_too(world, api, ordering):
    now = timezone.now()
    for n in range(9):
        sent = n % 3 != 0
        f.ReferralFactory(
            contact=world.records.victim_sjpd,
            to_agency=world.agencies.harbor,
            status=m.ReferralStatus.SENT if sent else m.ReferralStatus.DRAFT,
            sent_at=now - timedelta(hours=n % 4) if sent else None,
            acknowledge_due_at=now + timedelta(hours=n % 4) if sent else None,
        )
    client = api(world.users.coordinator)
    everything = client.get("/api/v1/referrals/", {"ordering": ordering, "page_size": 1000}).json()["results"]
    pages, _ = _walk(client, "/api/v1/referrals/", {"ordering": ordering, "page_size": 2})
    assert [pk for page in pages for pk in page] == [row["id"] for row in everything]
    field = ordering.lstrip("-")
    values = [row[field] for row in everything]
    assert None in values or field == "status"
    if field != "status":
        filled = [v for v in values if v is not None]
        assert values == filled + [None] * (len(values) - len(filled))
        assert filled == sorted(filled, reverse=ordering.startswith("-"))


def test_a_page_address_names_only_a_record_id(many_people, api):
    body = api(many_people.users.coordinator).get("/api/v1/people/", {"ordering": "legal_name", "page_size": 3}).json()
    cursor = body["next"].split("cursor=")[1].split("&")[0]
    decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    assert decoded == f"n{body['results'][-1]['id']}"
    assert "Invented" not in body["next"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "bjEyMw",
        "eDEyMw",
        base64.urlsafe_b64encode(b"n99999999999999999999999").decode(),
        base64.urlsafe_b64encode(b"n0").decode(),
        "",
        "A" * 500,
        base64.urlsafe_b64encode(b"n\xc3\xa9").decode(),
    ],
)
def test_an_invalid_cursor_answers_400(world, api, cursor):
    response = api(world.users.coordinator).get("/api/v1/contacts/", {"cursor": cursor})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "cursor" in response.json()


def test_a_cursor_outside_the_scope_is_refused_like_an_unknown_one(world, api):
    outside = base64.urlsafe_b64encode(f"n{world.records.victim_kcpd.pk}".encode()).decode()
    unknown = base64.urlsafe_b64encode(b"n987654321").decode()
    client = api(world.users.officer_sjpd)
    refused = client.get("/api/v1/contacts/", {"cursor": outside})
    assert refused.status_code == 400
    assert refused.json() == client.get("/api/v1/contacts/", {"cursor": unknown}).json()
    inside = base64.urlsafe_b64encode(f"n{world.records.victim_kcpd.pk}".encode()).decode()
    assert api(world.users.officer_kcpd).get("/api/v1/contacts/", {"cursor": inside}).status_code == 200


def test_numbered_pages_are_refused(world, api):
    response = api(world.users.coordinator).get("/api/v1/contacts/", {"page": 2})
    assert response.status_code == 400 and "page" in response.json()


def test_a_deep_page_neither_counts_nor_offsets(many_people, api):
    client = api(many_people.users.coordinator)
    first = client.get("/api/v1/people/", {"page_size": 30}).json()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(first["next"])
    assert second.status_code == 200 and len(second.json()["results"]) == 30
    # The throttle's counter in the database cache (which counts its own rows) is not the page's.
    cache = caches["default"]
    cache_table = cache._table.upper() if isinstance(cache, DatabaseCache) else None
    sql = " ".join(q["sql"].upper() for q in queries if not cache_table or cache_table not in q["sql"].upper())
    assert "COUNT(" not in sql and "OFFSET" not in sql
    assert ids(second).isdisjoint(row["id"] for row in first["results"])


def test_turning_a_page_of_people_is_not_logged_as_a_search(many_people, api):
    from audit.models import AccessLog

    client = api(many_people.users.coordinator)
    client.get(client.get("/api/v1/people/").json()["next"])
    assert not AccessLog.objects.filter(action="person_search").exists()
    client.get("/api/v1/people/", {"q": "Sam"})
    assert AccessLog.objects.filter(action="person_search", detail="q=Sam").exists()
