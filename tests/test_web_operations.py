"""Operation pages: plan, edit, who takes part, where, the lifecycle, and what each role sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Location, Operation, OperationStatus, Participation
from tests import factories as f


def _plan_data(**extra):
    data = {
        "name": "Operation Lantern", "kind": "sting", "trafficking_type": "sex",
        "starts_at": "2026-03-01T20:00", "expected_genders": "female", "expected_victims": "6",
        "expected_languages": "English, Spanish", "briefing_notes": "Bring warm clothes.",
    }
    data.update(extra)
    return data


def test_officer_plans_an_operation_that_its_agency_leads(world, client):
    client.force_login(world.users.officer_kcpd)
    response = client.post(reverse("web:operation_create"), _plan_data(lead_agency=world.agencies.sjpd.pk))
    op = Operation.objects.get(name="Operation Lantern")
    assert response.status_code == 302 and response["Location"] == reverse("web:operation_detail", args=[op.pk])
    # The lead is the officer's agency, whatever was posted.
    assert op.lead_agency == world.agencies.kcpd
    assert op.code.startswith("OP-2026-")
    assert op.participations.get().agency == world.agencies.kcpd
    page = client.get(response["Location"])
    assert "is planned" in page.content.decode()


def test_coordinator_chooses_the_lead_agency(world, client):
    client.force_login(world.users.coordinator)
    form = client.get(reverse("web:operation_create")).context["form"]
    assert "lead_agency" in form.fields
    # Only agencies that can lead: law enforcement, prosecutors, the task force.
    assert world.agencies.harbor not in form.fields["lead_agency"].queryset
    client.post(reverse("web:operation_create"), _plan_data(lead_agency=world.agencies.fbi.pk))
    assert Operation.objects.get(name="Operation Lantern").lead_agency == world.agencies.fbi


def test_form_errors_show_inline_and_at_the_top_and_keep_what_was_typed(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse("web:operation_create"),
        _plan_data(name="", starts_at="2026-03-02T20:00", ends_at="2026-03-01T20:00", briefing_notes="Keep me"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="usa-alert usa-alert--error tf-error-summary"' in html
    assert 'href="#id_name"' in html  # the summary links to the field
    assert 'id="id_name-error"' in html  # and the field shows its own error
    assert "Keep me" in html  # nothing typed is lost
    assert not Operation.objects.filter(briefing_notes="Keep me").exists()


def test_model_validation_lands_on_the_field(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse("web:operation_create"), _plan_data(starts_at="2026-03-02T20:00", ends_at="2026-03-01T20:00")
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in str(response.context["form"].errors["ends_at"])


def test_only_the_lead_agency_edits_and_fbi_gets_no_edit_button(world, client):
    op = world.records.op_sjpd
    client.force_login(world.users.agent_fbi)
    page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert reverse("web:operation_update", args=[op.pk]) not in page
    assert client.get(reverse("web:operation_update", args=[op.pk])).status_code == 403
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert reverse("web:operation_update", args=[op.pk]) in page
    data = _plan_data(name="Operation Crossroads II", starts_at=op.starts_at.strftime("%Y-%m-%dT%H:%M"))
    assert client.post(reverse("web:operation_update", args=[op.pk]), data).status_code == 302
    op.refresh_from_db()
    assert op.name == "Operation Crossroads II" and op.lead_agency == world.agencies.sjpd


def test_add_and_remove_a_participating_agency(world, client):
    op = world.records.op_sjpd
    client.force_login(world.users.officer_sjpd)
    add_url = reverse("web:operation_participant_add", args=[op.pk])
    # Agencies already taking part are not offered again.
    offered = client.get(add_url).context["form"].fields["agency"].queryset
    assert world.agencies.fbi not in offered and world.agencies.kcpd in offered
    response = client.post(add_url, {"agency": world.agencies.northland.pk, "role": "victim_services", "staff_count": "2"})
    assert response.status_code == 302
    p = Participation.objects.get(operation=op, agency=world.agencies.northland)
    assert p.role == "victim_services" and p.staff_count == 2
    # Northland's advocate now sees the operation's briefing.
    client.force_login(world.users.advocate_northland)
    assert client.get(reverse("web:operation_detail", args=[op.pk])).status_code == 200
    # Removal asks first, then takes the agency off.
    client.force_login(world.users.officer_sjpd)
    remove_url = reverse("web:operation_participant_remove", args=[p.pk])
    confirm = client.get(remove_url)
    assert confirm.status_code == 200 and "Remove Northland Survivor Services" in confirm.content.decode()
    assert client.post(remove_url).status_code == 302
    assert not Participation.objects.filter(pk=p.pk).exists()
    client.force_login(world.users.advocate_northland)
    assert client.get(reverse("web:operation_detail", args=[op.pk])).status_code == 404


def test_the_lead_agency_cannot_be_removed(world, client):
    op = world.records.op_sjpd
    lead = op.participations.get(role="lead")
    client.force_login(world.users.coordinator)
    response = client.post(reverse("web:operation_participant_remove", args=[lead.pk]))
    assert response.status_code == 200
    assert "lead agency cannot be removed" in response.content.decode()
    assert Participation.objects.filter(pk=lead.pk).exists()


def test_add_a_location_and_remove_it_with_a_reason(world, client):
    op = world.records.op_sjpd
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse("web:operation_location_add", args=[op.pk]),
        {"venue_name": "Blue Moon Motel", "venue_type": "hotel", "county": "Buchanan", "state": "MO"},
    )
    assert response.status_code == 302
    loc = Location.objects.get(venue_name="Blue Moon Motel")
    url = reverse("web:operation_location_remove", args=[loc.pk])
    missing_reason = client.post(url, {"reason": ""})
    assert missing_reason.status_code == 200 and "This field is required" in missing_reason.content.decode()
    assert client.post(url, {"reason": "Venue closed before the operation."}).status_code == 302
    loc.refresh_from_db()
    assert loc.is_voided and loc.void_reason == "Venue closed before the operation."
    page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert 'class="tf-void"' in page  # kept, struck through


def test_status_moves_along_the_lifecycle_only(world, client):
    op = f.OperationFactory(lead_agency=world.agencies.sjpd, status=OperationStatus.PLANNED)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:operation_move", args=[op.pk])
    page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert "Start the operation" in page and "Conclude the operation" not in page
    client.post(url, {"status": "concluded"})  # not allowed from planned
    op.refresh_from_db()
    assert op.status == "planned"
    client.post(url, {"status": "active"})
    op.refresh_from_db()
    assert op.status == "active"
    response = client.post(url, {"status": "concluded"}, follow=True)
    op.refresh_from_db()
    assert op.status == "concluded" and op.ends_at is not None
    assert "is now concluded" in response.content.decode()


def test_advocate_sees_the_briefing_only(world, client):
    op = world.records.op_sjpd
    op.summary = "Undercover officers in rooms 12 and 14."
    op.save()
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert "Briefing for service providers" in page
    assert "Undercover officers" not in page
    assert "Riverside Travel Plaza" not in page  # locations are investigative detail
    assert world.records.victim_sjpd.person.reference not in page  # no contacts
    assert "Detentions" not in page


def test_detentions_section_only_for_law_enforcement_and_coordinator(world, client):
    op = world.records.op_sjpd
    buyer = world.records.buyer_contact.person.reference
    for persona, shown in [("officer_sjpd", True), ("coordinator", True), ("advocate_harbor", False)]:
        client.force_login(getattr(world.users, persona))
        page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
        assert ('id="detentions"' in page) is shown, persona
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert buyer in page


def test_operation_detail_groups_contacts_and_counts_outcomes(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.get(reverse("web:operation_detail", args=[world.records.op_sjpd.pk]))
    outcomes = dict(response.context["outcomes"])
    assert outcomes["Potential victims"] == 1
    assert outcomes["Services accepted"] == 1
    assert outcomes["Children taken into protective custody"] == 1
    assert outcomes["Detentions"] == 1
    html = response.content.decode()
    assert "<h3>Potential victim (1)</h3>" in html and "<h3>Buyer (1)</h3>" in html


def test_list_filters_search_and_sort(world, client):
    f.OperationFactory(name="Operation Harvest", lead_agency=world.agencies.sjpd, status=OperationStatus.PLANNED,
                       kind="rescue", trafficking_type="labor")
    client.force_login(world.users.coordinator)
    url = reverse("web:operation_list")

    def names(**params):
        return [o.name for o in client.get(url, params).context["object_list"]]

    assert set(names()) >= {"Operation Crossroads", "Operation Blue Line", "Operation Harvest"}
    assert names(q="harv") == ["Operation Harvest"]
    assert names(status="planned") == ["Operation Harvest"]
    assert names(trafficking_type="labor") == ["Operation Harvest"]
    assert set(names(agency=world.agencies.fbi.pk)) == {"Operation Crossroads"}
    assert set(names(agency=world.agencies.northland.pk)) == {"Operation Blue Line"}
    assert names(county="buchanan") and "Operation Harvest" not in names(county="buchanan")
    assert names(sort="name")[0] == "Operation Blue Line"
    assert names(sort="-name")[0] == "Operation Harvest"
    empty = client.get(url, {"q": "no such operation"}).content.decode()
    assert "No operation matches" in empty and "Clear the filters" in empty


def test_list_shows_only_visible_operations(world, client):
    client.force_login(world.users.officer_kcpd)
    names = [o.name for o in client.get(reverse("web:operation_list")).context["object_list"]]
    assert names == ["Operation Blue Line"]


def test_list_is_paginated_by_25(world, client):
    for i in range(30):
        f.OperationFactory(name=f"Operation Page {i:02d}", lead_agency=world.agencies.kcpd)
    client.force_login(world.users.officer_kcpd)
    first = client.get(reverse("web:operation_list"))
    assert len(first.context["object_list"]) == 25
    assert 'aria-label="Page 2"' in first.content.decode()
    second = client.get(reverse("web:operation_list"), {"page": 2})
    assert len(second.context["object_list"]) == 6


@pytest.mark.parametrize("persona", ["coordinator", "officer_sjpd"])
def test_operation_list_query_count_does_not_grow(world, client, django_assert_max_num_queries, persona):
    client.force_login(getattr(world.users, persona))
    url = reverse("web:operation_list")
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(20):
        f.OperationFactory(lead_agency=world.agencies.sjpd)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_operation_detail_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    op = world.records.op_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:operation_detail", args=[op.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as baseline:
        client.get(url)
    shelter = world.records.shelter
    for i in range(8):
        c = f.ContactFactory(operation=op, agency=world.agencies.sjpd, person__created_by_agency=world.agencies.sjpd,
                             location=world.records.location_sjpd)
        f.ServiceOfferFactory(contact=c, service_type=shelter, offered_by=world.agencies.sjpd)
        f.ReferralFactory(contact=c, to_agency=world.agencies.harbor, service_types=[shelter])
    buyer = f.ContactFactory(operation=op, agency=world.agencies.sjpd, role="buyer", outcome="arrested")
    f.ChargeFactory(detention=f.DetentionFactory(contact=buyer, agency=world.agencies.sjpd))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(url)
