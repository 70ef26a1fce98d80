"""The leaks of issue 11 ("Trust"), one story each; tests/leaks/test_no_leaks.py crawls for the rest."""

from __future__ import annotations

from django.urls import reverse

from audit.views.trail import WITHHELD
from cases.disclosure import NOT_SHOWN
from tests import factories as f


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_caseworker_reads_the_handoff_but_not_the_operation_it_came_from(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.caseworker)
    html = client.get(reverse("web:handoff_detail", args=[handoff.pk])).content.decode()
    assert handoff.reference in html and handoff.person.reference in html
    assert NOT_SHOWN in html
    assert world.records.op_sjpd.code not in html and "Operation Crossroads" not in html
    assert reverse("web:operation_detail", args=[world.records.op_sjpd.pk]) not in html


def test_officer_still_reads_the_operation_of_its_own_handoff(world, client):
    handoff, op = world.records.handoff_sjpd, world.records.op_sjpd
    client.force_login(world.users.officer_sjpd)
    html = client.get(reverse("web:handoff_detail", args=[handoff.pk])).content.decode()
    assert f'<a href="{reverse("web:operation_detail", args=[op.pk])}">{op.code} {op.name}</a>' in html


def test_caseworker_admin_handoff_page_names_no_operation(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(_staff(world.users.caseworker))
    html = client.get(reverse("admin:cases_custodyhandoff_change", args=[handoff.pk])).content.decode()
    assert NOT_SHOWN in html
    assert world.records.op_sjpd.code not in html and "Operation Crossroads" not in html


def test_advocate_admin_offer_list_does_not_name_a_person_never_referred_to_it(world, client):
    r, a = world.records, world.agencies
    offer = f.ServiceOfferFactory(contact=r.victim_kcpd, service_type=r.shelter, offered_by=a.kcpd, provider=a.harbor)
    f.ServiceOfferFactory(
        contact=r.victim_sjpd, referral=r.referral_sjpd, service_type=r.shelter, offered_by=a.harbor, provider=a.harbor
    )
    client.force_login(_staff(world.users.advocate_harbor))
    response = client.get(reverse("admin:cases_serviceoffer_changelist"))
    assert offer in response.context["cl"].result_list
    html = response.content.decode()
    assert r.victim_kcpd.person.reference not in html
    assert NOT_SHOWN in html
    assert r.victim_sjpd.person.reference in html  # the person of a referral sent to Harbor


def test_task_force_auditor_sees_a_private_note_changed_but_not_its_text(world, client):
    note = world.records.private_note_harbor
    note.text = "Client moved to the Eastside shelter."
    note.save()
    client.force_login(world.users.tf_auditor)
    for url in (
        f"{reverse('audit:change-list')}?model=cases.note",
        reverse("audit:record-trail", args=["cases.note", note.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Eastside shelter" not in html and "after 9 pm" not in html, url
        assert WITHHELD in html, url
        assert "Changed" in html, url  # that it was changed, and when, stays readable


def test_task_force_auditor_reads_the_text_of_a_note_that_is_not_private(world, client):
    note = world.records.note_sjpd
    note.text = "Perimeter moved to 23:00."
    note.save()
    client.force_login(world.users.tf_auditor)
    html = client.get(reverse("audit:record-trail", args=["cases.note", note.pk])).content.decode()
    assert "Perimeter moved to 23:00." in html
    assert WITHHELD not in html


def test_prosecutor_reads_the_arrest_and_the_victim_of_its_case_but_not_the_operation(world, client):
    """The investigation was referred to the prosecutor: its arrest and its people, not the sting."""
    r = world.records
    detention, op, victim = r.detention_sjpd, r.op_sjpd, r.victim_sjpd.person
    client.force_login(world.users.prosecutor)
    pages = {
        "detention": client.get(reverse("web:detention_detail", args=[detention.pk])).content.decode(),
        "victim": client.get(reverse("web:person_detail", args=[victim.pk])).content.decode(),
    }
    assert detention.person.reference in pages["detention"] and NOT_SHOWN in pages["detention"]
    assert "Dana Invented" in pages["victim"]
    for name, html in pages.items():
        assert op.code not in html and op.name not in html, name
        assert r.location_sjpd.venue_name not in html, name
        assert reverse("web:operation_detail", args=[op.pk]) not in html, name
        assert reverse("web:contact_detail", args=[r.victim_sjpd.pk]) not in html, name
