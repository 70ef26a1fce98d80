"""Recording a contact on the phone: find or create the person, what happened, services offered."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, Person, ServiceOffer
from tests import factories as f


def _contact_data(world, **extra):
    data = {
        "operation": world.records.op_sjpd.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "role": "potential_victim",
        "outcome": "offered_services",
        "narrative": "Met at the fuel island.",
        "new-legal_name": "Avery Invented",
        "new-estimated_age": "19",
        "new-gender": "female",
        "new-citizenship": "unknown",
        "new-languages": "English",
    }
    data.update(extra)
    return data


def test_officer_records_a_contact_with_a_new_person_and_offers(world, client):
    indicator = f.IndicatorFactory(code="no-id", name="Not in control of ID")
    food, shelter = world.records.food, world.records.shelter
    client.force_login(world.users.officer_sjpd)
    data = _contact_data(
        world,
        indicators=[indicator.pk],
        **{f"offer-service_{shelter.pk}": "declined", f"offer-service_{food.pk}": "accepted"},
    )
    response = client.post(reverse("web:contact_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(legal_name="Avery Invented")
    contact = Contact.objects.get(person=person)
    assert response["Location"] == reverse("web:contact_detail", args=[contact.pk])
    assert person.created_by_agency == world.agencies.sjpd and person.estimated_age == 19
    assert contact.agency == world.agencies.sjpd and contact.operation == world.records.op_sjpd
    assert list(contact.indicators.all()) == [indicator]
    answers = {o.service_type.code: o.response for o in ServiceOffer.objects.filter(contact=contact)}
    assert answers == {"shelter": "declined", "food": "accepted"}
    page = client.get(response["Location"]).content.decode()
    assert "Contact with " + person.reference + " recorded, with 2 service offers." in page
    # Next steps from the same screen: a referral, no custody for an adult.
    assert "Start a referral" in page and "Start a custody hand-off" not in page
    assert "Record a detention" in page


def test_a_minor_gets_the_custody_link_and_an_advocate_never_sees_detention_links(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse("web:contact_create"), _contact_data(world, **{"new-estimated_age": "4", "role": "accompanying_child"})
    )
    page = client.get(response["Location"]).content.decode()
    assert "Start a custody hand-off" in page
    contact = Contact.objects.get(person__legal_name="Avery Invented")
    assert reverse("web:handoff_create") + f"?contact={contact.pk}" in page


def test_recording_with_an_existing_person_creates_no_new_person(world, client):
    dana = world.records.victim_sjpd.person
    before = Person.objects.count()
    client.force_login(world.users.officer_sjpd)
    data = _contact_data(world, person=dana.pk)
    response = client.post(reverse("web:contact_create"), data)
    assert response.status_code == 302
    assert Person.objects.count() == before
    assert Contact.objects.filter(person=dana).count() == 2


def test_a_person_out_of_scope_cannot_be_chosen(world, client):
    jordan = world.records.victim_kcpd.person
    client.force_login(world.users.officer_sjpd)
    assert client.get(reverse("web:contact_create"), {"person": jordan.pk}).status_code == 404
    assert client.post(reverse("web:contact_create"), _contact_data(world, person=jordan.pk)).status_code == 404
    assert not Contact.objects.filter(person=jordan, agency=world.agencies.sjpd).exists()


def test_errors_keep_everything_typed_and_save_nothing(world, client):
    client.force_login(world.users.officer_sjpd)
    before = (Person.objects.count(), Contact.objects.count(), ServiceOffer.objects.count())
    data = _contact_data(world, role="", **{f"offer-service_{world.records.food.pk}": "accepted"})
    response = client.post(reverse("web:contact_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_role"' in html
    assert 'value="Avery Invented"' in html and "Met at the fuel island." in html
    assert (
        f'name="offer-service_{world.records.food.pk}" value="accepted" id="id_offer-service_{world.records.food.pk}_1" checked'
        in html
    )
    assert (Person.objects.count(), Contact.objects.count(), ServiceOffer.objects.count()) == before


def test_a_contact_in_the_future_is_refused_on_its_field(world, client):
    client.force_login(world.users.officer_sjpd)
    later = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("web:contact_create"), _contact_data(world, occurred_at=later))
    assert response.status_code == 200
    assert "cannot be recorded in the future" in str(response.context["form"].errors["occurred_at"])
    assert not Person.objects.filter(legal_name="Avery Invented").exists()  # rolled back with the contact


def test_dropdowns_offer_only_what_the_officer_may_use(world, client):
    client.force_login(world.users.officer_kcpd)
    form = client.get(reverse("web:contact_create")).context["form"]
    assert list(form.fields["operation"].queryset) == [world.records.op_kcpd]
    assert world.records.location_sjpd not in form.fields["location"].queryset


def test_person_search_finds_visible_people_only(world, client):
    dana, jordan = world.records.victim_sjpd.person, world.records.victim_kcpd.person
    dana.aliases = "Dee\nDD"
    dana.save()
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:person_search")
    html = client.get(url, {"q": "invented"}).content.decode()
    assert dana.reference in html and jordan.reference not in html
    assert dana.reference in client.get(url, {"q": "dee"}).content.decode()  # alias
    assert dana.reference in client.get(url, {"q": dana.reference}).content.decode()
    assert dana.reference in client.get(url, {"age": "26"}).content.decode()  # estimated 25
    assert "No one you can see matches" in client.get(url, {"q": "zzz"}).content.decode()
    # The page itself shows the same results without JavaScript.
    page = client.get(reverse("web:contact_create"), {"q": "invented"}).content.decode()
    assert f"?person={dana.pk}" in page


def test_offer_more_services_later_in_the_contact(world, client):
    contact = world.records.victim_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:contact_offers", args=[contact.pk])
    nothing = client.post(url, {})
    assert nothing.status_code == 200 and "at least one service" in nothing.content.decode()
    response = client.post(url, {f"offer-service_{world.records.food.pk}": "undecided"})
    assert response.status_code == 302
    assert ServiceOffer.objects.filter(contact=contact, service_type=world.records.food, response="undecided").exists()


def test_advocate_cannot_record_contacts(world, client):
    client.force_login(world.users.advocate_harbor)
    assert client.get(reverse("web:contact_create")).status_code == 403
    page = client.get(reverse("web:operation_detail", args=[world.records.op_sjpd.pk])).content.decode()
    assert "Record a contact" not in page
