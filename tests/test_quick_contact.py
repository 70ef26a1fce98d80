"""The quick contact, its warnings (time outside the operation, an adult "accompanying child"),
and the next steps offered after saving."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import contact_checks
from cases.models import Contact, Operation, OperationStatus, Person, ServiceOffer
from tests import factories as f

QUICK = "web:contact_quick"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _quick(world, **extra):
    data = {
        "operation": world.records.op_sjpd.pk,
        "occurred_at": _local(timezone.now()),
        "role": "potential_victim",
        "new-legal_name": "Quinn Invented",
        "new-estimated_age": "24",
        "new-gender": "female",
    }
    data.update(extra)
    return data


def _night_operation(world, *, days_ago=2):
    """A concluded night operation of SJPD: 22:00 to 04:00, some days ago."""
    start = timezone.localtime().replace(hour=22, minute=0, second=0, microsecond=0) - timedelta(days=days_ago)
    op = f.OperationFactory(
        name="Operation Night Watch",
        lead_agency=world.agencies.sjpd,
        created_by=world.users.officer_sjpd,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        status=OperationStatus.CONCLUDED,
    )
    return op


# --- the default contact time ------------------------------------------------------------


def test_default_time_is_now_within_the_operation_and_its_start_after_it():
    now = timezone.now().replace(second=0, microsecond=0)
    running = Operation(starts_at=now - timedelta(hours=3), ends_at=now + timedelta(hours=3))
    assert contact_checks.default_time(running, now) == now
    open_ended = Operation(starts_at=now - timedelta(days=3))
    assert contact_checks.default_time(open_ended, now) == now
    over = Operation(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2) + timedelta(hours=6))
    assert contact_checks.default_time(over, now) == over.starts_at
    # A planned operation ahead: never a time in the future (the contact would be refused).
    ahead = Operation(starts_at=now + timedelta(days=1))
    assert contact_checks.default_time(ahead, now) == now
    assert contact_checks.default_time(None, now) == now


def test_the_time_is_outside_before_the_start_or_after_the_end_to_the_minute():
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    op = Operation(code="OP-X", starts_at=start, ends_at=start + timedelta(hours=6))
    assert not contact_checks.outside_window(op, start)
    assert not contact_checks.outside_window(op, start + timedelta(hours=6, seconds=30))
    assert contact_checks.outside_window(op, start - timedelta(minutes=1))
    assert contact_checks.outside_window(op, start + timedelta(hours=6, minutes=1))
    assert not contact_checks.outside_window(Operation(starts_at=start), start + timedelta(days=30))
    assert not contact_checks.outside_window(None, start)


def test_the_quick_form_defaults_to_the_operations_start_the_morning_after(world, client):
    op = _night_operation(world)
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse(QUICK), {"operation": op.pk}).content.decode()
    assert f'value="{_local(op.starts_at)}"' in page
    assert "The operation: " in page


# --- saving a quick contact -----------------------------------------------------------------


def test_quick_contact_records_person_contact_and_offers_declined_by_default(world, client):
    food, shelter = world.records.food, world.records.shelter
    medical = f.ServiceTypeFactory(code="medical", name="Medical care")
    client.force_login(world.users.officer_sjpd)
    data = _quick(
        world,
        **{
            f"svc-offered_{food.pk}": "on",
            f"svc-accepted_{food.pk}": "on",
            f"svc-offered_{shelter.pk}": "on",
            # Accepted without offered counts as offered (the page's script ticks both).
            f"svc-accepted_{medical.pk}": "on",
        },
    )
    response = client.post(reverse(QUICK), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(legal_name="Quinn Invented")
    contact = Contact.objects.get(person=person)
    assert response["Location"] == reverse("web:contact_detail", args=[contact.pk])
    assert (person.estimated_age, person.gender, person.created_by_agency) == (24, "female", world.agencies.sjpd)
    assert (contact.role, contact.outcome, contact.operation) == (
        "potential_victim",
        "offered_services",
        world.records.op_sjpd,
    )
    answers = {o.service_type.code: o.response for o in ServiceOffer.objects.filter(contact=contact)}
    assert answers == {"food": "accepted", "shelter": "declined", "medical": "accepted"}
    assert all(o.offered_by == world.agencies.sjpd for o in ServiceOffer.objects.filter(contact=contact))


def test_without_services_the_outcome_must_be_chosen_and_nothing_typed_is_lost(world, client):
    client.force_login(world.users.officer_sjpd)
    before = Contact.objects.count()
    response = client.post(reverse(QUICK), _quick(world, role="buyer"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose what happened: no service was offered." in page
    assert 'value="Quinn Invented"' in page and Contact.objects.count() == before
    response = client.post(reverse(QUICK), _quick(world, role="buyer", outcome="arrested"))
    assert response.status_code == 302
    assert Contact.objects.get(person__legal_name="Quinn Invented").outcome == "arrested"


def test_an_existing_person_is_chosen_by_search_and_no_new_person_is_made(world, client):
    dana = world.records.victim_sjpd.person
    client.force_login(world.users.officer_sjpd)
    results = client.get(reverse("web:person_search"), {"q": dana.reference, "quick": "1"}).content.decode()
    assert f"{reverse(QUICK)}?person={dana.pk}" in results
    before = Person.objects.count()
    response = client.post(reverse(QUICK), _quick(world, person=dana.pk, outcome="released"))
    assert response.status_code == 302
    assert Person.objects.count() == before and Contact.objects.filter(person=dana).count() == 2


def test_an_impossible_birth_date_is_refused_on_its_field(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse(QUICK),
        _quick(world, role="accompanying_child", outcome="no_action", **{"new-date_of_birth": "1850-01-01"}),
    )
    assert response.status_code == 200
    assert "Enter a date of birth from January 1, 1900 onwards." in response.content.decode()
    assert not Person.objects.filter(legal_name="Quinn Invented").exists()


def test_more_details_opens_the_full_form_with_what_was_typed_and_saves_nothing(world, client):
    op, food, shelter = world.records.op_sjpd, world.records.food, world.records.shelter
    client.force_login(world.users.officer_sjpd)
    operation_page = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    assert f"{reverse(QUICK)}?operation={op.pk}" in operation_page
    data = _quick(
        world,
        more_details="1",
        **{f"svc-offered_{food.pk}": "on", f"svc-accepted_{food.pk}": "on", f"svc-offered_{shelter.pk}": "on"},
    )
    response = client.post(reverse(QUICK), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Person.objects.filter(legal_name="Quinn Invented").exists()
    assert f'action="{reverse("web:contact_create")}"' in page and 'name="narrative"' in page
    assert 'value="Quinn Invented"' in page and 'value="24"' in page
    assert f'name="offer-service_{food.pk}" value="accepted" id="id_offer-service_{food.pk}_1" checked' in page
    assert f'name="offer-service_{shelter.pk}" value="declined" id="id_offer-service_{shelter.pk}_2" checked' in page
    assert 'value="potential_victim" id="id_role_0" checked' in page


# --- warnings: confirm before saving -------------------------------------------------------


def test_a_time_outside_the_operation_warns_and_saves_only_when_confirmed(world, client):
    op = _night_operation(world)
    client.force_login(world.users.officer_sjpd)
    data = _quick(world, operation=op.pk, outcome="released", occurred_at=_local(timezone.now()))
    response = client.post(reverse(QUICK), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Check before saving" in page
    assert "The contact time is outside the operation" in page and "Save anyway" in page
    assert not Contact.objects.filter(operation=op).exists()
    # "Save anyway" posts the same with the warning confirmed.
    response = client.post(reverse(QUICK), {**data, "confirm": "outside_operation"})
    assert response.status_code == 302
    assert Contact.objects.filter(operation=op).count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert "Recorded outside the operation&#x27;s time" in detail


def test_a_time_inside_the_operation_saves_without_a_warning(world, client):
    op = _night_operation(world)
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse(QUICK),
        _quick(world, operation=op.pk, outcome="released", occurred_at=_local(op.starts_at + timedelta(hours=1))),
    )
    assert response.status_code == 302
    assert "outside the operation" not in client.get(response["Location"]).content.decode()


def test_the_full_form_warns_about_the_time_too(world, client):
    op = _night_operation(world)
    client.force_login(world.users.officer_sjpd)
    data = {
        "operation": op.pk,
        "occurred_at": _local(timezone.now()),
        "role": "witness",
        "outcome": "no_action",
        "new-gender": "unknown",
        "new-citizenship": "unknown",
    }
    response = client.post(reverse("web:contact_create"), data)
    assert response.status_code == 200 and "The contact time is outside the operation" in response.content.decode()
    assert client.post(reverse("web:contact_create"), {**data, "confirm": "outside_operation"}).status_code == 302


def test_an_adult_recorded_as_accompanying_child_is_warned_then_flagged_without_custody(world, client):
    client.force_login(world.users.officer_sjpd)
    # The child's birth year typed as 1990 instead of 2019.
    data = _quick(
        world,
        role="accompanying_child",
        outcome="protective_custody",
        **{"new-estimated_age": "", "new-date_of_birth": "1990-05-01"},
    )
    response = client.post(reverse(QUICK), data)
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "Recorded as an accompanying child, but the age or date of birth makes them" in page
    )
    assert not Person.objects.filter(legal_name="Quinn Invented").exists()
    response = client.post(reverse(QUICK), {**data, "confirm": "adult_accompanying_child"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Check the person&#x27;s age and the role" in detail
    assert "Start a custody hand-off" not in detail


def test_a_child_with_a_corrected_birth_date_gets_the_custody_hand_off_first(world, client):
    client.force_login(world.users.officer_sjpd)
    born = date(timezone.localdate().year - 6, 5, 1)
    data = _quick(
        world,
        role="accompanying_child",
        outcome="protective_custody",
        **{"new-estimated_age": "", "new-date_of_birth": born.isoformat()},
    )
    response = client.post(reverse(QUICK), data)
    assert response.status_code == 302
    contact = Contact.objects.get(person__legal_name="Quinn Invented")
    assert contact.person.is_minor and contact.age_group == "child"
    detail = client.get(response["Location"]).content.decode()
    steps = detail[detail.index("Next steps") :]
    assert steps.index("Start a custody hand-off") < steps.index("Start a referral")
    assert f"{reverse('web:handoff_create')}?contact={contact.pk}" in detail
    assert "makes them" not in detail


def test_an_accompanying_child_without_an_age_is_told_how_to_get_the_hand_off(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse(QUICK), _quick(world, role="accompanying_child", outcome="no_action", **{"new-estimated_age": ""})
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "No age or date of birth is recorded for this child" in detail
    assert "Start a custody hand-off" not in detail


# --- next steps after saving ----------------------------------------------------------------


def _contact_with(world, role, age):
    person = f.PersonFactory(estimated_age=age, created_by_agency=world.agencies.sjpd)
    return f.ContactFactory(person=person, operation=world.records.op_sjpd, agency=world.agencies.sjpd, role=role)


def _steps(client, contact) -> tuple[list[str], list[str]]:
    """The labels of the primary next steps and of the other ones, in order."""
    import re

    page = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    block = page[page.index('class="tf-actions tf-next-steps"') :]
    block = block[: block.index("</div>")]
    primary = re.findall(r'class="usa-button"[^>]*>([^<]+)</a>', block)
    other = re.findall(r'class="usa-button usa-button--outline"[^>]*>([^<]+)</a>', block)
    return primary, other


@pytest.mark.parametrize(
    ("role", "age", "primary"),
    [
        ("potential_victim", 25, ["Start a referral"]),
        ("confirmed_victim", 30, ["Start a referral"]),
        ("accompanying_child", 4, ["Start a custody hand-off", "Start a referral"]),
        ("potential_victim", 15, ["Start a custody hand-off", "Start a referral"]),
        ("suspected_trafficker", 40, ["Record a detention or arrest"]),
        ("buyer", 50, ["Record a detention or arrest"]),
        ("witness", 33, []),
    ],
)
def test_next_steps_fitting_the_role_come_first(world, client, role, age, primary):
    contact = _contact_with(world, role, age)
    client.force_login(world.users.officer_sjpd)
    first, other = _steps(client, contact)
    assert first == primary
    # The others the policy allows stay within reach, after "Offer services".
    assert other[0] == "Offer services"
    assert set(first + other[1:]) >= {"Start a referral", "Record a detention or arrest"}


def test_next_steps_follow_the_policy_for_each_persona(world, client):
    trafficker = _contact_with(world, "suspected_trafficker", 40)
    client.force_login(world.users.coordinator)
    assert _steps(client, trafficker)[0] == ["Record a detention or arrest"]
    # The FBI agent takes part in the operation: the same steps.
    client.force_login(world.users.agent_fbi)
    assert _steps(client, trafficker)[0] == ["Record a detention or arrest"]
    # A voided contact offers none.
    Contact.objects.filter(pk=trafficker.pk).update(voided_at=timezone.now(), void_reason="Entered twice.")
    client.force_login(world.users.officer_sjpd)
    assert _steps(client, trafficker) == ([], [])


def test_the_contact_page_costs_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    contact = _contact_with(world, "potential_victim", 25)
    client.force_login(world.users.officer_sjpd)
    for service in (world.records.food, world.records.shelter):
        f.ServiceOfferFactory(contact=contact, service_type=service, offered_by=world.agencies.sjpd)
    client.get(reverse("web:contact_detail", args=[contact.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("web:contact_detail", args=[contact.pk]))
    for service in [f.ServiceTypeFactory() for _ in range(6)]:
        f.ServiceOfferFactory(contact=contact, service_type=service, offered_by=world.agencies.sjpd)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:contact_detail", args=[contact.pk]))
