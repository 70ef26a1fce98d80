"""After the operation, through the API: what each role reads of investigations, court dates
and relief, and how the relief workflow answers a step it may not take."""

from __future__ import annotations

import csv
import io

from cases import access
from cases import models as m

from .conftest import if_match

NOTICE = {"id", *access.COURT_EVENT_NOTICE_FIELDS}


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_an_advocate_reads_a_court_date_as_its_notice_only(world, api):
    event = world.records.court_event_sjpd
    event.notes = "Victim to testify; defendant may plead."
    event.save()
    client = api(world.users.advocate_harbor)
    detail = client.get(f"/api/v1/court-events/{event.pk}/").json()
    assert set(detail) == NOTICE
    listed = client.get("/api/v1/court-events/").json()["results"]
    assert [set(row) for row in listed] == [NOTICE]
    # The prosecution team reads it all.
    full = api(world.users.prosecutor).get(f"/api/v1/court-events/{event.pk}/").json()
    assert full["notes"] == "Victim to testify; defendant may plead."
    assert full["prosecution"] == world.records.prosecution_sjpd.pk


def test_an_advocates_court_date_download_has_the_notice_columns_only(world, api):
    client = api(world.users.advocate_harbor)
    raw = list(
        csv.reader(io.StringIO(_content(client.get("/api/v1/court-events/", {"format": "csv", "raw": "1"})).decode()))
    )
    assert set(raw[0]) == NOTICE and len(raw) == 2
    human = _content(client.get("/api/v1/court-events/", {"format": "csv"})).decode("utf-8-sig")
    heading = next(csv.reader(io.StringIO(human)))
    assert "Prosecution" not in heading and "Notes" not in heading and len(heading) == len(NOTICE)


def test_an_advocate_cannot_filter_court_dates_by_what_it_may_not_read(world, api):
    client = api(world.users.advocate_harbor)
    for name, value in (("agency", world.agencies.prosecutor.pk), ("prosecution", world.records.prosecution_sjpd.pk)):
        response = client.get("/api/v1/court-events/", {name: value})
        assert response.status_code == 400 and name in response.json()
    assert client.get("/api/v1/court-events/", {"kind": "hearing", "ordering": "-scheduled_at"}).status_code == 200
    # The prosecution team filters by its prosecution.
    team = api(world.users.prosecutor).get("/api/v1/court-events/", {"agency": world.agencies.prosecutor.pk})
    assert [row["id"] for row in team.json()["results"]] == [world.records.court_event_sjpd.pk]


def test_related_ids_are_shown_only_when_the_reader_may_see_them(world, api):
    r = world.records
    r.investigation_sjpd.operations.add(r.op_kcpd)  # an operation the St. Joseph officer does not see
    officer = api(world.users.officer_sjpd).get(f"/api/v1/investigations/{r.investigation_sjpd.pk}/").json()
    assert officer["operations"] == [r.op_sjpd.pk]
    assert officer["detentions"] == [r.detention_sjpd.pk]
    people = {row["role"]: row["person"] for row in officer["people"]}
    assert people == {"victim": r.victim_sjpd.person.pk, "suspect": r.buyer_contact.person.pk}
    coordinator = api(world.users.coordinator).get(f"/api/v1/investigations/{r.investigation_sjpd.pk}/").json()
    assert sorted(coordinator["operations"]) == sorted([r.op_sjpd.pk, r.op_kcpd.pk])
    # The advocate who asked for relief does not see the investigation it was asked in.
    relief = api(world.users.advocate_harbor).get(f"/api/v1/relief-requests/{r.relief_sjpd.pk}/").json()
    assert relief["investigation"] is None and relief["person"] == r.victim_sjpd.person.pk
    assert (
        api(world.users.officer_sjpd).get(f"/api/v1/relief-requests/{r.relief_sjpd.pk}/").json()["investigation"]
        == r.investigation_sjpd.pk
    )


def test_a_prosecution_lists_its_counts(world, api):
    r = world.records
    body = api(world.users.prosecutor).get(f"/api/v1/prosecutions/{r.prosecution_sjpd.pk}/").json()
    assert body["reference"] == r.prosecution_sjpd.reference
    assert [(c["id"], c["number"], c["disposition"]) for c in body["counts"]] == [(r.count_sjpd.pk, 1, "pending")]
    assert body["court_events"] == [r.court_event_sjpd.pk]


def test_a_refused_relief_step_says_who_may_take_it(world, api):
    relief = world.records.relief_sjpd
    client = api(world.users.advocate_harbor)
    url = f"/api/v1/relief-requests/{relief.pk}/"
    response = client.post(url + "grant/", {}, format="json", **if_match(client, url))
    assert response.status_code == 403
    assert response.json()["detail"] == access.refusal("relief.grant", relief)
    # A step the state does not allow is a 400 naming the state, for everyone alike.
    again = client.post(url + "expire/", {}, format="json", **if_match(client, url))
    assert again.status_code == 400
    assert again.json()["status"] == ["A relief request that is under review cannot be marked expired."]


def test_the_relief_workflow_through_the_api(world, api):
    relief = world.records.relief_sjpd
    url = f"/api/v1/relief-requests/{relief.pk}/"
    officer, advocate = api(world.users.officer_sjpd), api(world.users.advocate_harbor)
    granted = officer.post(url + "grant/", {"note": "Signed."}, format="json", **if_match(officer, url))
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    renewed = advocate.post(url + "renew/", {}, format="json", **if_match(advocate, url))
    assert renewed.status_code == 200
    assert [e["action"] for e in renewed.json()["events"]] == ["review", "grant", "renew"]
    renewal = m.ReliefRequest.objects.get(renewal_of=relief)
    assert advocate.get(f"/api/v1/relief-requests/{renewal.pk}/").json()["renewal_of"] == relief.pk


def test_a_retried_relief_step_is_done_once(world, api):
    relief = world.records.relief_sjpd
    url = f"/api/v1/relief-requests/{relief.pk}/"
    officer = api(world.users.officer_sjpd)
    headers = {**if_match(officer, url), "HTTP_IDEMPOTENCY_KEY": "decline-relief-1"}
    first = officer.post(url + "decline/", {"reason": "Not yet cooperating."}, format="json", **headers)
    again = officer.post(url + "decline/", {"reason": "Not yet cooperating."}, format="json", **headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert m.ReliefEvent.objects.filter(request=relief, action="decline").count() == 1


def test_closing_and_reopening_an_investigation(world, api):
    investigation = world.records.investigation_sjpd
    url = f"/api/v1/investigations/{investigation.pk}/"
    officer = api(world.users.officer_sjpd)
    closed = officer.post(
        url + "close/",
        {"closing_reason": "other", "closing_note": "Victim moved abroad."},
        format="json",
        **if_match(officer, url),
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closing_reason"]) == ("closed", "other")
    edit = officer.patch(url, {"title": "Renamed"}, format="json", **if_match(officer, url))
    assert edit.status_code == 403 and "closed" in edit.json()["detail"]
    reopened = officer.post(url + "reopen/", {}, format="json", **if_match(officer, url))
    assert reopened.status_code == 200
    # Still referred to the Buchanan County prosecutor: it reopens as referred, as on the page.
    assert (reopened.json()["status"], reopened.json()["closed_on"]) == ("referred", None)


def test_referring_an_investigation_to_a_prosecutor_lets_it_file_charges(world, api):
    r, a = world.records, world.agencies
    m.Investigation.objects.filter(pk=r.investigation_kcpd.pk).update(status="open")
    url = f"/api/v1/investigations/{r.investigation_kcpd.pk}/"
    officer = api(world.users.officer_kcpd)
    body = {"agency": a.prosecutor.pk, "role": "prosecution"}
    assert officer.post(url + "agencies/", body, format="json", **if_match(officer, url)).json()["status"] == "referred"
    prosecutor = api(world.users.prosecutor)
    assert prosecutor.get(url).status_code == 200
    filed = prosecutor.post(
        "/api/v1/prosecutions/",
        {
            "investigation": r.investigation_kcpd.pk,
            "court_jurisdiction": "state",
            "court": "Buchanan County Circuit Court",
            "defendant": r.buyer_kcpd.person.pk,
            "filed_on": str(r.investigation_kcpd.opened_on),
        },
        format="json",
    )
    assert filed.status_code == 201, filed.content
    assert filed.json()["prosecuting_agency"] == a.prosecutor.pk


def test_an_update_keeps_the_operations_the_writer_does_not_see(world, api):
    r = world.records
    r.investigation_sjpd.operations.add(r.op_kcpd)
    url = f"/api/v1/investigations/{r.investigation_sjpd.pk}/"
    officer = api(world.users.officer_sjpd)
    response = officer.patch(url, {"operations": [r.op_sjpd.pk]}, format="json", **if_match(officer, url))
    assert response.status_code == 200 and response.json()["operations"] == [r.op_sjpd.pk]
    assert set(r.investigation_sjpd.operations.values_list("pk", flat=True)) == {r.op_sjpd.pk, r.op_kcpd.pk}
