"""Court dates: an advocate is told when, what kind and where of its client's case (victim-witness
notification) and nothing else; the prosecution team reads its calendar in full."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db

NOTES = "Defence will ask for a continuance; victim must not meet the defendant in the hallway."


@pytest.fixture
def court_world(world):
    """The St. Joseph court date carries notes and a courtroom; a past hearing precedes it."""
    r = world.records
    event = r.court_event_sjpd
    event.notes = NOTES
    event.courtroom = "Division 3"
    event.save()
    r.buyer_contact.person.legal_name = "Vernon Invented-Defendant"
    r.buyer_contact.person.save()
    r.past_event_sjpd = f.CourtEventFactory(
        prosecution=r.prosecution_sjpd,
        kind=m.CourtEventKind.ARRAIGNMENT,
        scheduled_at=timezone.now() - timedelta(days=10),
        status=m.CourtEventStatus.HELD,
    )
    return world


def _secrets_of_the_st_joseph_case(world) -> list[str]:
    """What an advocate must never read of the case: defendant, investigation, docket, notes."""
    r = world.records
    defendant = r.prosecution_sjpd.defendant
    assert defendant == r.buyer_contact.person
    return [
        defendant.reference,
        defendant.legal_name,
        r.investigation_sjpd.reference,
        r.investigation_sjpd.title,
        r.prosecution_sjpd.docket_number,
        r.prosecution_sjpd.reference,
        NOTES,
        "Defence will ask",
    ]


def _page(client, user, url_name):
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("url_name", ["web:court_event_list", "web:home"])
def test_the_advocate_is_told_the_date_and_court_of_its_clients_case_and_nothing_else(court_world, client, url_name):
    r = court_world.records
    page = _page(client, court_world.users.advocate_harbor, url_name).content.decode()
    event = r.court_event_sjpd
    assert timezone.localtime(event.scheduled_at).strftime("%-d %b %Y, %H:%M") in page
    assert "Buchanan County Circuit Court, Division 3" in page and "Hearing" in page
    assert r.victim_sjpd.person.reference in page  # its client, whom the date concerns
    leaked = [s for s in _secrets_of_the_st_joseph_case(court_world) if s in page]
    assert not leaked, f"{url_name} prints {leaked}"


def test_the_court_dates_page_lists_upcoming_first_then_past(court_world, client):
    r = court_world.records
    response = _page(client, court_world.users.advocate_harbor, "web:court_event_list")
    assert [row["scheduled_at"] for row in response.context["upcoming"]] == [r.court_event_sjpd.scheduled_at]
    assert [row["scheduled_at"] for row in response.context["past"]] == [r.past_event_sjpd.scheduled_at]
    page = response.content.decode()
    order = [page.index(text) for text in ("Coming up", "— Hearing", "Past court dates", "— Arraignment")]
    assert order == sorted(order)
    # Each row holds the notice fields and the client, nothing more.
    row = response.context["upcoming"][0]
    assert set(row) == {"kind", "scheduled_at", "court", "courtroom", "status", "kind_label", "status_label", "clients"}


def test_the_home_page_shows_only_the_next_30_days(court_world, client):
    r = court_world.records
    f.CourtEventFactory(
        prosecution=r.prosecution_sjpd, kind=m.CourtEventKind.TRIAL, scheduled_at=timezone.now() + timedelta(days=45)
    )
    response = _page(client, court_world.users.advocate_harbor, "web:home")
    kinds = [row["kind"] for row in response.context["court_dates"]]
    assert kinds == [m.CourtEventKind.HEARING]


def test_advocate_northland_sees_nothing_of_the_st_joseph_case(court_world, client):
    r = court_world.records
    for url_name in ("web:court_event_list", "web:home"):
        page = _page(client, court_world.users.advocate_northland, url_name).content.decode()
        assert "Buchanan County Circuit Court" not in page
        assert r.victim_sjpd.person.reference not in page
        assert r.victim_kcpd.person.reference in page  # its own client's federal case
        assert not [s for s in _secrets_of_the_st_joseph_case(court_world) if s in page]


def test_a_caseworker_with_no_child_in_a_case_has_an_empty_page(court_world, client):
    response = _page(client, court_world.users.caseworker, "web:court_event_list")
    assert response.context["upcoming"] == [] and response.context["past"] == []
    assert "No court date coming up" in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "prosecutor"])
def test_the_prosecution_team_reads_its_calendar_in_full(court_world, client, persona):
    r = court_world.records
    page = _page(client, getattr(court_world.users, persona), "web:court_event_list").content.decode()
    assert r.prosecution_sjpd.reference in page and r.prosecution_sjpd.docket_number in page and NOTES in page
    if persona == "prosecutor":
        assert r.prosecution_kcpd.reference not in page


def test_the_court_dates_page_does_not_grow_queries_with_rows(court_world, client, django_assert_max_num_queries):
    r = court_world.records
    client.force_login(court_world.users.advocate_harbor)
    url = reverse("web:court_event_list")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for days in (5, 15, 25):
        f.CourtEventFactory(prosecution=r.prosecution_sjpd, scheduled_at=timezone.now() + timedelta(days=days))
    with django_assert_max_num_queries(30) as many:
        client.get(url)
    assert len(many) == len(few)
