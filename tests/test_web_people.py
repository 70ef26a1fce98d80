"""The person page and the people list: history across operations, minimum disclosure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import VulnerabilityFactor
from tests import factories as f


def test_offer_history_shows_declined_three_times_then_accepted(world, client):
    dana = world.records.victim_sjpd.person
    shelter = world.records.shelter
    now = timezone.now()
    for days, response in [(40, "declined"), (30, "declined"), (20, "declined"), (10, "accepted")]:
        contact = f.ContactFactory(
            person=dana,
            operation=world.records.op_sjpd,
            agency=world.agencies.sjpd,
            occurred_at=now - timedelta(days=days),
        )
        f.ServiceOfferFactory(
            contact=contact,
            service_type=shelter,
            offered_by=world.agencies.sjpd,
            response=response,
            offered_at=now - timedelta(days=days),
        )
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:person_detail", args=[dana.pk])
    response = client.get(url, {"section": "services", "preview": 1})
    row = next(r for r in response.context["offer_history"] if r["service"] == shelter)
    # The world's own offer (accepted, just now) comes last: oldest first.
    assert [o.response for o in row["answers"]] == ["declined", "declined", "declined", "accepted", "accepted"]
    assert row["times_offered"] == 5 and row["accepted"]
    html = response.content.decode()
    assert "offered 5 times, accepted" in html
    # Contacts in time order across operations.
    times = [c.occurred_at for c in client.get(url).context["contacts"]]
    assert times == sorted(times) and len(times) == 5


def test_advocate_sees_the_minimum_about_a_referred_person(world, client):
    dana = world.records.victim_sjpd.person
    dana.aliases = "Secret Alias"
    dana.phone = "555-0100"
    dana.save()
    client.force_login(world.users.advocate_harbor)
    response = client.get(reverse("web:person_detail", args=[dana.pk]))
    html = response.content.decode()
    assert response.context["minimum_view"]
    assert dana.legal_name in html and "555-0100" in html
    assert "Secret Alias" not in html and "Citizenship" not in html
    assert "Contacts, oldest first" not in html  # investigative records stay with law enforcement
    # An alias search does not find the person for an advocate.
    found = client.get(reverse("web:person_list"), {"q": "Secret Alias"}).context["object_list"]
    assert list(found) == []
    assert list(client.get(reverse("web:person_list"), {"q": dana.reference}).context["object_list"]) == [dana]


def test_officer_sees_full_identity_and_alias_search(world, client):
    dana = world.records.victim_sjpd.person
    dana.aliases = "Secret Alias"
    dana.save()
    client.force_login(world.users.officer_sjpd)
    html = client.get(reverse("web:person_detail", args=[dana.pk])).content.decode()
    assert "Secret Alias" in html and "Citizenship" in html
    assert list(client.get(reverse("web:person_list"), {"q": "secret"}).context["object_list"]) == [dana]


def test_detentions_on_the_person_page_only_for_law_enforcement(world, client):
    buyer = world.records.buyer_contact.person
    url = reverse("web:person_detail", args=[buyer.pk])
    client.force_login(world.users.agent_fbi)
    assert 'hx-get="?section=detentions&amp;preview=1"' in client.get(url).content.decode()
    assert 'id="detentions"' in client.get(url, {"section": "detentions", "preview": 1}).content.decode()
    client.force_login(world.users.caseworker)
    assert "section=detentions" not in client.get(url).content.decode()
    assert client.get(url, {"section": "detentions"}).status_code == 404


def test_viewing_a_person_is_written_to_the_access_log(world, client):
    from audit.models import AccessLog

    dana = world.records.victim_sjpd.person
    client.force_login(world.users.officer_sjpd)
    client.get(reverse("web:person_detail", args=[dana.pk]))
    assert AccessLog.objects.filter(
        action="person_view", object_id=str(dana.pk), user=world.users.officer_sjpd
    ).exists()


def test_people_list_empty_state_explains(world, client):
    client.force_login(world.users.officer_sjpd)
    html = client.get(reverse("web:person_list"), {"q": "nobody by this name"}).content.decode()
    assert "No one matches" in html and "Clear the filters" in html


def test_list_filters_are_styled_and_show_their_errors(world, client):
    client.force_login(world.users.officer_sjpd)
    html = client.get(reverse("web:person_list"), {"age": "old"}).content.decode()
    assert 'class="usa-input"' in html  # the search box
    assert 'class="usa-input usa-input--error"' in html and "Enter a number" in html


def test_person_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:person_list")
    client.get(url)
    with django_assert_max_num_queries(14) as baseline:
        client.get(url)
    for _ in range(15):
        f.ContactFactory(
            operation=world.records.op_sjpd, agency=world.agencies.sjpd, person__created_by_agency=world.agencies.sjpd
        )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(url)


def _teen(world):
    """A 16-year-old the St. Joseph police met in their operation (a referral lets Safe Harbor see them)."""
    contact = f.ContactFactory(
        operation=world.records.op_sjpd,
        agency=world.agencies.sjpd,
        person__estimated_age=16,
        person__created_by_agency=world.agencies.sjpd,
    )
    f.ReferralFactory(contact=contact, to_agency=world.agencies.harbor)
    return contact.person


def _grow_history(world, person):
    indicator = f.IndicatorFactory()
    for _ in range(6):
        c = f.ContactFactory(person=person, operation=world.records.op_sjpd, agency=world.agencies.sjpd)
        c.indicators.add(indicator)
        f.ServiceOfferFactory(contact=c, service_type=f.ServiceTypeFactory(), offered_by=world.agencies.sjpd)
        f.ReferralFactory(contact=c, to_agency=world.agencies.harbor, service_types=[world.records.food])
        f.ChargeFactory(detention=f.DetentionFactory(contact=c, person=person, agency=world.agencies.sjpd))
        f.CustodyHandoffFactory(contact=c, person=person, receiving_agency=world.agencies.childrens)
    person.vulnerabilities.add(
        *[VulnerabilityFactor.objects.create(code=f"factor-{i}", name=f"Factor {i}", order=10 - i) for i in range(3)]
    )


def _statements(client, url, django_assert_max_num_queries, **params) -> int:
    # The session save counts too: a savepoint pair here, BEGIN and COMMIT outside a test.
    with django_assert_max_num_queries(12) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["coordinator", "officer_sjpd", "advocate_harbor"])
def test_person_page_queries_do_not_grow_with_the_history(world, client, django_assert_max_num_queries, persona):
    dana = _teen(world)
    client.force_login(getattr(world.users, persona))
    url = reverse("web:person_detail", args=[dana.pk])
    client.get(url)
    few = [
        _statements(client, url, django_assert_max_num_queries, section=s, preview=1)
        for s in ("services", "referrals", "custody")
    ]
    few.append(_statements(client, url, django_assert_max_num_queries))
    _grow_history(world, dana)
    many = [
        _statements(client, url, django_assert_max_num_queries, section=s, preview=1)
        for s in ("services", "referrals", "custody")
    ]
    many.append(_statements(client, url, django_assert_max_num_queries))
    assert many == few


def test_person_page_shows_every_folded_list(world, client):
    """Vulnerabilities, indicators, services referred for and charges, folded into their rows' queries."""
    dana = _teen(world)
    _grow_history(world, dana)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:person_detail", args=[dana.pk])
    page = client.get(url)
    html = page.content.decode()
    for v in dana.vulnerabilities.all():
        assert v.name in html
    shown = [c for c in page.context["contacts"] if c.indicator_names]
    assert len(shown) == 6 and all(c.indicator_names == [i.name for i in c.indicators.all()] for c in shown)
    referrals = client.get(url, {"section": "referrals", "preview": 1}).context["referrals"]
    assert {tuple(r.service_type_names) for r in referrals} == {
        tuple(s.name for s in r.service_types.all()) for r in referrals
    }
    detentions = client.get(url, {"section": "detentions", "preview": 1})
    assert [len(d.charge_list) for d in detentions.context["detentions"]] == [1] * 6
    assert "Trafficking charge" in detentions.content.decode()
    custody = client.get(url, {"section": "custody"})  # the section on a page of its own
    assert "<html" in custody.content.decode() and len(custody.context["handoffs"]) == 6


def test_each_section_view_is_written_to_the_access_log(world, client):
    from audit.models import AccessLog

    dana = world.records.victim_sjpd.person
    client.force_login(world.users.officer_sjpd)
    client.get(reverse("web:person_detail", args=[dana.pk]), {"section": "referrals", "preview": 1})
    assert AccessLog.objects.filter(action="person_view", object_id=str(dana.pk), detail="section: referrals").exists()


def test_home_pages_show_what_needs_attention(world, client):
    client.force_login(world.users.advocate_harbor)
    html = client.get(reverse("web:home")).content.decode()
    assert "Referrals waiting for your acknowledgement" in html
    assert world.records.victim_sjpd.person.reference in html
    client.force_login(world.users.caseworker)
    html = client.get(reverse("web:home")).content.decode()
    assert world.records.child_contact.person.reference in html
    client.force_login(world.users.analyst)
    html = client.get(reverse("web:home")).content.decode()
    assert 'href="/reports/"' in html and "Operations" not in html
    client.force_login(world.users.tf_auditor)
    assert 'href="/audit/"' in client.get(reverse("web:home")).content.decode()
    client.force_login(world.users.coordinator)
    html = client.get(reverse("web:home")).content.decode()
    assert "Operation Crossroads" in html and "Operation Blue Line" in html


def test_advocate_home_lists_overdue_referrals_first(world, client):
    r = world.records
    late = f.ReferralFactory(
        contact=f.ContactFactory(operation=r.op_sjpd, agency=world.agencies.sjpd),
        to_agency=world.agencies.harbor,
        acknowledge_due_at=timezone.now() - timedelta(hours=3),
    )
    client.force_login(world.users.advocate_harbor)
    waiting = list(client.get(reverse("web:home")).context["awaiting_ack"])
    assert waiting[0] == late and waiting[0].is_overdue
    assert r.referral_sjpd in waiting


def test_officer_home_lists_its_agency_operations_and_recent_contacts(world, client):
    client.force_login(world.users.officer_kcpd)
    response = client.get(reverse("web:home"))
    assert [o.name for o in response.context["operations"]] == ["Operation Blue Line"]


@pytest.mark.parametrize("age", ["99999999999999", "131", "-1"])
def test_an_age_out_of_range_is_a_form_error_not_a_server_error(world, client, age):
    client.force_login(world.users.officer_sjpd)
    response = client.get(reverse("web:person_list"), {"age": age})
    assert response.status_code == 200
    assert response.context["filter"].errors["age"]
    assert 'id="id_age-error"' in response.content.decode()
    # The API shares the filter: a 400 saying why, not a 500.
    api = client.get(reverse("api:person-list"), {"age": age})
    assert api.status_code == 400 and "age" in api.json()


def test_an_age_within_range_still_filters(world, client):
    client.force_login(world.users.officer_sjpd)
    dana = world.records.victim_sjpd.person
    dana.date_of_birth, dana.estimated_age = None, 30
    dana.save()
    people = client.get(reverse("web:person_list"), {"age": 130}).context["object_list"]
    assert dana not in people
    assert dana in client.get(reverse("web:person_list"), {"age": 31}).context["object_list"]
