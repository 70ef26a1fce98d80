"""Detention pages, the notes panel and voiding with confirmation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- detentions --------------------------------------------------------------


def _detention_data(**extra):
    data = {
        "detained_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outcome": "arrested",
        "pending": "on",
        "notes": "",
        "charges-TOTAL_FORMS": "2",
        "charges-INITIAL_FORMS": "0",
        "charges-MIN_NUM_FORMS": "0",
        "charges-MAX_NUM_FORMS": "20",
        "charges-0-statute": "RSMo 566.209",
        "charges-0-description": "Trafficking for the purposes of sexual exploitation",
        "charges-0-charge_class": "felony",
        "charges-0-is_trafficking": "on",
        "charges-1-statute": "RSMo 567.030",
        "charges-1-description": "Purchasing sexual conduct",
        "charges-1-charge_class": "misdemeanor",
    }
    data.update(extra)
    return data


def test_officer_records_a_detention_with_charges(world, client):
    contact = world.records.buyer_contact
    client.force_login(world.users.officer_sjpd)
    response = client.post(f"{reverse('web:detention_create')}?contact={contact.pk}", _detention_data())
    detention = m.Detention.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("web:detention_detail", args=[detention.pk])
    assert detention.agency == world.agencies.sjpd and detention.pending and detention.person == contact.person
    charges = list(detention.charges.values_list("statute", "is_trafficking"))
    assert charges == [("RSMo 566.209", True), ("RSMo 567.030", False)]


def test_a_half_filled_charge_keeps_everything_typed(world, client):
    client.force_login(world.users.officer_sjpd)
    before = m.Detention.objects.count()
    data = _detention_data(**{"charges-1-charge_class": "", "notes": "Resisted at first."})
    response = client.post(f"{reverse('web:detention_create')}?contact={world.records.buyer_contact.pk}", data)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Purchasing sexual conduct" in page and "Resisted at first." in page
    assert m.Detention.objects.count() == before


@pytest.mark.parametrize("persona", ["advocate_harbor", "caseworker"])
def test_service_roles_never_see_detentions(world, client, persona):
    client.force_login(getattr(world.users, persona))
    assert client.get(reverse("web:detention_list")).status_code == 404
    assert client.get(reverse("web:detention_detail", args=[world.records.detention_sjpd.pk])).status_code == 404


def test_detention_list_is_scoped_and_queries_do_not_grow(world, client, django_assert_max_num_queries):
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:detention_list")
    with django_assert_max_num_queries(20) as few:
        rows = list(client.get(url).context["detention_list"])
    assert rows == [world.records.detention_sjpd]
    for _ in range(5):
        f.ChargeFactory(
            detention=f.DetentionFactory(
                contact=f.ContactFactory(
                    operation=world.records.op_sjpd,
                    agency=world.agencies.sjpd,
                    role="buyer",
                    person__created_by_agency=world.agencies.sjpd,
                )
            )
        )
    with django_assert_max_num_queries(20) as many:
        assert len(client.get(url).context["detention_list"]) == 6
    assert len(many) == len(few)


# --- notes -------------------------------------------------------------------


def test_advocate_note_is_private_to_its_agency(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:note_create", args=["referral", referral.pk])
    response = client.post(url, {"text": "Prefers to be called in Spanish."})
    assert response.status_code == 302
    note = m.Note.objects.latest("pk")
    assert note.private and note.agency == world.agencies.harbor and note.referral == referral
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert "Prefers to be called in Spanish." in page and "Private to your agency" in page
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert "Prefers to be called in Spanish." not in page


def test_htmx_note_post_returns_the_refreshed_panel(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:note_create", args=["referral", referral.pk])
    response = client.post(url, {"text": "Drove the client to the shelter."}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section") and "Drove the client to the shelter." in page
    assert "Your note was added." in page
    empty = client.post(url, {"text": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "Write the note." in empty


def test_caseworker_cannot_write_notes_on_operations(world, client):
    client.force_login(world.users.caseworker)
    # The operation is not even visible to the caseworker.
    assert (
        client.post(reverse("web:note_create", args=["operation", world.records.op_sjpd.pk]), {"text": "x"}).status_code
        == 404
    )


# --- voiding -----------------------------------------------------------------


def test_supervisor_voids_a_referral_after_confirmation(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.supervisor_sjpd)
    url = reverse("web:void", args=["cases.referral", referral.pk])
    page = client.get(url).content.decode()
    assert "Void this referral?" in page and "Yes, void this record" in page
    response = client.post(url, {"reason": ""})
    assert "Give a reason for voiding this record." in response.content.decode()
    referral.refresh_from_db()
    assert not referral.is_voided
    response = client.post(url, {"reason": "Entered twice."}, follow=True)
    referral.refresh_from_db()
    assert referral.is_voided and referral.voided_by == world.users.supervisor_sjpd
    page = response.content.decode()
    assert "is-voided" in page and "Entered twice." in page and "Voided" in page


def test_officer_gets_no_void_button_and_403(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.officer_sjpd)
    void = reverse("web:void", args=["cases.referral", referral.pk])
    assert void not in client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert client.post(void, {"reason": "No."}).status_code == 403


def test_voided_note_is_struck_through_in_the_panel(world, client):
    note = world.records.note_sjpd
    client.force_login(world.users.supervisor_sjpd)
    client.post(reverse("web:void", args=["cases.note", note.pk]), {"reason": "Wrong operation."})
    note.refresh_from_db()
    assert note.is_voided
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.users.supervisor_sjpd
    html = render_to_string("cases/notes/panel.html", {"target": world.records.op_sjpd}, request=request)
    assert 'class="is-voided"' in html and "Wrong operation." in html


def test_detention_detail_queries_do_not_grow_with_charges(world, client, django_assert_max_num_queries):
    detention = world.records.detention_sjpd
    client.force_login(world.users.agent_fbi)
    url = reverse("web:detention_detail", args=[detention.pk])
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        f.ChargeFactory(detention=detention, statute=f"RSMo 566.{210 + n}")
    with django_assert_max_num_queries(20) as many:
        page = client.get(url).content.decode()
    assert "RSMo 566.213" in page
    assert len(many) == len(few)
