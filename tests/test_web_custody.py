"""Protective custody pages: recording, the hand-over, receipt and the chain of custody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, AgencyLevel
from cases import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _handoff_data(world, **extra):
    now = timezone.now()
    data = {
        "taken_at": _local(now - timedelta(hours=2)),
        "place": "Riverside Travel Plaza, lot B",
        "reason": "Found alone in a truck cab with no guardian.",
        "receiving_agency": world.agencies.childrens.pk,
        "receiving_worker": world.users.caseworker.pk,
        "handed_over_at": _local(now - timedelta(hours=1)),
    }
    data.update(extra)
    return data


def _create_url(contact):
    return f"{reverse('web:handoff_create')}?contact={contact.pk}"


def test_officer_records_custody_and_hand_off(world, client):
    contact = world.records.child_contact
    client.force_login(world.users.officer_sjpd)
    response = client.post(_create_url(contact), _handoff_data(world))
    handoff = m.CustodyHandoff.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("web:handoff_detail", args=[handoff.pk])
    assert handoff.person == contact.person and handoff.operation == world.records.op_sjpd
    assert handoff.custody_agency == world.agencies.sjpd and handoff.custody_officer == world.users.officer_sjpd
    assert list(handoff.events.values_list("kind", flat=True)) == ["taken", "handed_over"]


def test_hand_off_before_custody_shows_the_error_inline_and_keeps_the_input(world, client):
    client.force_login(world.users.officer_sjpd)
    before = m.CustodyHandoff.objects.count()
    now = timezone.now()
    response = client.post(
        _create_url(world.records.child_contact),
        _handoff_data(
            world,
            taken_at=_local(now - timedelta(hours=1)),
            handed_over_at=_local(now - timedelta(hours=3)),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The hand-off cannot be before the child was taken into custody." in page
    assert 'id="id_handed_over_at-error"' in page
    assert "Found alone in a truck cab with no guardian." in page
    assert m.CustodyHandoff.objects.count() == before


def test_a_person_who_was_an_adult_at_the_time_gets_the_models_error(world, client):
    # Recorded as a minor (the flag is never cleared), but 18 by now.
    contact = world.records.child_contact
    person = contact.person
    m.Person.objects.filter(pk=person.pk).update(
        estimated_age=None, date_of_birth=timezone.localdate() - timedelta(days=365 * 18 + 30), is_minor=True
    )
    client.force_login(world.users.officer_sjpd)
    response = client.post(_create_url(contact), _handoff_data(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Protective custody hand-offs are for children; this person was 18 at the time." in page
    assert "There is a problem" in page


def test_an_adults_contact_cannot_start_a_hand_off(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.get(_create_url(world.records.victim_sjpd))
    assert response.status_code == 403
    assert "only for children" in response.content.decode()


def test_receiving_agency_dropdown_lists_child_welfare_agencies_only(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.get(_create_url(world.records.child_contact))
    agencies = list(response.context["form"].fields["receiving_agency"].queryset)
    assert agencies == [world.agencies.childrens]


def test_a_worker_of_another_agency_is_refused(world, client):
    other = f.AgencyFactory(
        short_name="KS-DCF", name="Kansas Children and Families", kind=AgencyKind.CHILD_WELFARE, level=AgencyLevel.STATE
    )
    stranger = f.UserFactory(username="caseworker_kay")
    f.MembershipFactory(user=stranger, agency=other, role="caseworker")
    client.force_login(world.users.officer_sjpd)
    response = client.post(_create_url(world.records.child_contact), _handoff_data(world, receiving_worker=stranger.pk))
    assert "This caseworker does not work for the agency chosen." in response.content.decode()


def test_officer_records_the_hand_over_later(world, client):
    handoff = world.records.handoff_kcpd
    client.force_login(world.users.officer_kcpd)
    url = reverse("web:handoff_hand_over", args=[handoff.pk])
    too_early = _local(handoff.taken_at - timedelta(hours=1))
    response = client.post(url, {"at": too_early})
    assert "cannot be before the child was taken into custody" in response.content.decode()
    client.post(url, {"at": _local(timezone.now()), "worker": world.users.caseworker.pk})
    handoff.refresh_from_db()
    assert handoff.handed_over_at is not None and handoff.receiving_worker == world.users.caseworker


def test_caseworker_acknowledges_receipt(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.caseworker)
    page = client.get(reverse("web:handoff_detail", args=[handoff.pk])).content.decode()
    assert "Acknowledge receipt of the child" in page
    response = client.post(
        reverse("web:handoff_acknowledge", args=[handoff.pk]), {"note": "Placed with a foster family."}
    )
    assert response.status_code == 302
    handoff.refresh_from_db()
    assert handoff.acknowledged_by == world.users.caseworker
    event = handoff.events.get(kind="acknowledged")
    assert event.note == "Placed with a foster family." and event.agency == world.agencies.childrens


def test_officer_sees_no_acknowledge_button(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:handoff_detail", args=[handoff.pk])).content.decode()
    assert reverse("web:handoff_acknowledge", args=[handoff.pk]) not in page
    assert client.post(reverse("web:handoff_acknowledge", args=[handoff.pk])).status_code == 403


def test_caseworker_adds_a_custody_event_to_the_chain(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.caseworker)
    url = reverse("web:handoff_event_create", args=[handoff.pk])
    client.post(url, {"kind": "medical", "at": _local(timezone.now()), "note": "Checked at Mosaic Life Care."})
    page = client.get(reverse("web:handoff_detail", args=[handoff.pk])).content.decode()
    assert "Medical check" in page and "Checked at Mosaic Life Care." in page
    # The chain is in time order: taken, handed over, then the new event.
    kinds = [e.kind for e in response_events(client, handoff)]
    assert kinds == ["taken", "handed_over", "medical"]


def response_events(client, handoff):
    return list(client.get(reverse("web:handoff_detail", args=[handoff.pk])).context["events"])


def test_custody_event_before_custody_is_refused(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.caseworker)
    response = client.post(
        reverse("web:handoff_event_create", args=[handoff.pk]),
        {"kind": "note", "at": _local(handoff.taken_at - timedelta(days=1)), "note": "x"},
    )
    assert "A custody event cannot be before custody began." in response.content.decode()
    assert not handoff.events.filter(kind="note").exists()


def test_caseworker_list_shows_awaiting_receipt_first(world, client):
    r = world.records
    received = f.CustodyHandoffFactory(contact=r.child_contact, receiving_agency=world.agencies.childrens)
    received.acknowledge(world.users.caseworker, world.agencies.childrens)
    client.force_login(world.users.caseworker)
    rows = list(client.get(reverse("web:handoff_list")).context["custodyhandoff_list"])
    assert rows[0] == r.handoff_sjpd  # handed over, awaiting receipt
    assert rows[-1] == received
    assert set(rows) == {r.handoff_sjpd, r.handoff_kcpd, received}


def test_advocates_never_see_hand_offs(world, client):
    client.force_login(world.users.advocate_harbor)
    assert list(client.get(reverse("web:handoff_list")).context["custodyhandoff_list"]) == []
    assert client.get(reverse("web:handoff_detail", args=[world.records.handoff_sjpd.pk])).status_code == 404


def _count(client, url, django_assert_max_num_queries, limit=20):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_handoff_list_and_detail_query_counts_do_not_grow(world, client, django_assert_max_num_queries):
    r = world.records
    client.force_login(world.users.caseworker)
    list_url = reverse("web:handoff_list")
    detail_url = reverse("web:handoff_detail", args=[r.handoff_sjpd.pk])
    few_list = _count(client, list_url, django_assert_max_num_queries)
    few_detail = _count(client, detail_url, django_assert_max_num_queries)
    for _ in range(6):
        contact = f.ContactFactory(
            operation=r.op_sjpd,
            agency=world.agencies.sjpd,
            person__estimated_age=5,
            person__created_by_agency=world.agencies.sjpd,
            role="accompanying_child",
        )
        f.CustodyHandoffFactory(
            contact=contact, receiving_agency=world.agencies.childrens, receiving_worker=world.users.caseworker
        )
    for kind in ("transported", "medical", "note", "placed"):
        m.CustodyEvent.objects.create(
            handoff=r.handoff_sjpd, kind=kind, user=world.users.caseworker, agency=world.agencies.childrens
        )
    assert _count(client, list_url, django_assert_max_num_queries) == few_list
    assert _count(client, detail_url, django_assert_max_num_queries) == few_detail
