"""Correcting records: the edit pages, the reason asked after 24 hours and shown in the record's
history, a detention's charges (any number, each error naming its charge), voided records
marked wherever they are listed, and no removing agencies from an operation that is over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models as m
from cases.actions import needs_reason
from tests import factories as f

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _age(record, days: float = 2) -> None:
    """Make the record look `days` old (past the 24-hour window)."""
    type(record).objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=days))
    record.refresh_from_db()


def _contact_data(contact, **extra):
    data = {
        "operation": contact.operation_id or "",
        "location": contact.location_id or "",
        "place": contact.place,
        "occurred_at": timezone.localtime(contact.occurred_at).strftime(LOCAL),
        "role": contact.role,
        "indicators": [i.pk for i in contact.indicators.all()],
        "outcome": contact.outcome,
        "narrative": contact.narrative,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _last_history(record):
    return type(record).history.filter(id=record.pk).latest("history_date")


# --- the 24-hour rule --------------------------------------------------------------


def test_needs_reason_only_after_a_day(world):
    contact = world.records.victim_sjpd
    assert not needs_reason(contact)
    assert not needs_reason(contact, now=contact.created_at + timedelta(hours=23, minutes=59))
    assert needs_reason(contact, now=contact.created_at + timedelta(hours=24, minutes=1))


def test_a_fresh_contact_is_corrected_without_a_reason(world, client):
    contact = world.records.victim_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:contact_edit", args=[contact.pk])
    page = client.get(url).content.decode()
    assert "Reason for the change (optional)" in page and "need no reason" in page
    response = client.post(url, _contact_data(contact, narrative="Spoke through an interpreter."))
    assert response.status_code == 302 and response["Location"] == reverse("web:contact_detail", args=[contact.pk])
    contact.refresh_from_db()
    assert contact.narrative == "Spoke through an interpreter."
    row = _last_history(contact)
    assert row.history_type == "~" and row.history_change_reason is None
    assert row.history_user == world.users.officer_sjpd


def test_a_day_old_contact_needs_a_reason_kept_in_its_history(world, client):
    contact = world.records.victim_sjpd
    _age(contact)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:contact_edit", args=[contact.pk])
    data = _contact_data(contact, narrative="Corrected narrative.", outcome="released")
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why it changes — the record was made more than 24 hours ago." in page
    assert "Corrected narrative." in page  # nothing typed is lost
    contact.refresh_from_db()
    assert contact.narrative != "Corrected narrative."

    response = client.post(url, {**data, "change-reason": "Outcome typed wrong at the scene"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.narrative == "Corrected narrative." and contact.outcome == "released"
    assert _last_history(contact).history_change_reason == "Outcome typed wrong at the scene"
    detail = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert "Changes to this record" in detail and "Reason: Outcome typed wrong at the scene" in detail


def test_a_reason_longer_than_the_history_keeps_is_refused(world, client):
    contact = world.records.victim_sjpd
    _age(contact)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:contact_edit", args=[contact.pk])
    response = client.post(url, _contact_data(contact, narrative="x", **{"change-reason": "r" * 101}))
    assert response.status_code == 200 and "Keep the reason to 100 characters or fewer." in response.content.decode()


def test_saving_nothing_changed_writes_no_history(world, client):
    person = world.records.victim_sjpd.person
    _age(person)
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:person_edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "vulnerabilities":
            data[name] = [v.pk for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    before = person.history.count()
    response = client.post(url, data, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert person.history.count() == before


# --- each edit page ------------------------------------------------------------------


def test_caseworker_corrects_the_childs_date_of_birth_with_plain_errors(world, client):
    child = world.records.child_contact.person
    _age(child)
    client.force_login(world.users.caseworker)
    url = reverse("web:person_edit", args=[child.pk])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        url, {"date_of_birth": future, "gender": "female", "citizenship": "us", "change-reason": "DOB"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "constraint" not in page.lower()
    assert "date of birth" in page.lower()
    born = (timezone.localdate() - timedelta(days=3 * 365)).isoformat()
    response = client.post(
        url, {"date_of_birth": born, "gender": "female", "citizenship": "us", "change-reason": "Birth certificate seen"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.date_of_birth.isoformat() == born and child.is_minor
    assert _last_history(child).history_change_reason == "Birth certificate seen"


def test_advocate_cannot_edit_a_person_it_only_sees_the_minimum_of(world, client):
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:person_edit", args=[world.records.victim_sjpd.person.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"legal_name": "Changed"}).status_code == 403


def test_officer_corrects_a_service_offer(world, client):
    offer = world.records.offer_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:offer_edit", args=[offer.pk])
    response = client.post(
        url,
        {
            "service_type": world.records.food.pk,
            "offered_at": timezone.localtime(offer.offered_at).strftime(LOCAL),
            "response": "accepted",
            "delivered_at": "",
            "provider": world.agencies.harbor.pk,
            "notes": "",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.service_type, offer.response, offer.provider) == (
        world.records.food,
        "accepted",
        world.agencies.harbor,
    )


def test_delivery_before_the_offer_is_refused_in_plain_words(world, client):
    offer = world.records.offer_sjpd
    client.force_login(world.users.officer_sjpd)
    early = timezone.localtime(offer.offered_at - timedelta(days=2)).strftime(LOCAL)
    response = client.post(
        reverse("web:offer_edit", args=[offer.pk]),
        {
            "service_type": offer.service_type_id,
            "offered_at": timezone.localtime(offer.offered_at).strftime(LOCAL),
            "response": "accepted",
            "delivered_at": early,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "A service cannot be delivered before it was offered." in page


def test_voided_records_are_edited_by_nobody(world, client):
    offer = world.records.offer_sjpd
    answer = offer.response
    offer.mark_voided(world.users.coordinator, "Entered twice")
    url = reverse("web:offer_edit", args=[offer.pk])
    for user in (world.users.coordinator, world.users.officer_sjpd):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"service_type": offer.service_type_id, "response": "declined"}).status_code == 403
    offer.refresh_from_db()
    assert offer.response == answer != "declined"


def test_handoff_is_corrected_until_child_welfare_acknowledges(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:handoff_edit", args=[handoff.pk])
    form = client.get(url).context["form"]
    data = {
        "taken_at": timezone.localtime(handoff.taken_at).strftime(LOCAL),
        "place": "Riverside Travel Plaza, pump 4",
        "reason": handoff.reason,
        "receiving_agency": handoff.receiving_agency_id,
        "receiving_worker": "",
        "handed_over_at": timezone.localtime(handoff.taken_at - timedelta(hours=1)).strftime(LOCAL),
    }
    assert "receiving_agency" in form.fields
    page = client.post(url, data).content.decode()
    assert "constraint" not in page.lower() and "before" in page  # the model's own message
    data["handed_over_at"] = timezone.localtime(handoff.handed_over_at).strftime(LOCAL)
    assert client.post(url, data).status_code == 302
    handoff.refresh_from_db()
    assert handoff.place == "Riverside Travel Plaza, pump 4"
    handoff.acknowledge(world.users.caseworker, world.agencies.childrens)
    assert client.get(url).status_code == 403


def test_a_contact_is_not_moved_into_a_closed_operation(world, client):
    contact = world.records.victim_sjpd
    client.force_login(world.users.officer_sjpd)
    closed = f.OperationFactory(lead_agency=world.agencies.sjpd, status=m.OperationStatus.CLOSED)
    url = reverse("web:contact_edit", args=[contact.pk])
    response = client.post(url, _contact_data(contact, operation=closed.pk, location=""))
    # A closed operation is not on offer at all: the form refuses it.
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.operation == world.records.op_sjpd


def test_edit_links_show_only_to_who_may_edit(world, client):
    contact_url = reverse("web:contact_detail", args=[world.records.victim_sjpd.pk])
    edit_url = reverse("web:contact_edit", args=[world.records.victim_sjpd.pk])
    client.force_login(world.users.officer_sjpd)
    assert edit_url in client.get(contact_url).content.decode()
    client.force_login(world.users.agent_fbi)
    assert edit_url not in client.get(contact_url).content.decode()
    detention_url = reverse("web:detention_detail", args=[world.records.detention_sjpd.pk])
    detention_edit = reverse("web:detention_edit", args=[world.records.detention_sjpd.pk])
    assert detention_edit in client.get(detention_url).content.decode()
    client.force_login(world.users.officer_sjpd)
    assert detention_edit not in client.get(detention_url).content.decode()


# --- detentions: any number of charges, each error naming its charge ------------------


def _charges(*charges, initial=0, prefix="charges"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(charges)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for i, charge in enumerate(charges):
        data.update({f"{prefix}-{i}-{k}": v for k, v in charge.items()})
    return data


CHARGE_A = {"statute": "RSMo 566.209", "description": "Trafficking for sexual exploitation", "charge_class": "felony"}
CHARGE_B = {"statute": "RSMo 567.030", "description": "Purchasing sexual conduct", "charge_class": "misdemeanor"}
CHARGE_C = {"statute": "RSMo 571.030", "description": "Unlawful use of a weapon", "charge_class": "felony"}
CHARGE_D = {"statute": "18 U.S.C. 1591", "description": "Sex trafficking of children", "charge_class": "federal"}


def _detention_fields(**extra):
    return {"detained_at": timezone.localtime().strftime(LOCAL), "outcome": "arrested", "notes": "", **extra}


def test_a_detention_is_recorded_with_four_charges(world, client):
    client.force_login(world.users.officer_sjpd)
    url = f"{reverse('web:detention_create')}?contact={world.records.buyer_contact.pk}"
    response = client.post(url, {**_detention_fields(), **_charges(CHARGE_A, CHARGE_B, CHARGE_C, CHARGE_D)})
    assert response.status_code == 302
    detention = m.Detention.objects.latest("pk")
    assert list(detention.charges.values_list("statute", flat=True)) == [
        "RSMo 566.209",
        "RSMo 567.030",
        "RSMo 571.030",
        "18 U.S.C. 1591",
    ]


def test_each_charge_error_names_its_charge(world, client):
    client.force_login(world.users.officer_sjpd)
    url = f"{reverse('web:detention_create')}?contact={world.records.buyer_contact.pk}"
    no_class = {**CHARGE_B, "charge_class": ""}
    no_statute = {**CHARGE_D, "statute": ""}
    response = client.post(url, {**_detention_fields(), **_charges(CHARGE_A, no_class, CHARGE_C, no_statute)})
    page = response.content.decode()
    assert response.status_code == 200 and "There are 2 problems" in page
    assert "Charge 2 — class: choose the class." in page
    assert "Charge 4 — statute: give the statute." in page
    assert "Unlawful use of a weapon" in page  # the third charge, as typed


def test_add_another_charge_works_without_scripts(world, client):
    client.force_login(world.users.officer_sjpd)
    url = f"{reverse('web:detention_create')}?contact={world.records.buyer_contact.pk}"
    data = {**_detention_fields(notes="Kept"), **_charges(CHARGE_A), "add_charge": "1"}
    response = client.post(url, data)
    charges = response.context["charges"]
    assert response.status_code == 200 and len(charges.forms) == 2
    page = response.content.decode()
    assert "Charge 2" in page and "RSMo 566.209" in page and "Kept" in page
    assert not m.Detention.objects.filter(notes="Kept").exists()


def test_detention_edit_adds_corrects_and_removes_charges(world, client):
    detention = world.records.detention_sjpd  # by the FBI, with one charge
    first = world.records.charge_sjpd
    _age(detention)
    client.force_login(world.users.agent_fbi)
    url = reverse("web:detention_edit", args=[detention.pk])
    page = client.get(url).content.decode()
    assert "Add another charge" in page and "Remove this charge" in page
    kept = {"id": first.pk, **CHARGE_A, "DELETE": "on"}
    data = {
        **_detention_fields(outcome="referred"),
        **_charges(kept, CHARGE_B, CHARGE_C, CHARGE_D, initial=1),
        "change-reason": "Charges filed by the prosecutor",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    detention.refresh_from_db()
    assert detention.outcome == "referred"
    assert list(detention.charges.values_list("statute", flat=True)) == [
        "RSMo 567.030",
        "RSMo 571.030",
        "18 U.S.C. 1591",
    ]
    assert _last_history(detention).history_change_reason == "Charges filed by the prosecutor"
    removed = m.Charge.history.get(id=first.pk, history_type="-")
    assert removed.history_change_reason == "Charges filed by the prosecutor"
    detail = client.get(reverse("web:detention_detail", args=[detention.pk])).content.decode()
    assert f"Charge {first.statute}: removed" in detail and "Reason: Charges filed by the prosecutor" in detail


def test_detention_edit_errors_name_the_charge_and_keep_the_reason_rule(world, client):
    detention = world.records.detention_sjpd
    _age(detention)
    client.force_login(world.users.agent_fbi)
    url = reverse("web:detention_edit", args=[detention.pk])
    existing = {"id": world.records.charge_sjpd.pk, **CHARGE_A}
    data = {**_detention_fields(), **_charges(existing, CHARGE_B, {**CHARGE_C, "charge_class": ""}, initial=1)}
    page = client.post(url, data).content.decode()
    assert "Charge 3 — class: choose the class." in page
    assert "Say why it changes" in page
    assert detention.charges.count() == 1


def test_detention_edit_page_queries_do_not_grow_with_charges(world, client, django_assert_max_num_queries):
    detention = world.records.detention_sjpd
    client.force_login(world.users.agent_fbi)
    url = reverse("web:detention_edit", args=[detention.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(8):
        f.ChargeFactory(detention=detention)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- voided records wherever they are listed -----------------------------------------


def _void(record, who):
    record.mark_voided(who, "Recorded by mistake")


def test_a_voided_operation_shows_voided_not_its_status(world, client):
    op = world.records.op_kcpd
    op.status = m.OperationStatus.PLANNED
    op.save()
    _void(op, world.users.coordinator)
    client.force_login(world.users.coordinator)
    response = client.get(reverse("web:operation_list"))
    row = next(line for line in response.content.decode().split("<tr") if op.code in line)
    assert "Voided" in row and "tf-badge--planned" not in row
    detail = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert "tf-badge--voided" in detail and "tf-badge--planned" not in detail


@pytest.mark.parametrize(
    "list_name, record",
    [
        ("web:person_list", lambda w: w.records.victim_sjpd.person),
        ("web:referral_list", lambda w: w.records.referral_sjpd),
        ("web:handoff_list", lambda w: w.records.handoff_sjpd),
        ("web:detention_list", lambda w: w.records.detention_sjpd),
    ],
)
def test_voided_records_are_marked_in_each_list(world, client, list_name, record):
    target = record(world)
    client.force_login(world.users.coordinator)
    url = reverse(list_name)
    before = client.get(url).content.decode().count("tf-badge--voided")
    _void(target, world.users.coordinator)
    after = client.get(url).content.decode().count("tf-badge--voided")
    assert after == before + 1


@pytest.mark.parametrize(
    "url, section, record",
    [
        ("web:operation_detail", "contacts", lambda w: (w.records.op_sjpd, w.records.victim_sjpd)),
        ("web:operation_detail", "referrals", lambda w: (w.records.op_sjpd, w.records.referral_sjpd)),
        ("web:operation_detail", "custody", lambda w: (w.records.op_sjpd, w.records.handoff_sjpd)),
        ("web:operation_detail", "detentions", lambda w: (w.records.op_sjpd, w.records.detention_sjpd)),
        ("web:person_detail", "services", lambda w: (w.records.victim_sjpd.person, w.records.offer_sjpd)),
        ("web:person_detail", "referrals", lambda w: (w.records.victim_sjpd.person, w.records.referral_sjpd)),
        ("web:person_detail", "custody", lambda w: (w.records.child_contact.person, w.records.handoff_sjpd)),
        ("web:person_detail", "detentions", lambda w: (w.records.buyer_contact.person, w.records.detention_sjpd)),
    ],
)
def test_voided_records_are_marked_in_record_sections(world, client, url, section, record):
    parent, target = record(world)
    client.force_login(world.users.coordinator)
    address = f"{reverse(url, args=[parent.pk])}?section={section}"
    assert "tf-badge--voided" not in client.get(address).content.decode()
    _void(target, world.users.coordinator)
    assert "tf-badge--voided" in client.get(address).content.decode()


def test_voided_contact_and_offer_are_marked_on_person_and_contact_pages(world, client):
    contact = world.records.victim_sjpd
    _void(world.records.offer_sjpd, world.users.coordinator)
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert "tf-badge--voided" in page and reverse("web:offer_edit", args=[world.records.offer_sjpd.pk]) not in page
    _void(contact, world.users.coordinator)
    page = client.get(reverse("web:person_detail", args=[contact.person_id])).content.decode()
    assert "tf-badge--voided" in page
    page = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert reverse("web:contact_edit", args=[contact.pk]) not in page


# --- no removing agencies from an operation that is over ------------------------------


@pytest.mark.parametrize("state", ["concluded", "closed", "voided"])
def test_no_remove_beside_agencies_of_an_operation_that_is_over(world, client, state):
    op = world.records.op_sjpd
    fbi = op.participations.get(agency=world.agencies.fbi)
    client.force_login(world.users.officer_sjpd)
    remove_url = reverse("web:operation_participant_remove", args=[fbi.pk])
    assert remove_url in client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    if state == "voided":
        _void(op, world.users.coordinator)
    else:
        op.status = state
        op.save()
    assert remove_url not in client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert client.get(remove_url).status_code == 403
    assert client.post(remove_url).status_code == 403
    assert m.Participation.objects.filter(pk=fbi.pk).exists()


def test_contact_edit_never_names_an_operation_the_editor_does_not_see(world, client):
    # SJPD made this contact in Kansas City's operation, in which SJPD takes no part.
    contact = f.ContactFactory(
        operation=world.records.op_kcpd, agency=world.agencies.sjpd, person__created_by_agency=world.agencies.sjpd
    )
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:contact_edit", args=[contact.pk])
    page = client.get(url).content.decode()
    assert world.records.op_kcpd.code not in page and world.records.location_kcpd.venue_name not in page
    assert "stay as recorded" in page
    data = _contact_data(contact, narrative="Corrected.")
    response = client.post(url, {k: v for k, v in data.items() if k not in ("operation", "location", "place")})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.narrative == "Corrected." and contact.operation == world.records.op_kcpd
