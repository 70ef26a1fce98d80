"""Investigation and prosecution pages: the officer opens, staffs and refers an investigation;
the prosecutor files charges count by count and keeps the court dates; each page prints only
what its viewer may see, at a query count that does not grow with the records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


def _url(name, obj=None, query=""):
    url = reverse(f"web:{name}", args=[obj.pk] if obj is not None else None)
    return f"{url}?{query}" if query else url


def _today() -> str:
    return timezone.localdate().isoformat()


# --- investigations -----------------------------------------------------------------


def test_officer_opens_an_investigation_from_the_operation(world, client):
    op = world.records.op_sjpd
    client.force_login(world.users.officer_sjpd)
    page = client.get(_url("operation_detail", op)).content.decode()
    assert "Open an investigation from this operation" in page
    assert world.records.investigation_sjpd.reference in page  # the investigation it already became
    form = client.get(_url("investigation_create", query=f"operation={op.pk}")).content.decode()
    assert op.name in form and f'name="operation" value="{op.pk}"' in form
    response = client.post(
        _url("investigation_create"),
        {"operation": op.pk, "title": "Riverside motel ring", "trafficking_type": "sex", "opened_on": _today()},
    )
    inv = m.Investigation.objects.get(title="Riverside motel ring")
    assert response["Location"] == _url("investigation_detail", inv)
    assert inv.lead_agency == world.agencies.sjpd and list(inv.operations.all()) == [op]
    assert inv.reference.startswith(f"INV-{timezone.localdate().year}-")
    assert inv.agencies.get().role == "lead"


def test_the_operation_page_names_no_investigation_to_those_who_may_not_see_it(world, client):
    client.force_login(world.users.advocate_harbor)
    page = client.get(_url("operation_detail", world.records.op_sjpd)).content.decode()
    assert page and world.records.investigation_sjpd.title not in page
    assert "Open an investigation" not in page and 'id="investigations"' not in page


def test_the_coordinator_files_for_a_prosecutor_not_yet_referred(world, client):
    inv = f.InvestigationFactory(title="Truck stop case", lead_agency=world.agencies.sjpd)
    m.InvestigationPerson.objects.create(investigation=inv, person=world.records.buyer_contact.person, role="suspect")
    client.force_login(world.users.coordinator)
    response = client.post(_url("prosecution_create", inv), _prosecution_data(world))
    assert response.status_code == 302
    assert inv.agencies.get(agency=world.agencies.prosecutor).role == "prosecution"


def test_an_operation_out_of_scope_cannot_be_the_source(world, client):
    client.force_login(world.users.officer_sjpd)
    assert client.get(_url("investigation_create", query=f"operation={world.records.op_kcpd.pk}")).status_code == 404


def test_the_coordinator_chooses_the_lead_an_officer_cannot(world, client):
    client.force_login(world.users.coordinator)
    data = {"title": "Northland labour case", "trafficking_type": "labor", "opened_on": _today()}
    client.post(_url("investigation_create"), {**data, "lead_agency": world.agencies.kcpd.pk})
    assert m.Investigation.objects.get(title="Northland labour case").lead_agency == world.agencies.kcpd
    client.force_login(world.users.officer_sjpd)
    client.post(_url("investigation_create"), {**data, "title": "Other", "lead_agency": world.agencies.kcpd.pk})
    assert m.Investigation.objects.get(title="Other").lead_agency == world.agencies.sjpd


def test_advocates_and_caseworkers_never_reach_investigations(world, client):
    for persona in ("advocate_harbor", "caseworker"):
        client.force_login(getattr(world.users, persona))
        assert client.get(_url("investigation_list")).status_code == 404
        assert client.get(_url("investigation_detail", world.records.investigation_sjpd)).status_code == 404
        assert "Investigations" not in client.get(reverse("web:home")).content.decode()


def test_navigation_leads_officers_and_prosecutors_to_investigations(world, client):
    for persona in ("officer_sjpd", "prosecutor", "coordinator"):
        client.force_login(getattr(world.users, persona))
        page = client.get(_url("prosecution_list")).content.decode()
        # The prosecutions are part of the "Investigations" section, marked current.
        assert f'usa-nav-link usa-current" href="{_url("investigation_list")}"' in page


def test_list_filters_search_and_empty_state(world, client):
    inv = world.records.investigation_sjpd
    f.InvestigationFactory(title="Closed labour case", lead_agency=world.agencies.sjpd)
    client.force_login(world.users.officer_sjpd)
    page = client.get(_url("investigation_list"), {"q": inv.reference}).content.decode()
    assert inv.title in page and "Closed labour case" not in page
    page = client.get(_url("investigation_list"), {"status": "referred"}).content.decode()
    assert inv.title in page and "Closed labour case" not in page
    page = client.get(_url("investigation_list"), {"lead_agency": "KCPD"}).content.decode()
    assert "No investigation matches" in page and "Clear the filters" in page
    page = client.get(_url("investigation_list"), {"trafficking_type": "labor"}).content.decode()
    assert "No investigation matches" in page


def test_the_prosecutor_sees_the_investigation_but_not_the_operation_it_came_from(world, client):
    inv, op = world.records.investigation_sjpd, world.records.op_sjpd
    client.force_login(world.users.prosecutor)
    page = client.get(_url("investigation_detail", inv)).content.decode()
    assert inv.title in page
    assert op.code not in page and op.name not in page
    assert "No operation you can see is linked." in page
    # The people of the case referred to it, with their names (as far as it sees them).
    assert world.records.buyer_contact.person.reference in page
    # It may not change the investigation: no edit, no agency or people buttons.
    assert _url("investigation_update", inv) not in page and "Add a person" not in page
    assert "File a prosecution" in page


def test_officer_staffs_and_refers_the_investigation(world, client):
    inv = f.InvestigationFactory(title="Truck stop case", lead_agency=world.agencies.sjpd)
    person = world.records.victim_sjpd.person
    client.force_login(world.users.officer_sjpd)
    # Find first: the search offers only people the officer may see.
    page = client.get(_url("investigation_person_add", inv), {"q": person.reference}).content.decode()
    assert person.reference in page
    hidden = world.records.victim_kcpd.person
    page = client.get(_url("investigation_person_add", inv), {"q": hidden.reference}).content.decode()
    assert "Nobody found" in page
    response = client.post(
        _url("investigation_person_add", inv), {"q": person.reference, "person": person.pk, "role": "victim"}
    )
    assert response.status_code == 302
    refused = client.post(
        _url("investigation_person_add", inv), {"q": person.reference, "person": hidden.pk, "role": "suspect"}
    )
    assert refused.status_code == 200 and not inv.people.filter(person=hidden).exists()
    # An agency, then the referral to the prosecutor.
    client.post(_url("investigation_agency_add", inv), {"agency": world.agencies.fbi.pk})
    assert inv.agencies.filter(agency=world.agencies.fbi, role="participant").exists()
    form = client.get(_url("investigation_refer", inv)).content.decode()
    assert world.agencies.prosecutor.name in form and world.agencies.harbor.name not in form
    client.post(_url("investigation_refer", inv), {"agency": world.agencies.prosecutor.pk})
    inv.refresh_from_db()
    assert inv.status == "referred"
    assert inv.agencies.get(agency=world.agencies.prosecutor).role == "prosecution"
    history = client.get(_url("investigation_detail", inv)).content.decode()
    assert "Referred for prosecution to BCPA" in history


def test_close_needs_a_reason_and_reopen_brings_it_back(world, client):
    inv = world.records.investigation_sjpd
    client.force_login(world.users.officer_sjpd)
    page = client.get(_url("investigation_close", inv)).content.decode()
    assert "Close investigation" in page and "usa-alert--warning" in page
    refused = client.post(_url("investigation_close", inv), {"reason": "other", "closed_on": _today()})
    assert "Say why the investigation closes." in refused.content.decode()
    client.post(_url("investigation_close", inv), {"reason": "cleared_by_arrest", "closed_on": _today()})
    inv.refresh_from_db()
    assert inv.status == "closed" and inv.closing_reason == "cleared_by_arrest"
    # Closed: no more changes, the prosecutor files nothing.
    assert client.get(_url("investigation_update", inv)).status_code == 403
    client.post(_url("investigation_reopen", inv))
    inv.refresh_from_db()
    assert inv.status == "referred" and not inv.closing_reason and inv.closed_on is None


def test_links_offer_only_what_the_officer_sees(world, client):
    inv = world.records.investigation_sjpd
    client.force_login(world.users.officer_sjpd)
    own_op = f.OperationFactory(lead_agency=world.agencies.sjpd, name="Operation Lantern")
    page = client.get(_url("investigation_operation_link", inv)).content.decode()
    assert own_op.name in page and world.records.op_kcpd.name not in page
    client.post(_url("investigation_operation_link", inv), {"operations": [own_op.pk]})
    assert inv.operations.filter(pk=own_op.pk).exists()
    refused = client.post(_url("investigation_operation_link", inv), {"operations": [world.records.op_kcpd.pk]})
    assert refused.status_code == 200 and not inv.operations.filter(pk=world.records.op_kcpd.pk).exists()
    detention = f.DetentionFactory(contact=world.records.victim_sjpd, agency=world.agencies.sjpd)
    client.post(_url("investigation_detention_link", inv), {"detention": detention.pk})
    detention.refresh_from_db()
    assert detention.investigation == inv
    refused = client.post(_url("investigation_detention_link", inv), {"detention": world.records.detention_kcpd.pk})
    assert refused.status_code == 200


def test_removing_the_lead_or_a_defendant_is_refused(world, client):
    inv = world.records.investigation_sjpd
    client.force_login(world.users.officer_sjpd)
    lead = inv.agencies.get(role="lead")
    page = client.post(_url("investigation_agency_remove", lead), follow=True).content.decode()
    assert "The lead agency cannot be removed" in page
    suspect = inv.people.get(role="suspect")
    page = client.post(_url("investigation_person_remove", suspect), follow=True).content.decode()
    assert "defendant in a prosecution" in page
    victim = inv.people.get(role="victim")
    client.post(_url("investigation_person_remove", victim))
    assert not inv.people.filter(pk=victim.pk).exists()


# --- prosecutions ---------------------------------------------------------------------


def _prosecution_data(w, **extra):
    return {
        "defendant": w.records.buyer_contact.person.pk,
        "prosecuting_agency": w.agencies.prosecutor.pk,
        "court_jurisdiction": "state",
        "court": "Buchanan County Circuit Court",
        "docket_number": "26BU-CR00417",
        "filed_on": _today(),
        **extra,
    }


def test_prosecutor_files_with_a_defendant_of_the_investigation(world, client):
    inv = world.records.investigation_sjpd
    victim = world.records.victim_sjpd.person
    client.force_login(world.users.prosecutor)
    form = client.get(_url("prosecution_create", inv)).content.decode()
    assert victim.reference in form  # the investigation's people only
    assert world.records.victim_kcpd.person.reference not in form
    response = client.post(_url("prosecution_create", inv), _prosecution_data(world, defendant=victim.pk))
    prosecution = m.Prosecution.objects.get(docket_number="26BU-CR00417")
    assert response["Location"] == _url("prosecution_detail", prosecution)
    assert prosecution.prosecuting_agency == world.agencies.prosecutor
    # Added to the investigation as a suspect as well.
    assert inv.people.filter(person=victim, role="suspect").exists()


def test_an_officer_cannot_file_a_prosecution(world, client):
    client.force_login(world.users.officer_sjpd)
    assert client.get(_url("prosecution_create", world.records.investigation_sjpd)).status_code == 403


def test_counts_offer_the_catalogue_and_take_a_sentence_only_on_conviction(world, client):
    prosecution = world.records.prosecution_sjpd
    client.force_login(world.users.prosecutor)
    form = client.get(_url("count_create", prosecution)).content.decode()
    assert '<optgroup label="State (Missouri)">' in form and '<optgroup label="Federal">' in form
    assert "trafficking offence" in form
    assert 'value="2"' in form  # the next count number
    statute = f.statute("rsmo-566-209")
    client.post(_url("count_create", prosecution), {"number": 2, "statute": statute.pk, "disposition": "pending"})
    count = prosecution.counts.get(number=2)
    refused = client.post(
        _url("count_update", count),
        {
            "number": 2,
            "statute": statute.pk,
            "disposition": "dismissed",
            "disposition_on": _today(),
            "custody_months": 12,
        },
    )
    assert "A sentence follows only a guilty plea or a conviction." in refused.content.decode()
    client.post(
        _url("count_update", count),
        {
            "number": 2,
            "statute": statute.pk,
            "disposition": "pleaded_guilty",
            "disposition_on": _today(),
            "custody_months": 36,
            "restitution": "2500.00",
        },
    )
    count.refresh_from_db()
    assert count.is_conviction and count.custody_months == 36
    page = client.get(_url("prosecution_detail", prosecution)).content.decode()
    assert "36 months custody" in page and "$2,500.00 restitution" in page


def test_court_dates_are_added_and_their_outcome_recorded(world, client):
    prosecution = world.records.prosecution_sjpd
    client.force_login(world.users.prosecutor)
    when = (timezone.localtime() + timedelta(days=30)).replace(hour=9, minute=30)
    client.post(
        _url("court_event_create", prosecution),
        {"kind": "sentencing", "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"), "courtroom": "Division 2"},
    )
    event = prosecution.court_events.get(kind="sentencing")
    assert event.court == prosecution.court and event.status == "scheduled"
    client.post(_url("court_event_status", event), {"status": "continued", "notes": "Defence asked for time."})
    event.refresh_from_db()
    assert event.status == "continued"
    assert client.get(_url("court_event_status", event)).status_code == 200


def test_an_officer_of_the_investigation_reads_the_prosecution_but_does_not_change_it(world, client):
    prosecution = world.records.prosecution_sjpd
    client.force_login(world.users.officer_sjpd)
    page = client.get(_url("prosecution_detail", prosecution)).content.decode()
    assert prosecution.court in page and "Add a count" not in page
    assert client.get(_url("count_create", prosecution)).status_code == 403
    assert client.get(_url("court_event_update", world.records.court_event_sjpd)).status_code == 403


def test_prosecution_list_filters(world, client):
    client.force_login(world.users.coordinator)
    sjpd, kcpd = world.records.prosecution_sjpd, world.records.prosecution_kcpd
    page = client.get(_url("prosecution_list"), {"court_jurisdiction": "federal"}).content.decode()
    assert kcpd.reference in page and sjpd.reference not in page
    page = client.get(_url("prosecution_list"), {"prosecuting_agency": "BCPA"}).content.decode()
    assert sjpd.reference in page and kcpd.reference not in page
    m.Count.objects.filter(pk=world.records.count_sjpd.pk).update(disposition="dismissed", disposition_on=sjpd.filed_on)
    page = client.get(_url("prosecution_list"), {"state": "disposed"}).content.decode()
    assert sjpd.reference in page and kcpd.reference not in page
    page = client.get(_url("prosecution_list"), {"state": "pending"}).content.decode()
    assert kcpd.reference in page and sjpd.reference not in page


# --- query counts ---------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """n more investigations of SJPD, each with people, an arrest, a prosecution, counts and dates."""
    w = world
    for i in range(n):
        inv = f.InvestigationFactory(title=f"Case {i}", lead_agency=w.agencies.sjpd)
        inv.operations.add(w.records.op_sjpd, w.records.op_kcpd)
        m.InvestigationAgency.objects.create(investigation=inv, agency=w.agencies.prosecutor, role="prosecution")
        m.InvestigationPerson.objects.create(investigation=inv, person=w.records.victim_sjpd.person, role="victim")
        m.InvestigationPerson.objects.create(investigation=inv, person=w.records.victim_kcpd.person, role="witness")
        p = f.ProsecutionFactory(investigation=inv, prosecuting_agency=w.agencies.prosecutor)
        for number in (1, 2):
            f.CountFactory(prosecution=p, number=number, statute=f.statute("rsmo-567-030"))
        f.CourtEventFactory(prosecution=p)


@pytest.mark.parametrize("name", ["investigation_list", "prosecution_list"])
def test_lists_cost_the_same_whatever_their_length(world, client, django_assert_max_num_queries, name):
    client.force_login(world.users.officer_sjpd)
    _grow(world, 12)
    with django_assert_max_num_queries(25):
        assert client.get(_url(name)).status_code == 200


def test_detail_pages_cost_the_same_whatever_their_size(world, client, django_assert_max_num_queries):
    _grow(world, 1)
    inv = m.Investigation.objects.get(title="Case 0")
    for i in range(6):
        f.CountFactory(prosecution=inv.prosecutions.get(), number=3 + i, statute=f.statute("rsmo-566-209"))
        m.InvestigationPerson.objects.create(
            investigation=inv, person=f.PersonFactory(created_by_agency=world.agencies.sjpd), role="other"
        )
    client.force_login(world.users.officer_sjpd)
    with django_assert_max_num_queries(40):
        assert client.get(_url("investigation_detail", inv)).status_code == 200
    client.force_login(world.users.prosecutor)
    with django_assert_max_num_queries(40):
        assert client.get(_url("prosecution_detail", inv.prosecutions.get())).status_code == 200


def test_a_voided_investigation_stays_struck_through_and_takes_no_changes(world, client):
    inv = world.records.investigation_sjpd
    client.force_login(world.users.supervisor_sjpd)
    page = client.get(_url("investigation_detail", inv)).content.decode()
    void_url = reverse("web:void", args=["cases.investigation", inv.pk])
    assert void_url in page
    response = client.post(void_url, {"reason": "Opened twice by mistake."})
    assert response["Location"] == _url("investigation_detail", inv)
    page = client.get(_url("investigation_detail", inv)).content.decode()
    assert "Opened twice by mistake." in page and "is-voided" in page
    assert _url("investigation_update", inv) not in page and void_url not in page
    client.force_login(world.users.officer_sjpd)
    assert client.get(_url("investigation_update", inv)).status_code == 403


def test_the_history_names_the_agencies_and_people_changed_with_the_investigation(world, client):
    inv = f.InvestigationFactory(title="Truck stop case", lead_agency=world.agencies.sjpd)
    client.force_login(world.users.officer_sjpd)
    client.post(_url("investigation_refer", inv), {"agency": world.agencies.prosecutor.pk})
    person = world.records.victim_sjpd.person
    client.post(_url("investigation_person_add", inv), {"q": person.reference, "person": person.pk, "role": "victim"})
    page = client.get(_url("investigation_detail", inv)).content.decode()
    assert "Agency BCPA (referred for prosecution): recorded" in page
    assert f"Victim {person.reference}: recorded" in page
    assert "Reason: Referred for prosecution to BCPA" in page
