"""Operation pages: plan, edit, who takes part, where, the lifecycle, and what each role sees."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse

from agencies.models import Agency
from cases.actions import void_record
from cases.models import (
    Charge,
    Contact,
    CustodyHandoff,
    Detention,
    Location,
    Operation,
    OperationStatus,
    Participation,
    Referral,
    ServiceOffer,
)
from tests import factories as f


def _plan_data(**extra):
    data = {
        "name": "Operation Lantern",
        "kind": "sting",
        "trafficking_type": "sex",
        "starts_at": "2026-03-01T20:00",
        "expected_genders": "female",
        "expected_victims": "6",
        "expected_languages": "English, Spanish",
        "briefing_notes": "Bring warm clothes.",
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
    offered = client.get(add_url).context["form"].fields["agencies"].queryset
    assert world.agencies.fbi not in offered and world.agencies.kcpd in offered
    northland = world.agencies.northland.pk
    response = client.post(
        add_url, {"agencies": [northland], f"role_{northland}": "victim_services", f"staff_{northland}": "2"}
    )
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
    url = reverse("web:operation_detail", args=[op.pk])
    page = client.get(url, {"section": "detentions", "preview": 1}).content.decode()
    assert buyer in page


def test_operation_detail_groups_contacts_and_counts_outcomes(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.get(reverse("web:operation_detail", args=[world.records.op_sjpd.pk]))
    assert 'hx-get="?section=outcomes&amp;preview=1"' in response.content.decode()
    outcomes = dict(
        client.get(response.request["PATH_INFO"], {"section": "outcomes", "preview": 1}).context["outcomes"]
    )
    # The victim, and the child taken into protective custody (cases/reports/counting.py).
    assert outcomes["Potential victims"] == 2 == outcomes["People rescued"]
    assert outcomes["People who accepted a service"] == 1
    assert outcomes["Children taken into protective custody"] == 1
    assert outcomes["Detentions"] == 1
    html = client.get(response.request["PATH_INFO"], {"section": "contacts", "preview": 1}).content.decode()
    assert "<h3>Potential victim (1)</h3>" in html and "<h3>Buyer (1)</h3>" in html


def test_list_filters_search_and_sort(world, client):
    f.OperationFactory(
        name="Operation Harvest",
        lead_agency=world.agencies.sjpd,
        status=OperationStatus.PLANNED,
        kind="rescue",
        trafficking_type="labor",
    )
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


def _grow(world, op, n=14):
    """Enough records of every kind to pass the page's cut (the latest 10 of each)."""
    shelter, sjpd = world.records.shelter, world.agencies.sjpd
    roles = ["potential_victim", "confirmed_victim", "witness"]
    for i in range(n):
        c = f.ContactFactory(
            operation=op,
            agency=sjpd,
            person__created_by_agency=sjpd,
            role=roles[i % 3],
            location=world.records.location_sjpd,
        )
        f.ServiceOfferFactory(
            contact=c, service_type=shelter, offered_by=sjpd, response="accepted" if i % 2 else "declined"
        )
        f.ReferralFactory(contact=c, to_agency=world.agencies.harbor, service_types=[shelter])
        child = f.ContactFactory(
            operation=op,
            agency=sjpd,
            person__created_by_agency=sjpd,
            person__estimated_age=9,
            role="accompanying_child",
            outcome="protective_custody",
        )
        f.CustodyHandoffFactory(contact=child, receiving_agency=world.agencies.childrens)
        buyer = f.ContactFactory(operation=op, agency=sjpd, role="buyer", outcome="arrested")
        f.ChargeFactory(detention=f.DetentionFactory(contact=buyer, agency=sjpd))


def _page_statements(client, url, django_assert_max_num_queries) -> list[str]:
    # The session save counts too: a savepoint pair here, BEGIN and COMMIT outside a test. The
    # outcomes section: the operation's contacts and referrals by id, then one query per table
    # (agencies, outcomes, services, referrals, custody, detentions); on PostgreSQL one more
    # sets the planner's settings for the report's SQL.
    with django_assert_max_num_queries(13) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("section", ["", "?section=outcomes&preview=1"])
@pytest.mark.parametrize("persona", ["coordinator", "officer_sjpd"])
def test_operation_detail_queries_do_not_grow_with_the_operation(
    world, client, django_assert_max_num_queries, persona, section
):
    op = world.records.op_sjpd
    client.force_login(getattr(world.users, persona))
    url = reverse("web:operation_detail", args=[op.pk]) + section
    client.get(url)
    few = _page_statements(client, url, django_assert_max_num_queries)
    _grow(world, op)
    many = _page_statements(client, url, django_assert_max_num_queries)
    assert len(many) == len(few)


def test_operation_detail_shows_the_latest_ten_of_each_role_and_links_to_all(world, client):
    op = world.records.op_sjpd
    _grow(world, op)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:operation_detail", args=[op.pk])
    response = client.get(url, {"section": "contacts", "preview": 1})
    groups = {g["role"]: g for g in response.context["contact_groups"]}
    assert groups["potential_victim"]["total"] == 6  # the world's own one, and 5 of the 14 added
    assert len(groups["accompanying_child"]["contacts"]) == 10 and groups["accompanying_child"]["total"] > 10
    latest = groups["accompanying_child"]["contacts"]
    assert [c.occurred_at for c in latest] == sorted((c.occurred_at for c in latest), reverse=True)
    html = response.content.decode()
    assert f"<h3>Accompanying child ({groups['accompanying_child']['total']})</h3>" in html
    assert "?section=contacts&amp;role=accompanying_child" in html
    page = client.get(url).content.decode()
    assert f"Contacts ({Contact.objects.filter(operation=op).count()})" in page
    assert f"Referrals ({Referral.objects.filter(contact__operation=op).count()})" in page
    for section in ("contacts", "services", "referrals", "custody", "detentions"):
        assert f'hx-get="?section={section}&amp;preview=1"' in page


@pytest.mark.parametrize("section", ["contacts", "referrals", "custody", "detentions"])
def test_section_pages_list_every_record_25_to_a_page(world, client, section, django_assert_max_num_queries):
    op = world.records.op_sjpd
    _grow(world, op, n=26)
    client.force_login(world.users.coordinator)
    url = reverse("web:operation_detail", args=[op.pk])
    first = client.get(url, {"section": section})
    assert len(first.context["records"]) == 25
    total = first.context["page_obj"].paginator.count
    expected = {
        "contacts": Contact.objects.filter(operation=op).count(),
        "referrals": Referral.objects.filter(contact__operation=op).count(),
        "custody": CustodyHandoff.objects.filter(operation=op).count(),
        "detentions": Detention.objects.filter(contact__operation=op).count(),
    }[section]
    assert total == expected > 25
    last = client.get(url, {"section": section, "page": first.context["page_obj"].paginator.num_pages})
    assert len(last.context["records"]) == total - 25 * (last.context["page_obj"].number - 1)
    preview = client.get(url, {"section": section, "preview": 1})
    assert "<html" not in preview.content.decode()
    if section == "contacts":
        assert max(len(g["contacts"]) for g in preview.context["contact_groups"]) == 10
    else:
        assert len(preview.context["records"]) == 10
    _page_statements(client, f"{url}?section={section}", django_assert_max_num_queries)


def test_the_all_contacts_page_says_each_contacts_role(world, client):
    op = world.records.op_sjpd
    _grow(world, op)
    client.force_login(world.users.coordinator)
    url = reverse("web:operation_detail", args=[op.pk])
    html = client.get(url, {"section": "contacts"}).content.decode()
    for contact in Contact.objects.filter(operation=op).order_by("-occurred_at", "-pk")[:25]:
        assert f"{contact.get_role_display()}: {contact.get_outcome_display().lower()}" in html
    # One role's page says the role in its heading, not on every line.
    one_role = client.get(url, {"section": "contacts", "role": "accompanying_child"}).content.decode()
    assert "Contacts: accompanying child" in one_role and "Accompanying child:" not in one_role


def test_section_pages_are_for_those_who_see_the_records(world, client):
    url = reverse("web:operation_detail", args=[world.records.op_sjpd.pk])
    client.force_login(world.users.advocate_harbor)  # the briefing only
    assert client.get(url, {"section": "contacts"}).status_code == 404
    client.force_login(world.users.officer_sjpd)
    assert client.get(url, {"section": "nonsense"}).status_code == 404
    assert client.get(url, {"section": "detentions"}).status_code == 200


def test_outcome_counts_equal_the_records(world, client):
    """The database's counts match counting every visible record by hand, voided ones left out."""
    op = world.records.op_sjpd
    _grow(world, op)
    coordinator = world.users.coordinator
    for model in (Contact, ServiceOffer, Referral, CustodyHandoff, Detention):  # one voided record of each
        record = model.objects.filter(Q(contact__operation=op) if model is not Contact else Q(operation=op)).last()
        void_record(coordinator, record, "Entered twice.")
    # A person met twice is one person contacted.
    f.ContactFactory(
        operation=op, agency=world.agencies.sjpd, person=world.records.victim_sjpd.person, role="confirmed_victim"
    )
    client.force_login(coordinator)
    url = reverse("web:operation_detail", args=[op.pk])
    outcomes = dict(client.get(url, {"section": "outcomes", "preview": 1}).context["outcomes"])

    # Each person once, as the report counts: voided records, and records whose person,
    # contact or referral is voided, left out.
    def live(records, *parents):
        return [
            r
            for r in records
            if not r.is_voided and not any(getattr(r, p) is not None and getattr(r, p).is_voided for p in parents)
        ]

    contacts = live(Contact.objects.filter(operation=op), "person")
    offers = live(
        ServiceOffer.objects.filter(Q(contact__operation=op) | Q(referral__operation=op)),
        "person",
        "contact",
        "referral",
    )
    detentions = live(Detention.objects.filter(contact__operation=op), "person", "contact")
    handoffs = live(CustodyHandoff.objects.filter(Q(operation=op) | Q(contact__operation=op)), "person", "contact")
    referrals = live(Referral.objects.filter(contact__operation=op), "person", "contact")
    confirmed = {c.person_id for c in contacts if c.role == "confirmed_victim"}
    # A child taken into protective custody from the operation is a potential victim.
    custody_contacts = {h.contact_id for h in handoffs}
    in_custody = {
        c.person_id
        for c in contacts
        if c.role == "accompanying_child" and (c.outcome == "protective_custody" or c.pk in custody_contacts)
    }
    potential = ({c.person_id for c in contacts if c.role == "potential_victim"} | in_custody) - confirmed
    charges = Charge.objects.filter(detention__in=[d.pk for d in detentions])
    enforcement = {
        "Detained and cited": sum(d.outcome == "cited" for d in detentions),
        "Arrests (including referrals for prosecution)": sum(d.outcome in ("arrested", "referred") for d in detentions),
        "Charges brought": charges.count(),
    }
    assert outcomes == {
        "Agencies taking part": op.participations.count(),
        "People contacted": len({c.person_id for c in contacts}),
        "People rescued": len(potential | confirmed),
        "Potential victims": len(potential),
        "Confirmed victims": len(confirmed),
        "Minors contacted": len({c.person_id for c in contacts if c.age_group in ("infant", "child", "teen")}),
        "People offered services": len({o.person_id for o in offers}),
        "People who accepted a service": len({o.person_id for o in offers if o.response == "accepted"}),
        "Referrals sent": sum(r.status != "draft" for r in referrals),
        "Children taken into protective custody": len({(h.receiving_agency_id, h.person_id) for h in handoffs}),
        "Detentions": len(detentions),
        **{label: n for label, n in enforcement.items() if n},
    }
    assert outcomes["Minors contacted"] >= 14 and outcomes["Arrests (including referrals for prosecution)"] >= 14
    services = client.get(reverse("web:operation_detail", args=[op.pk]), {"section": "services", "preview": 1})
    summary = {row["name"]: row for row in services.context["offer_summary"]}
    shelter = summary[world.records.shelter.name]
    sheltered = [o for o in offers if o.service_type_id == world.records.shelter.pk]
    assert shelter["offered"] == len({o.person_id for o in sheltered})
    assert shelter["declined"] == len({o.person_id for o in sheltered if o.response == "declined"})


def test_operation_page_links_to_its_report(world, client):
    op = world.records.op_sjpd
    client.force_login(world.users.officer_sjpd)
    html = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert f'href="{reverse("reports:operation", args=[op.pk])}"' in html


def test_agency_filter_takes_an_id_an_abbreviation_or_a_name(world, client):
    client.force_login(world.users.coordinator)
    url = reverse("web:operation_list")

    def names(**params):
        return {o.name for o in client.get(url, params).context["object_list"]}

    fbi = world.agencies.fbi
    assert names(agency=fbi.pk) == names(agency="fbi") == names(agency=fbi.name) == {"Operation Crossroads"}
    # A link with an id shows the abbreviation a person would type.
    assert 'value="FBI"' in client.get(url, {"agency": fbi.pk}).content.decode()


def test_unknown_agency_is_a_form_error_not_a_server_error(world, client):
    client.force_login(world.users.coordinator)
    response = client.get(reverse("web:operation_list"), {"agency": "No Such Agency"})
    assert response.status_code == 200
    assert "No agency you can choose has this name" in response.content.decode()
    assert response.context["filter"].errors["agency"]


def test_agency_filter_suggests_agencies_without_a_select(world, client):
    for i in range(40):
        f.AgencyFactory(short_name=f"EXTRA{i}", name=f"Extra Agency {i}")
    client.force_login(world.users.coordinator)
    html = client.get(reverse("web:operation_list")).content.decode()
    assert '<select name="agency"' not in html
    assert 'list="id_agency-agencies"' in html
    # The page carries an empty list; the box fills it from the directory when first focused.
    assert '<datalist id="id_agency-agencies"></datalist>' in html
    suggestions = client.get(reverse("web:agency_suggestions")).content.decode()
    assert suggestions.count("<option") == Agency.objects.filter(active=True).count()
    assert '<option value="FBI">Federal Bureau of Investigation</option>' in suggestions
