"""How the API behaves beyond who sees what: disclosure, input checks, pages, ETags, tokens.

Making, listing and revoking tokens is in test_api_tokens.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from apitokens.models import ApiToken
from cases import models as m

from .conftest import ids, if_match

# --- disclosure ---------------------------------------------------------------------


def test_advocate_gets_the_minimum_about_a_referred_person(world, api):
    person = world.records.victim_sjpd.person
    data = api(world.users.advocate_harbor).get(f"/api/v1/people/{person.pk}/").json()
    assert set(data) == {
        "id",
        "reference",
        "legal_name",
        "age_group",
        "is_minor",
        "languages",
        "interpreter_needed",
        "phone",
        "email",
        "safe_contact_notes",
    }
    full = api(world.users.officer_sjpd).get(f"/api/v1/people/{person.pk}/").json()
    assert {"date_of_birth", "aliases", "citizenship", "vulnerabilities", "gender"} <= set(full)


def test_advocate_sees_only_the_briefing_of_an_operation(world, api):
    op = world.records.op_sjpd
    data = api(world.users.advocate_harbor).get(f"/api/v1/operations/{op.pk}/").json()
    assert "summary" not in data and "locations" not in data
    assert data["code"] == op.code and "briefing_notes" in data
    officer = api(world.users.officer_sjpd).get(f"/api/v1/operations/{op.pk}/").json()
    assert [loc["id"] for loc in officer["locations"]] == [world.records.location_sjpd.pk]


def test_advocate_cannot_filter_people_by_what_it_may_not_read(world, api):
    client = api(world.users.advocate_harbor)
    assert client.get("/api/v1/people/", {"age": 30}).status_code == 400
    assert client.get("/api/v1/people/", {"ordering": "created_at"}).status_code == 400
    assert ids(client.get("/api/v1/people/", {"age_group": "adult"})) == {world.records.victim_sjpd.person.pk}


def test_related_ids_outside_scope_are_shown_as_null(world, api):
    # The advocate sees the referral but not the contact it came out of.
    data = api(world.users.advocate_harbor).get(f"/api/v1/referrals/{world.records.referral_sjpd.pk}/").json()
    assert data["contact"] is None
    assert data["person"] == world.records.victim_sjpd.person.pk
    listed = api(world.users.advocate_harbor).get("/api/v1/referrals/").json()["results"]
    assert [row["contact"] for row in listed] == [None]


# --- ids in request bodies ------------------------------------------------------------


def test_an_invisible_id_in_a_body_reads_exactly_like_a_missing_one(world, api):
    client = api(world.users.officer_kcpd)
    hidden = world.records.victim_sjpd.person.pk
    missing = 987654
    body = {"operation": world.records.op_kcpd.pk, "role": "witness", "outcome": "no_action"}
    one = client.post("/api/v1/contacts/", {**body, "person": hidden}, format="json")
    two = client.post("/api/v1/contacts/", {**body, "person": missing}, format="json")
    assert one.status_code == two.status_code == 400
    assert one.json()["person"] == [f"No record with id {hidden} exists."]
    assert two.json()["person"] == [f"No record with id {missing} exists."]
    assert not m.Contact.objects.filter(role="witness").exists()


# --- bad input is a 400, never a 500 --------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ('{"name": "x",', "detail"),  # malformed JSON
        ('["a list"]', "non_field_errors"),
        ('{"name": 12, "kind": "sting", "starts_at": "not a date"}', "starts_at"),
        ('{"name": "x", "kind": "raid-ish", "starts_at": "2026-01-01T10:00:00Z"}', "kind"),
        ('{"name": "x", "kind": "sting", "starts_at": "2026-01-01T10:00:00Z", "colour": "red"}', "colour"),
        ('{"name": "x", "kind": "sting", "starts_at": "2026-01-01T10:00:00Z", "lead_agency": "two"}', "lead_agency"),
        (
            '{"name": "x", "kind": "sting", "starts_at": "2026-01-01T10:00:00Z", "expected_victims": 99999999999999999999999}',
            "expected_victims",
        ),
    ],
)
def test_bad_input_answers_400_with_a_message_per_field(world, api, body, field):
    response = api(world.users.coordinator).generic(
        "POST", "/api/v1/operations/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert m.Operation.objects.count() == 2


@pytest.mark.parametrize(
    "query, field",
    [
        ({"page_size": 1001}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": "lots"}, "page_size"),
        ({"starts_after": "2026-13-45"}, "starts_after"),
        ({"status": "paused"}, "status"),
        ({"agency": "x"}, "agency"),
    ],
)
def test_bad_query_answers_400(world, api, query, field):
    response = api(world.users.coordinator).get("/api/v1/operations/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_wrong_type_of_content_is_refused(world, api):
    response = api(world.users.coordinator).generic(
        "POST", "/api/v1/people/", "legal_name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


# --- optimistic concurrency ---------------------------------------------------------------


def test_stale_if_match_answers_412_and_changes_nothing(world, api):
    client = api(world.users.officer_sjpd)
    url = f"/api/v1/operations/{world.records.op_sjpd.pk}/"
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"name": "First edit"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = client.patch(url, {"name": "Second edit"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    world.records.op_sjpd.refresh_from_db()
    assert world.records.op_sjpd.name == "First edit"
    # Actions honour If-Match too.
    assert client.post(url + "move/", {"status": "concluded"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    world.records.op_sjpd.refresh_from_db()
    assert world.records.op_sjpd.status == "active"
    # The current ETag is accepted.
    assert client.patch(url, {"name": "Third"}, format="json", HTTP_IF_MATCH=changed["ETag"]).status_code == 200


def test_participants_and_locations_change_through_the_domain_actions(world, api):
    op, kcpd = world.records.op_sjpd, world.agencies.kcpd
    client = api(world.users.officer_sjpd)
    url = f"/api/v1/operations/{op.pk}/"
    etag = client.get(url)["ETag"]
    added = client.post(
        url + "participants/",
        {"agency": kcpd.pk, "role": "support", "staff_count": 4},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert added.status_code == 201
    row = next(p for p in added.json()["participations"] if p["agency"] == kcpd.pk)
    assert row == {"id": row["id"], "agency": kcpd.pk, "role": "support", "staff_count": 4}
    # The operation changed, so the old ETag is stale for the next change.
    stale = client.post(url + f"participants/{row['id']}/remove/", format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and op.participations.filter(agency=kcpd).exists()
    # Taking part twice is refused with a message, and an agency id the user cannot see is "not found".
    twice = client.post(url + "participants/", {"agency": kcpd.pk}, format="json", **if_match(client, url))
    assert twice.status_code == 400 and "already" in str(twice.json())
    unknown = client.post(url + "participants/", {"agency": 999999}, format="json", **if_match(client, url))
    assert unknown.status_code == 400 and unknown.json()["agency"] == ["No record with id 999999 exists."]
    removed = client.post(url + f"participants/{row['id']}/remove/", format="json", HTTP_IF_MATCH=added["ETag"])
    assert removed.status_code == 200 and kcpd.pk not in {p["agency"] for p in removed.json()["participations"]}

    place = client.post(
        url + "locations/",
        {"venue_name": "Northbelt Motel", "venue_type": "hotel", "latitude": "39.8"},
        format="json",
        HTTP_IF_MATCH=removed["ETag"],
    )
    assert place.status_code == 201
    location = op.locations.get(venue_name="Northbelt Motel")
    assert location.created_by == world.users.officer_sjpd and str(location.latitude) == "39.800000"
    gone = client.post(
        url + f"locations/{location.pk}/remove/", {"reason": "Closed down."}, format="json", HTTP_IF_MATCH=place["ETag"]
    )
    assert gone.status_code == 200
    # Voided, not deleted: contacts may name the place, and the operation shows it as removed.
    shown = next(loc for loc in gone.json()["locations"] if loc["id"] == location.pk)
    assert shown["voided_at"] and shown["void_reason"] == "Closed down."
    location.refresh_from_db()
    assert location.voided_at and location.void_reason == "Closed down."


def test_void_keeps_the_record(world, api):
    offer = world.records.offer_sjpd
    client = api(world.users.supervisor_sjpd)
    url = f"/api/v1/service-offers/{offer.pk}/"
    response = client.post(url + "void/", {"reason": "Twice."}, format="json", **if_match(client, url))
    assert response.status_code == 200
    assert response.json()["voided_at"] and response.json()["void_reason"] == "Twice."
    assert client.post(url + "void/", {}, format="json", HTTP_IF_MATCH=response["ETag"]).status_code == 403


# --- referral and custody workflows call the domain actions --------------------------------


def test_referral_workflow_through_the_api(world, api):
    referral = world.records.referral_sjpd
    advocate = api(world.users.advocate_harbor)
    base = f"/api/v1/referrals/{referral.pk}/"
    etag = if_match(advocate, base)["HTTP_IF_MATCH"]
    for step, body in [
        ("acknowledge/", {}),
        ("accept/", {"note": "Bed tonight."}),
        ("start-service/", {}),
        ("close/", {"closure": "completed"}),
    ]:
        done = advocate.post(base + step, body, format="json", HTTP_IF_MATCH=etag)
        assert done.status_code == 200, step
        etag = done["ETag"]
    assert [e["to_status"] for e in done.json()["events"]] == [
        "sent",
        "acknowledged",
        "accepted",
        "in_service",
        "closed",
    ]
    assert (
        advocate.post(base + "close/", {"closure": "completed"}, format="json", HTTP_IF_MATCH=etag).status_code == 400
    )


def test_custody_hand_over_and_receipt(world, api):
    handoff = world.records.handoff_kcpd
    url = f"/api/v1/custody-handoffs/{handoff.pk}/"
    officer, caseworker = api(world.users.officer_kcpd), api(world.users.caseworker)
    assert officer.post(url + "hand-over/", {}, format="json", **if_match(officer, url)).status_code == 200
    received = caseworker.post(url + "acknowledge/", {}, format="json", **if_match(caseworker, url))
    assert received.status_code == 200
    assert received.json()["status_label"] == "Received by child welfare"
    assert [e["kind"] for e in received.json()["events"]] == ["taken", "handed_over", "acknowledged"]


def test_custody_refuses_an_adult(world, api):
    response = api(world.users.officer_sjpd).post(
        "/api/v1/custody-handoffs/",
        {
            "contact": world.records.victim_sjpd.pk,
            "taken_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "reason": "x",
            "receiving_agency": world.agencies.childrens.pk,
        },
        format="json",
    )
    assert response.status_code == 403  # the policy only allows custody of minors


# --- tokens -------------------------------------------------------------------------------


def _token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize("loss", ["disabled", "membership_ended"])
def test_a_token_stops_working_when_access_is_lost(world, loss):
    user = world.users.officer_sjpd
    _, key = ApiToken.objects.create(user=user, name="Nightly export")
    assert _token_client(key).get("/api/v1/operations/").status_code == 200
    if loss == "disabled":
        user.is_active = False
        user.save()
    else:
        membership = user.memberships.get()
        membership.start_date = timezone.localdate() - timedelta(days=10)
        membership.end_date = timezone.localdate() - timedelta(days=1)
        membership.save()
    assert _token_client(key).get("/api/v1/operations/").status_code in (401, 403)
    assert _token_client(key).get("/api/v1/agencies/").status_code in (401, 403)


def test_requests_are_throttled_per_user(world, api):
    rates = {"DEFAULT_THROTTLE_RATES": {"user": "3/min", "anon": "3/min"}}
    from django.conf import settings

    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **rates}):
        client = api(world.users.officer_sjpd)
        codes = [client.get("/api/v1/agencies/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        # Another user has their own allowance.
        assert api(world.users.officer_kcpd).get("/api/v1/agencies/").status_code == 200
