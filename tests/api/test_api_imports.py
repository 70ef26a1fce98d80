"""Contact imports through the API: upload → every row checked, with its matches → confirm.

The same rules as the pages (tests/test_import_contacts.py): every row checked with the contact
form's rules, matches drawn from the uploader's scope only, one transaction, the same file twice
changes nothing. And undoing a merge, the coordinator's step the pages already had.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import merging
from cases import models as m
from imports.models import ContactImport, ImportStatus
from tests import factories
from tests.imports_help import csv_bytes, row
from tests.test_access_matrix import ALL_PERSONAS

# Who may upload into the St. Joseph operation: its officers and the coordinator.
UPLOADERS = {"coordinator", "supervisor_sjpd", "officer_sjpd", "agent_fbi"}
NO_PERSON_LEVEL = {"analyst", "tf_auditor", "auditor_sjpd", "sysadmin", "nobody"}
SEES_OFFICERS_IMPORT = {"coordinator", "supervisor_sjpd", "officer_sjpd"}


def _upload(client, world, content: bytes, name: str = "night-sheet.csv", operation=None, **headers):
    operation = operation or world.records.op_sjpd
    body = {"file": SimpleUploadedFile(name, content), "operation": operation.pk}
    return client.post(reverse("api:import-list"), body, format="multipart", **headers)


def _confirm(client, capture, job_id: int, answers: dict | None = None, etag: str | None = None):
    url = reverse("api:import-detail", kwargs={"pk": job_id})
    if etag is None:
        etag = client.get(url)["ETag"]
    with capture(execute=True):
        return client.post(
            reverse("api:import-confirm", kwargs={"pk": job_id}),
            {"answers": answers or {}},
            format="json",
            HTTP_IF_MATCH=etag,
        )


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_import_endpoints_for_every_persona(world, api, persona):
    client = api(getattr(world.users, persona))
    made = _upload(client, world, csv_bytes([row("Casey Invented")]))
    if persona in NO_PERSON_LEVEL:
        expected = 403
    elif persona in UPLOADERS:
        expected = 201
    elif persona in {"officer_kcpd", "prosecutor"}:
        expected = 400  # officers, but not in this operation: not one of their choices
    else:
        expected = 403
    assert made.status_code == expected, made.content
    listing = client.get(reverse("api:import-list"))
    assert listing.status_code == (403 if persona in NO_PERSON_LEVEL else 200)
    officers = world.records.import_officer_sjpd
    detail = client.get(reverse("api:import-detail", kwargs={"pk": officers.pk}))
    in_scope = 200 if persona in SEES_OFFICERS_IMPORT else 404
    assert detail.status_code == (403 if persona in NO_PERSON_LEVEL else in_scope)
    confirm = client.post(
        reverse("api:import-confirm", kwargs={"pk": officers.pk}),
        {},
        format="json",
        HTTP_IF_MATCH=detail.get("ETag", '"x"'),
    )
    owner = 202 if persona == "officer_sjpd" else 403
    assert confirm.status_code == (403 if persona in NO_PERSON_LEVEL else owner if in_scope == 200 else 404)
    if listing.status_code == 200:
        expected_ids = set(ContactImport.objects.visible_to(getattr(world.users, persona)).values_list("pk", flat=True))
        assert {r["id"] for r in listing.json()["results"]} == expected_ids


def test_upload_preview_and_confirm(world, api, django_capture_on_commit_callbacks):
    client = api(world.users.officer_sjpd)
    dana = world.records.victim_sjpd.person
    rows = [
        row("Casey Invented"),
        row("Robin Invented", age="two hundred", gender="Femal"),
        row("Dana Invented", age="", gender=""),
    ]
    made = _upload(client, world, csv_bytes(rows))
    assert made.status_code == 201, made.content
    body = made.json()
    assert made["Location"] == reverse("api:import-detail", kwargs={"pk": body["id"]})
    assert body["status"] == "checked" and body["rows_total"] == 3 and body["rows_with_errors"] == 1
    by_row = {r["row"]: r for r in body["rows"]}
    assert by_row[2]["state"] == "ready" and by_row[2]["errors"] == []
    assert by_row[3]["state"] == "error"
    assert {(e["column"], e["message"]) for e in by_row[3]["errors"]} >= {
        ("age", "“two hundred” is not a whole number."),
    }
    assert any(e["column"] == "gender" for e in by_row[3]["errors"])
    assert by_row[3]["values"]["age"] == "two hundred"
    assert by_row[4]["state"] == "answer" and [c["id"] for c in by_row[4]["candidates"]] == [dana.pk]
    # A row with an error: nothing can be confirmed.
    refused = _confirm(client, django_capture_on_commit_callbacks, body["id"], {"4": str(dana.pk)})
    assert refused.status_code == 409 and "3" in refused.json()["rows"]
    # Without If-Match, or with a stale one: 428 and 412.
    url = reverse("api:import-confirm", kwargs={"pk": body["id"]})
    assert client.post(url, {}, format="json").status_code == 428
    assert client.post(url, {}, format="json", HTTP_IF_MATCH='"stale"').status_code == 412

    good = _upload(client, world, csv_bytes([rows[0], rows[2]]), "corrected.csv")
    job_id = good.json()["id"]
    unanswered = _confirm(client, django_capture_on_commit_callbacks, job_id)
    assert unanswered.status_code == 409 and set(unanswered.json()["rows"]) == {"3"}
    done = _confirm(client, django_capture_on_commit_callbacks, job_id, {"3": str(dana.pk)})
    assert done.status_code == 202, done.content
    state = client.get(done["Location"]).json()
    assert state["status"] == ImportStatus.DONE, state["error"]
    assert (state["contacts_created"], state["people_created"], state["people_matched"]) == (2, 1, 1)
    assert dana.contacts.count() == 2
    # The same file again: 409, nothing changes.
    count = m.Contact.objects.count()
    again = _upload(client, world, csv_bytes([rows[0], rows[2]]), "corrected-again.csv")
    assert again.status_code == 409 and "already imported" in again.json()["detail"]
    assert m.Contact.objects.count() == count


def test_a_retried_upload_with_the_same_key_makes_one_import(world, api):
    client = api(world.users.officer_sjpd)
    content = csv_bytes([row("Casey Invented")])
    first = _upload(client, world, content, HTTP_IDEMPOTENCY_KEY="night-sheet-1")
    again = _upload(client, world, content, HTTP_IDEMPOTENCY_KEY="night-sheet-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]


def test_an_oversized_upload_is_413_with_the_reason(world, api, settings):
    settings.IMPORT_MAX_BYTES = 500
    client = api(world.users.officer_sjpd)
    made = _upload(client, world, csv_bytes([row(f"P{n} Invented") for n in range(20)]))
    assert made.status_code == 413
    assert "the largest file that can be imported is 500" in made.json()["detail"]
    settings.IMPORT_MAX_BYTES = 5_000_000
    settings.IMPORT_MAX_ROWS = 3
    made = _upload(client, world, csv_bytes([row(f"P{n} Invented") for n in range(4)]))
    assert made.status_code == 413 and "at most 3 can be imported at once" in made.json()["detail"]


# --- undoing a merge ---------------------------------------------------------------


def test_the_coordinator_undoes_a_merge_through_the_api(world, api):
    survivor = factories.person_met(world, "Oleksandra Quarrington")
    merged = factories.person_met(world, "Aleksandra Quarrington")
    moved_contact = merged.contacts.get()
    merge = merging.merge_people(world.users.supervisor_sjpd, survivor, merged)
    assert m.Contact.objects.get(pk=moved_contact.pk).person_id == survivor.pk
    url = reverse("api:person-undo-merge", kwargs={"pk": survivor.pk})

    supervisor = api(world.users.supervisor_sjpd)
    etag = supervisor.get(reverse("api:person-detail", kwargs={"pk": survivor.pk}))["ETag"]
    assert supervisor.post(url, {"merge": merge.pk}, format="json", HTTP_IF_MATCH=etag).status_code == 403

    coordinator = api(world.users.coordinator)
    assert coordinator.post(url, {"merge": merge.pk}, format="json").status_code == 428
    etag = coordinator.get(reverse("api:person-detail", kwargs={"pk": survivor.pk}))["ETag"]
    undone = coordinator.post(url, {"merge": merge.pk}, format="json", HTTP_IF_MATCH=etag)
    assert undone.status_code == 200, undone.content
    assert undone.json()["undone_at"] is not None
    merged.refresh_from_db()
    assert merged.merged_into_id is None
    assert m.Contact.objects.get(pk=moved_contact.pk).person_id == merged.pk
    # Once only.
    etag = coordinator.get(reverse("api:person-detail", kwargs={"pk": survivor.pk}))["ETag"]
    assert coordinator.post(url, {"merge": merge.pk}, format="json", HTTP_IF_MATCH=etag).status_code == 403
    # A merge into another person is not found under this one.
    other = api(world.users.coordinator).post(
        reverse("api:person-undo-merge", kwargs={"pk": world.records.victim_sjpd.person.pk}),
        {"merge": merge.pk},
        format="json",
        HTTP_IF_MATCH=coordinator.get(reverse("api:person-detail", kwargs={"pk": world.records.victim_sjpd.person.pk}))[
            "ETag"
        ],
    )
    assert other.status_code == 404
