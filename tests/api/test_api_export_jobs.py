"""Export jobs through the API: 202 + Location, status, the file; each the caller's alone.

Lists longer than EXPORT_DIRECT_MAX_ROWS no longer download straight from ?format=: they
are refused before the first byte and pointed to POST /api/v1/exports/.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import models as m
from exports.models import ExportJob
from tests.exports_help import csv_rows, file_content
from tests.test_access_matrix import ALL_PERSONAS

NO_LISTS = {"analyst", "tf_auditor", "auditor_sjpd", "sysadmin", "nobody"}


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"


def _ask(client, capture, body, **headers):
    with capture(execute=True):
        return client.post(reverse("api:export-list"), body, format="json", **headers)


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_export_job_endpoints_for_every_persona(world, api, django_capture_on_commit_callbacks, persona):
    user = getattr(world.users, persona)
    client = api(user)
    made = _ask(client, django_capture_on_commit_callbacks, {"list": "person-list", "format": "csv"})
    assert made.status_code == (403 if persona in NO_LISTS else 202), made.content
    listing = client.get(reverse("api:export-list"))
    assert listing.status_code == (403 if persona == "nobody" else 200)
    officers = world.records.export_officer_sjpd
    for route in ("api:export-detail", "api:export-file"):
        status = client.get(reverse(route, kwargs={"pk": officers.pk})).status_code
        own = 200 if route == "api:export-detail" else 409  # the world's job has not run
        assert status == (own if persona == "officer_sjpd" else 403 if persona == "nobody" else 404), route
    if made.status_code != 202:
        return
    job = ExportJob.objects.get(pk=made.json()["id"])
    assert made["Location"] == reverse("api:export-detail", kwargs={"pk": job.pk})
    state = client.get(made["Location"]).json()
    assert state["status"] == "done" and state["rows_written"] == state["rows_total"]
    assert {row["id"] for row in listing.json()["results"]} <= {
        job.pk,
        officers.pk,
        world.records.export_advocate_harbor.pk,
    }
    rows = csv_rows(file_content(client.get(state["file"])))
    assert {int(row["ID"]) for row in rows} == set(m.Person.objects.visible_to(user).values_list("pk", flat=True))


def test_anonymous_export_requests_are_refused(world, api):
    assert api().get(reverse("api:export-list")).status_code in (401, 403)
    assert api().post(reverse("api:export-list"), {"list": "person-list", "format": "csv"}).status_code in (401, 403)


def test_a_repeated_post_with_the_same_key_makes_one_job(world, api, django_capture_on_commit_callbacks):
    client = api(world.users.coordinator)
    body = {"list": "contact-list", "format": "xlsx", "filter": f"operation={world.records.op_sjpd.pk}"}
    first = _ask(client, django_capture_on_commit_callbacks, body, HTTP_IDEMPOTENCY_KEY="grant-export-1")
    again = _ask(client, django_capture_on_commit_callbacks, body, HTTP_IDEMPOTENCY_KEY="grant-export-1")
    assert first.status_code == again.status_code == 202
    assert again["Idempotent-Replayed"] == "true" and again["Location"] == first["Location"]
    assert ExportJob.objects.filter(requested_by=world.users.coordinator).count() == 1
    other = _ask(
        client, django_capture_on_commit_callbacks, {**body, "format": "csv"}, HTTP_IDEMPOTENCY_KEY="grant-export-1"
    )
    assert other.status_code == 422


@pytest.mark.parametrize(
    "body, field",
    [
        ({"list": "token-list", "format": "csv"}, "list"),
        ({"list": "export-list", "format": "csv"}, "list"),
        ({"list": "contact-list", "format": "pdf"}, "format"),
        ({"list": "contact-list", "format": "csv", "filter": "occurred_after=yesterday"}, "occurred_after"),
    ],
)
def test_a_bad_request_is_400_and_makes_no_job(world, api, body, field):
    response = api(world.users.coordinator).post(reverse("api:export-list"), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not ExportJob.objects.filter(requested_by=world.users.coordinator).exists()


def test_a_long_list_is_not_sent_directly_but_pointed_to_a_job(world, api, settings):
    client = api(world.users.coordinator)
    settings.EXPORT_DIRECT_MAX_ROWS = m.Contact.objects.count() - 1
    refused = client.get(reverse("api:contact-list"), {"format": "csv"})
    assert refused.status_code == 400
    assert "POST /api/v1/exports/" in refused.json()["format"][0]
    settings.EXPORT_DIRECT_MAX_ROWS = m.Contact.objects.count()
    assert client.get(reverse("api:contact-list"), {"format": "csv"}).status_code == 200
