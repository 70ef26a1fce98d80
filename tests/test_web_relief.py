"""Immigration relief in the browser: the advocate asks with consent, law enforcement answers,
requests run overdue and out, a renewal is a new request; and what each page prints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import actions
from cases import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


def _relief_data(world, **extra):
    today = timezone.localdate()
    data = {
        "kind": m.ReliefKind.T_VISA,
        "requested_of_agency": world.agencies.sjpd.pk,
        "consent": "written",
        "consent_date": (today - timedelta(days=2)).isoformat(),
        "requested_on": today.isoformat(),
        "notes": "She has met the detective twice.",
    }
    data.update(extra)
    return data


def _create_url(world):
    return f"{reverse('web:relief_create')}?person={world.records.victim_sjpd.person.pk}"


def _request(world, days_ago=2, **extra):
    today = timezone.localdate()
    fields = dict(
        person=world.records.victim_sjpd.person,
        requested_by_agency=world.agencies.harbor,
        requested_of_agency=world.agencies.sjpd,
        consent_date=today - timedelta(days=days_ago + 1),
        requested_on=today - timedelta(days=days_ago),
    )
    fields.update(extra)
    return f.ReliefRequestFactory(**fields)


def test_advocate_asks_for_a_t_visa_declaration_with_consent(world, client):
    client.force_login(world.users.advocate_harbor)
    page = client.get(_create_url(world)).content.decode()
    # Each kind is explained in plain words; the agencies asked are law enforcement only.
    assert "has helped, or could not help, the investigation" in page
    assert "Only a federal agency" in page
    assert world.agencies.fbi.name in page and world.agencies.northland.name not in page
    response = client.post(_create_url(world), _relief_data(world))
    relief = m.ReliefRequest.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("web:relief_detail", args=[relief.pk])
    assert relief.requested_by_agency == world.agencies.harbor and relief.person == world.records.victim_sjpd.person
    assert relief.status == m.ReliefStatus.REQUESTED and relief.created_by == world.users.advocate_harbor
    page = client.get(response["Location"]).content.decode()
    assert f"Relief request {relief.reference} was sent to St. Joseph Police Department." in page
    assert "Withdraw" in page and "Record as signed" not in page


def test_consent_and_its_date_are_required(world, client):
    client.force_login(world.users.advocate_harbor)
    response = client.post(_create_url(world), _relief_data(world, consent="", consent_date=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Record the person&#x27;s consent: written or verbal." in page
    assert "Give the date the person consented." in page
    # What was typed stays.
    assert "She has met the detective twice." in page
    assert not m.ReliefRequest.objects.filter(notes="She has met the detective twice.").exists()


def test_continued_presence_is_asked_of_a_federal_agency_only(world, client):
    client.force_login(world.users.advocate_harbor)
    refused = client.post(_create_url(world), _relief_data(world, kind=m.ReliefKind.CONTINUED_PRESENCE))
    assert refused.status_code == 200
    assert "Continued Presence is requested by a federal law-enforcement agency." in refused.content.decode()
    page = refused.content.decode()
    assert 'label="Federal law enforcement" data-federal="yes"' in page
    asked = client.post(
        _create_url(world),
        _relief_data(world, kind=m.ReliefKind.CONTINUED_PRESENCE, requested_of_agency=world.agencies.fbi.pk),
    )
    assert asked.status_code == 302
    assert m.ReliefRequest.objects.latest("pk").requested_of_agency == world.agencies.fbi


def test_from_the_list_the_person_is_found_by_reference_among_those_seen(world, client):
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:relief_create")
    unknown = client.post(url, _relief_data(world, person_reference=world.records.victim_kcpd.person.reference))
    assert unknown.status_code == 200
    assert "No person with this reference among the people you may see" in unknown.content.decode()
    found = client.post(url, _relief_data(world, person_reference=world.records.victim_sjpd.person.reference.lower()))
    assert found.status_code == 302
    assert m.ReliefRequest.objects.latest("pk").person == world.records.victim_sjpd.person


def test_the_officer_asked_reviews_and_grants_continued_presence_for_a_year(world, client):
    relief = _request(world, kind=m.ReliefKind.CONTINUED_PRESENCE, requested_of_agency=world.agencies.fbi)
    client.force_login(world.users.agent_fbi)
    detail = reverse("web:relief_detail", args=[relief.pk])
    assert "Start the review" in client.get(detail).content.decode()
    page = client.get(reverse("web:relief_step", args=[relief.pk, "review"])).content.decode()
    assert "This cannot be taken back" in page
    client.post(reverse("web:relief_step", args=[relief.pk, "review"]), {"on": timezone.localdate().isoformat()})
    grant = client.get(reverse("web:relief_step", args=[relief.pk, "grant"]))
    today = timezone.localdate()
    assert (today + timedelta(days=365)).isoformat() in grant.content.decode()
    response = client.post(
        reverse("web:relief_step", args=[relief.pk, "grant"]),
        {"on": today.isoformat(), "expires_on": (today + timedelta(days=365)).isoformat()},
    )
    assert response.status_code == 302
    relief.refresh_from_db()
    assert relief.status == m.ReliefStatus.GRANTED and relief.expires_on == today + timedelta(days=365)
    timeline = client.get(detail).content.decode()
    assert timeline.count("<li><strong>Under review</strong>") == 1
    assert timeline.count("<li><strong>Signed or granted</strong>") == 1


def test_declining_needs_a_reason_that_the_advocate_reads(world, client):
    relief = world.records.relief_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:relief_step", args=[relief.pk, "decline"])
    refused = client.post(url, {"on": timezone.localdate().isoformat(), "reason": " "})
    assert "Give a reason for declining the request." in refused.content.decode()
    client.post(url, {"on": timezone.localdate().isoformat(), "reason": "No contact with the victim since March."})
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("web:relief_detail", args=[relief.pk])).content.decode()
    assert "Declined because" in page and "No contact with the victim since March." in page


def test_a_request_not_answered_in_30_days_is_overdue_and_first_on_the_officers_home(world, client):
    overdue = _request(world, days_ago=31)
    fresh = _request(world, days_ago=29)
    assert overdue.is_overdue and not fresh.is_overdue
    client.force_login(world.users.officer_sjpd)
    home = client.get(reverse("web:home"))
    waiting = list(home.context["relief_waiting"])
    assert waiting[0] == overdue and fresh in waiting and world.records.relief_sjpd in waiting
    assert "Relief requests waiting for your agency's answer" in home.content.decode()
    listed = client.get(reverse("web:relief_list"), {"overdue": "true"})
    assert [r.pk for r in listed.context["relief_list"]] == [overdue.pk]


def test_granted_relief_running_out_within_60_days_is_flagged_for_the_advocate(world, client):
    today = timezone.localdate()
    soon = _request(world, status=m.ReliefStatus.GRANTED, expires_on=today + timedelta(days=59))
    later = _request(world, status=m.ReliefStatus.GRANTED, expires_on=today + timedelta(days=61))
    assert soon.is_expiring and not later.is_expiring
    client.force_login(world.users.advocate_harbor)
    home = client.get(reverse("web:home"))
    assert list(home.context["relief_asked"])[0] == soon
    assert home.content.decode().count("Runs out soon") == 1
    listed = client.get(reverse("web:relief_list"), {"expiring": "true"})
    assert [r.pk for r in listed.context["relief_list"]] == [soon.pk]


def test_renewing_makes_a_new_request_and_leads_to_it(world, client):
    today = timezone.localdate()
    granted = _request(world, status=m.ReliefStatus.GRANTED, expires_on=today + timedelta(days=20))
    client.force_login(world.users.advocate_harbor)
    response = client.post(reverse("web:relief_step", args=[granted.pk, "renew"]), {"on": today.isoformat()})
    granted.refresh_from_db()
    renewal = granted.renewal
    assert granted.status == m.ReliefStatus.RENEWED and renewal.status == m.ReliefStatus.REQUESTED
    assert response["Location"] == reverse("web:relief_detail", args=[renewal.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"The new request is {renewal.reference}." in page and f">{granted.reference}</a>" in page


def test_steps_show_only_to_those_who_may_take_them(world, client):
    relief = world.records.relief_sjpd
    url = reverse("web:relief_detail", args=[relief.pk])
    for persona, shown, hidden in (
        ("officer_sjpd", "Record as signed or granted", "Withdraw the request"),
        ("advocate_harbor", "Withdraw the request", "Record as signed or granted"),
        ("agent_fbi", None, "Record as signed or granted"),
    ):
        client.force_login(getattr(world.users, persona))
        page = client.get(url).content.decode()
        assert shown is None or shown in page, persona
        assert hidden not in page, persona


def test_the_person_page_lists_the_relief_and_offers_to_ask(world, client):
    person = world.records.victim_sjpd.person
    url = f"{reverse('web:person_detail', args=[person.pk])}?section=relief&preview=1"
    client.force_login(world.users.advocate_harbor)
    page = client.get(url).content.decode()
    assert world.records.relief_sjpd.reference in page and "Request immigration relief for" in page
    client.force_login(world.users.officer_sjpd)
    page = client.get(url).content.decode()
    assert world.records.relief_sjpd.reference in page and "Request immigration relief for" not in page


def test_advocate_northland_sees_nothing_of_st_joseph_relief(world, client):
    client.force_login(world.users.advocate_northland)
    for url in (reverse("web:relief_list"), reverse("web:home")):
        page = client.get(url).content.decode()
        assert world.records.relief_sjpd.reference not in page
        assert world.records.victim_sjpd.person.reference not in page
        assert world.records.relief_kcpd.reference in page


def test_the_advocate_is_not_told_the_investigation_of_its_request(world, client):
    relief = world.records.relief_sjpd
    investigation = world.records.investigation_sjpd
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("web:relief_detail", args=[relief.pk])).content.decode()
    assert investigation.reference not in page and investigation.title not in page
    client.force_login(world.users.officer_sjpd)
    assert investigation.reference in client.get(reverse("web:relief_detail", args=[relief.pk])).content.decode()


def test_voiding_a_relief_request_goes_back_to_it(world, client):
    relief = world.records.relief_sjpd
    client.force_login(world.users.coordinator)
    url = reverse("web:void", args=["cases.reliefrequest", relief.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Entered for the wrong person."})
    assert response["Location"] == reverse("web:relief_detail", args=[relief.pk])
    relief.refresh_from_db()
    assert relief.is_voided and relief.allowed_actions() == []


def test_the_audit_trail_says_the_step_in_words(world, client):
    relief = world.records.relief_sjpd
    actions.transition_relief(world.users.officer_sjpd, relief, "decline", reason="No cooperation yet")
    client.force_login(world.users.coordinator)
    page = client.get(reverse("audit:change-list"), {"model": "cases.reliefrequest"}).content.decode()
    assert "Relief request declined: No cooperation yet" in page


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "persona, url_name",
    [
        ("advocate_harbor", "web:relief_list"),
        ("officer_sjpd", "web:relief_list"),
        ("advocate_harbor", "web:home"),
        ("officer_sjpd", "web:home"),
    ],
)
def test_relief_pages_do_not_grow_queries_with_rows(world, client, django_assert_max_num_queries, persona, url_name):
    client.force_login(getattr(world.users, persona))
    url = reverse(url_name)
    few = _count(client, url, django_assert_max_num_queries, 40)
    for days in (3, 31, 40):
        _request(world, days_ago=days, person=f.PersonFactory(created_by_agency=world.agencies.harbor))
    many = _count(client, url, django_assert_max_num_queries, 40)
    assert many == few


def test_relief_detail_queries_do_not_grow_with_steps(world, client, django_assert_max_num_queries):
    relief = _request(world)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:relief_detail", args=[relief.pk])
    few = _count(client, url, django_assert_max_num_queries, 40)
    for step in ("review", "grant"):
        actions.transition_relief(world.users.officer_sjpd, relief, step)
    many = _count(client, url, django_assert_max_num_queries, 40)
    assert many <= few


def test_the_asking_agency_corrects_its_request_until_it_is_taken_up(world, client):
    relief = _request(world)
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:relief_edit", args=[relief.pk])
    data = _relief_data(
        world,
        consent_date=relief.consent_date.isoformat(),
        requested_on=relief.requested_on.isoformat(),
        notes="Interpreter needed: Tagalog.",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    relief.refresh_from_db()
    assert relief.notes == "Interpreter needed: Tagalog." and relief.person == world.records.victim_sjpd.person
    actions.transition_relief(world.users.officer_sjpd, relief, "review")
    assert client.get(url).status_code == 403


def test_the_list_finds_a_request_by_its_reference_or_its_persons(world, client):
    r = world.records
    client.force_login(world.users.coordinator)
    url = reverse("web:relief_list")
    by_own = client.get(url, {"q": r.relief_kcpd.reference.lower()})
    assert [x.pk for x in by_own.context["relief_list"]] == [r.relief_kcpd.pk]
    by_person = client.get(url, {"q": r.victim_sjpd.person.reference})
    assert [x.pk for x in by_person.context["relief_list"]] == [r.relief_sjpd.pk]
    nothing = client.get(url, {"q": "IR-999999"})
    assert "No relief requests" in nothing.content.decode() and "Clear the filters" in nothing.content.decode()
    by_agency = client.get(url, {"requested_of_agency": world.agencies.kcpd.pk, "kind": m.ReliefKind.T_VISA})
    assert [x.pk for x in by_agency.context["relief_list"]] == [r.relief_kcpd.pk]
