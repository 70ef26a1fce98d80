"""Referral pages: the consent step, the inbox and every workflow step in the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from cases import models as m
from tests import factories as f

pytestmark = pytest.mark.django_db


def _create_url(world, **query):
    key, value = next(iter(query.items()))
    return f"{reverse('web:referral_create')}?{key}={value}"


def _referral_data(world, **extra):
    data = {
        "to_agency": world.agencies.harbor.pk,
        "service_types": [world.records.shelter.pk],
        "reason": "Needs a safe place to stay tonight.",
        "consent": "verbal",
        "consent_date": timezone.localdate().isoformat(),
    }
    data.update(extra)
    return data


def test_officer_refers_with_consent_and_sends(world, client):
    client.force_login(world.users.officer_sjpd)
    contact = world.records.victim_sjpd
    response = client.post(_create_url(world, contact=contact.pk), {**_referral_data(world), "send": "1"}, follow=True)
    referral = m.Referral.objects.latest("pk")
    assert referral.status == m.ReferralStatus.SENT
    assert referral.contact == contact and referral.person == contact.person
    assert referral.from_agency == world.agencies.sjpd
    assert referral.events.get().user == world.users.officer_sjpd
    page = response.content.decode()
    assert f"Referral {referral.reference} was sent to Safe Harbor Advocates." in page
    assert response.redirect_chain[-1][0] == reverse("web:referral_detail", args=[referral.pk])


def test_saving_a_draft_does_not_send(world, client):
    client.force_login(world.users.officer_sjpd)
    client.post(_create_url(world, contact=world.records.victim_sjpd.pk), {**_referral_data(world), "draft": "1"})
    referral = m.Referral.objects.latest("pk")
    assert referral.status == m.ReferralStatus.DRAFT
    assert not referral.events.exists()


def test_declined_consent_without_override_is_refused_and_nothing_typed_is_lost(world, client):
    client.force_login(world.users.officer_sjpd)
    before = m.Referral.objects.count()
    data = _referral_data(world, consent="declined", consent_date="", reason="Wants to think about it overnight.")
    response = client.post(_create_url(world, contact=world.records.victim_sjpd.pk), {**data, "send": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The person has not consented" in page
    assert "Wants to think about it overnight." in page  # still in the textarea
    assert m.Referral.objects.count() == before  # the draft was rolled back with the failed send
    # An officer without the permission is not even offered the override.
    assert "override_reason" not in page


def test_written_consent_needs_its_date_inline(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        _create_url(world, contact=world.records.victim_sjpd.pk),
        {**_referral_data(world, consent="written", consent_date=""), "send": "1"},
    )
    page = response.content.decode()
    assert 'id="id_consent_date-error"' in page
    assert "Give the date the person consented." in page
    assert "There is a problem" in page


def test_supervisor_overrides_consent_with_a_reason(world, client):
    client.force_login(world.users.supervisor_sjpd)
    data = _referral_data(
        world,
        consent="declined",
        consent_date="",
        override_reason="Imminent danger; the person cannot be asked again tonight.",
    )
    client.post(_create_url(world, contact=world.records.victim_sjpd.pk), {**data, "send": "1"})
    referral = m.Referral.objects.latest("pk")
    assert referral.status == m.ReferralStatus.SENT
    assert referral.consent_override_by == world.users.supervisor_sjpd
    assert "Imminent danger" in referral.consent_override_reason


def test_officer_cannot_smuggle_an_override(world, client):
    client.force_login(world.users.officer_sjpd)
    data = _referral_data(world, consent="declined", consent_date="", override_reason="I say so.")
    client.post(_create_url(world, contact=world.records.victim_sjpd.pk), {**data, "send": "1"})
    assert not m.Referral.objects.filter(consent_override_reason__icontains="I say so").exists()


def test_refer_to_dropdown_lists_partners_not_own_agency_or_police(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.get(_create_url(world, contact=world.records.victim_sjpd.pk))
    choices = {a.pk for a in response.context["form"].fields["to_agency"].queryset}
    assert world.agencies.harbor.pk in choices and world.agencies.northland.pk in choices
    assert world.agencies.sjpd.pk not in choices and world.agencies.kcpd.pk not in choices


def test_officer_cannot_refer_from_another_agencys_contact(world, client):
    client.force_login(world.users.officer_kcpd)
    response = client.post(_create_url(world, contact=world.records.victim_sjpd.pk), _referral_data(world))
    assert response.status_code == 404


def test_inbox_lists_overdue_first_and_only_referrals_to_my_agency(world, client):
    r = world.records
    overdue = f.ReferralFactory(
        contact=r.victim_sjpd, to_agency=world.agencies.harbor, acknowledge_due_at=timezone.now() - timedelta(hours=2)
    )
    client.force_login(world.users.advocate_harbor)
    response = client.get(reverse("web:referral_inbox"))
    rows = list(response.context["referral_list"])
    assert rows[0] == overdue
    assert set(rows) == {overdue, r.referral_sjpd}
    assert "Overdue" in response.content.decode()


def test_inbox_filters_by_the_sender_typed_as_an_abbreviation(world, client):
    r = world.records
    other = f.ReferralFactory(contact=r.victim_kcpd, from_agency=world.agencies.kcpd, to_agency=world.agencies.harbor)
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:referral_inbox")
    assert set(client.get(url).context["referral_list"]) == {r.referral_sjpd, other}
    assert list(client.get(url, {"from_agency": "sjpd"}).context["referral_list"]) == [r.referral_sjpd]
    html = client.get(url).content.decode()
    # The box's suggestions come from the agency directory when it is first focused.
    assert '<datalist id="id_from_agency-agencies"></datalist>' in html and '<select name="from_agency"' not in html
    assert f'hx-get="{reverse("web:agency_suggestions")}"' in html and 'hx-target="#id_from_agency-agencies"' in html
    # Opened by a link with the agency's id, the box shows the abbreviation a person would type.
    by_id = client.get(url, {"from_agency": world.agencies.sjpd.pk}).content.decode()
    assert f'value="{world.agencies.sjpd.short_name}"' in by_id
    wrong = client.get(url, {"from_agency": "Nobody Agency"})
    assert wrong.status_code == 200 and "No agency you can choose has this name" in wrong.content.decode()


def test_inbox_filters_by_status(world, client):
    r = world.records
    accepted = f.ReferralFactory(contact=r.victim_sjpd, to_agency=world.agencies.harbor, status="accepted")
    client.force_login(world.users.advocate_harbor)
    response = client.get(reverse("web:referral_inbox"), {"status": "accepted"})
    assert list(response.context["referral_list"]) == [accepted]


def test_advocate_acknowledges_and_accepts_from_the_inbox(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.advocate_harbor)
    inbox = reverse("web:referral_inbox")
    page = client.get(inbox).content.decode()
    assert reverse("web:referral_step", args=[referral.pk, "acknowledge"]) in page
    response = client.post(reverse("web:referral_step", args=[referral.pk, "acknowledge"]), {"next": inbox})
    assert response.status_code == 302 and response["Location"] == inbox
    response = client.post(reverse("web:referral_step", args=[referral.pk, "accept"]), {"next": inbox})
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.ACCEPTED
    actors = list(referral.events.values_list("to_status", "user__username", "agency__short_name"))
    assert actors[-2:] == [("acknowledged", "advocate_hana", "HARBOR"), ("accepted", "advocate_hana", "HARBOR")]


def test_sender_sees_no_receiver_buttons_and_is_refused_the_step(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert reverse("web:referral_step", args=[referral.pk, "acknowledge"]) not in page
    assert reverse("web:referral_step", args=[referral.pk, "revoke"]) in page
    response = client.post(reverse("web:referral_step", args=[referral.pk, "acknowledge"]))
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.SENT


def test_decline_needs_a_reason(world, client):
    referral = f.ReferralFactory(
        contact=world.records.victim_sjpd, to_agency=world.agencies.harbor, status=m.ReferralStatus.ACKNOWLEDGED
    )
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:referral_step", args=[referral.pk, "decline"])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "Reason for declining is required." in response.content.decode()
    client.post(url, {"reason": "No bed available this week."})
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.DECLINED and referral.decline_reason == "No bed available this week."


def test_close_needs_an_outcome(world, client):
    referral = f.ReferralFactory(
        contact=world.records.victim_sjpd, to_agency=world.agencies.harbor, status=m.ReferralStatus.IN_SERVICE
    )
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:referral_step", args=[referral.pk, "close"])
    response = client.post(url, {})
    assert "Choose how the referral ended." in response.content.decode()
    client.post(url, {"closure": "completed"})
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.CLOSED and referral.closure == "completed"


def test_sender_revokes_after_confirmation_with_a_reason(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:referral_step", args=[referral.pk, "revoke"])
    page = client.get(url).content.decode()
    assert "Revoke referral" in page and "cannot be undone" in page
    client.post(url, {"reason": ""})
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.SENT
    client.post(url, {"reason": "Sent to the wrong partner."})
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.REVOKED


def test_timeline_shows_who_and_when(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.advocate_harbor)
    client.post(reverse("web:referral_step", args=[referral.pk, "acknowledge"]), {"note": "Called the client."})
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert "Acknowledged" in page and "Called the client." in page and "HARBOR" in page
    assert world.users.advocate_harbor.get_full_name() in page  # who acknowledged


def test_draft_is_edited_then_sent_from_its_page(world, client):
    draft = world.records.draft_sjpd
    client.force_login(world.users.officer_sjpd)
    client.post(
        reverse("web:referral_edit", args=[draft.pk]),
        {**_referral_data(world, reason="Updated: needs food too."), "draft": "1"},
    )
    draft.refresh_from_db()
    assert draft.reason == "Updated: needs food too." and draft.status == m.ReferralStatus.DRAFT
    client.post(reverse("web:referral_step", args=[draft.pk, "send"]))
    draft.refresh_from_db()
    assert draft.status == m.ReferralStatus.SENT


def test_receiving_advocate_records_an_offer_and_its_delivery(world, client):
    referral = f.ReferralFactory(
        contact=world.records.victim_sjpd, to_agency=world.agencies.harbor, status=m.ReferralStatus.ACCEPTED
    )
    client.force_login(world.users.advocate_harbor)
    response = client.post(
        reverse("web:referral_offer_create", args=[referral.pk]),
        {
            "service_type": world.records.food.pk,
            "response": "accepted",
            "offered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "notes": "",
        },
    )
    assert response.status_code == 302
    offer = m.ServiceOffer.objects.get(referral=referral)
    assert offer.offered_by == world.agencies.harbor and offer.person == referral.person
    delivered = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("web:offer_update", args=[offer.pk]), {"response": "accepted", "delivered_at": delivered})
    offer.refresh_from_db()
    assert offer.delivered_at is not None


def test_delivery_of_a_declined_offer_is_refused_inline(world, client):
    offer = world.records.offer_sjpd
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse("web:offer_update", args=[offer.pk]),
        {"response": "declined", "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert "Only an accepted service can be delivered." in response.content.decode()


def test_referral_list_shows_only_my_agencys_referrals(world, client):
    client.force_login(world.users.officer_sjpd)
    rows = set(client.get(reverse("web:referral_list")).context["referral_list"])
    assert rows == {world.records.referral_sjpd, world.records.draft_sjpd}


def test_referral_list_filter_by_reference(world, client):
    client.force_login(world.users.officer_sjpd)
    ref = world.records.referral_sjpd
    rows = list(client.get(reverse("web:referral_list"), {"q": ref.reference}).context["referral_list"])
    assert rows == [ref]


def _more_referrals(world, n):
    for _ in range(n):
        contact = f.ContactFactory(
            operation=world.records.op_sjpd, agency=world.agencies.sjpd, person__created_by_agency=world.agencies.sjpd
        )
        f.ReferralFactory(
            contact=contact, to_agency=world.agencies.harbor, service_types=[world.records.shelter, world.records.food]
        )


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "persona,url_name", [("advocate_harbor", "web:referral_inbox"), ("officer_sjpd", "web:referral_list")]
)
def test_referral_lists_do_not_grow_queries_with_rows(world, client, django_assert_max_num_queries, persona, url_name):
    client.force_login(getattr(world.users, persona))
    url = reverse(url_name)
    few = _count_queries(client, url, django_assert_max_num_queries, 20)
    _more_referrals(world, 8)
    many = _count_queries(client, url, django_assert_max_num_queries, 20)
    assert many == few


def test_referral_detail_queries_do_not_grow_with_events_and_offers(world, client, django_assert_max_num_queries):
    referral = world.records.referral_sjpd
    client.force_login(world.users.advocate_harbor)
    url = reverse("web:referral_detail", args=[referral.pk])
    few = _count_queries(client, url, django_assert_max_num_queries, 30)
    for step in ("acknowledge", "accept", "start_service"):
        client.post(reverse("web:referral_step", args=[referral.pk, step]))
    for service in (world.records.food, world.records.shelter, world.records.food):
        m.ServiceOffer.objects.create(
            referral=referral,
            person=referral.person,
            service_type=service,
            offered_by=world.agencies.harbor,
            response="accepted",
        )
    many = _count_queries(client, url, django_assert_max_num_queries, 30)
    assert many <= few + 1  # an offer section appears; per-row work does not


def test_other_advocate_cannot_reach_the_referral(world, client):
    client.force_login(world.users.advocate_northland)
    ref = world.records.referral_sjpd
    assert client.get(reverse("web:referral_detail", args=[ref.pk])).status_code == 404
    assert client.post(reverse("web:referral_step", args=[ref.pk, "acknowledge"])).status_code == 404


def test_an_override_is_not_stored_on_a_draft(world, client):
    # Otherwise whoever sends the draft later could skip consent on someone else's override.
    client.force_login(world.users.supervisor_sjpd)
    data = _referral_data(world, consent="declined", consent_date="", override_reason="Decide later.")
    response = client.post(
        _create_url(world, contact=world.records.victim_sjpd.pk), {**data, "draft": "1"}, follow=True
    )
    referral = m.Referral.objects.latest("pk")
    assert referral.status == m.ReferralStatus.DRAFT and referral.consent_override_reason == ""
    assert "The override reason was not kept" in response.content.decode()
    client.force_login(world.users.officer_sjpd)
    client.post(reverse("web:referral_step", args=[referral.pk, "send"]))
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.DRAFT


def test_referral_page_shows_who_viewed_or_changed_it_to_the_coordinator_only(world, client):
    url = reverse("web:referral_detail", args=[world.records.referral_sjpd.pk])
    client.force_login(world.users.coordinator)
    assert "Who viewed or changed this" in client.get(url).content.decode()
    client.force_login(world.users.advocate_harbor)
    assert "Who viewed or changed this" not in client.get(url).content.decode()


def test_agency_suggestions_list_every_active_agency_and_may_be_kept_a_while(world, client):
    from agencies.models import Agency

    client.force_login(world.users.advocate_harbor)
    response = client.get(reverse("web:agency_suggestions"))
    html = response.content.decode()
    active = Agency.objects.filter(active=True)
    assert html.count("<option ") == active.count() > 5
    assert f'<option value="{world.agencies.sjpd.short_name}">{world.agencies.sjpd.name}</option>' in html
    assert "private" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    world.agencies.kcpd.active = False
    world.agencies.kcpd.save()
    assert (
        f'value="{world.agencies.kcpd.short_name}"'
        not in client.get(reverse("web:agency_suggestions")).content.decode()
    )


def test_task_force_supervisor_lists_every_agencys_referrals_and_the_page_says_so(world, client):
    # The page used to test the membership's role ("coordinator") while the list tested the
    # policy's view (a task-force supervisor sees as the coordinator): the heading named the
    # task force and the downloads were narrowed to its own referrals. Both ask the policy now.
    supervisor = f.UserFactory(username="supervisor_tess")
    f.MembershipFactory(user=supervisor, agency=world.agencies.task_force, role=Role.SUPERVISOR)
    client.force_login(supervisor)
    response = client.get(reverse("web:referral_list"))
    page = response.content.decode()
    assert world.records.referral_sjpd in set(response.context["referral_list"])
    assert f"Referrals sent by {world.agencies.task_force.short_name}" not in page
    assert "from_agency=" not in page


def test_officer_lists_its_agencys_referrals_and_the_page_names_it(world, client):
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:referral_list")).content.decode()
    assert f"Referrals sent by {world.agencies.sjpd.short_name}" in page
    assert f"from_agency={world.agencies.sjpd.pk}" in page


def test_refused_step_names_the_referral_its_status_and_who_may_take_it(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.officer_sjpd)
    response = client.post(reverse("web:referral_step", args=[referral.pk, "acknowledge"]))
    assert response.status_code == 403
    page = response.content.decode()
    assert f"Referral {referral.reference} is sent." in page
    assert "Only the receiving agency&#x27;s advocates acknowledge" in page
