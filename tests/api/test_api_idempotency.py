"""Every API POST is safe to retry with an Idempotency-Key: a repeat never does the work twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import models as m
from idempotency.models import IdempotencyKey

from .conftest import if_match

BODY = {"name": "Operation Lantern", "kind": "sting", "starts_at": "2026-03-01T20:00:00-06:00"}


def _post(client, body=BODY, key="key-lantern-1", url="/api/v1/operations/"):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_create_gives_the_first_answer_and_creates_one_record(world, api):
    client = api(world.users.officer_sjpd)
    first = _post(client)
    again = _post(client)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert m.Operation.objects.filter(name="Operation Lantern").count() == 1


def test_without_a_key_each_post_creates(world, api):
    client = api(world.users.officer_sjpd)
    assert client.post("/api/v1/operations/", BODY, format="json").status_code == 201
    assert client.post("/api/v1/operations/", BODY, format="json").status_code == 201
    assert m.Operation.objects.filter(name="Operation Lantern").count() == 2


def test_the_same_key_with_another_body_is_refused_with_422(world, api):
    client = api(world.users.officer_sjpd)
    assert _post(client).status_code == 201
    other = _post(client, {**BODY, "name": "Operation Ember"})
    assert other.status_code == 422
    assert "already used for another request" in other.json()["detail"]
    assert not m.Operation.objects.filter(name="Operation Ember").exists()
    # Another address with the same key is another request too.
    person = _post(client, {"gender": "female"}, url="/api/v1/people/")
    assert person.status_code == 422


def test_keys_are_per_user_and_never_replay_another_users_answer(world, api):
    officer, kcpd_officer = api(world.users.officer_sjpd), api(world.users.officer_kcpd)
    first = _post(officer)
    second = _post(kcpd_officer)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert second.json()["lead_agency"] == world.agencies.kcpd.pk
    assert not second.has_header("Idempotent-Replayed")


def test_a_refused_request_keeps_its_key_free(world, api):
    client = api(world.users.officer_sjpd)
    refused = _post(client, {**BODY, "starts_at": "0015-01-01T00:00:00Z"})
    assert refused.status_code == 400
    corrected = _post(client)
    assert corrected.status_code == 201 and not corrected.has_header("Idempotent-Replayed")
    assert IdempotencyKey.objects.filter(user=world.users.officer_sjpd).count() == 1


def test_a_retried_step_on_a_record_is_done_once(world, api):
    """POST actions too: a retried 'add participant' adds the agency once and answers as the first time."""
    op, fbi = world.records.op_sjpd, world.agencies.kcpd
    client = api(world.users.officer_sjpd)
    url = f"/api/v1/operations/{op.pk}/"
    headers = {**if_match(client, url), "HTTP_IDEMPOTENCY_KEY": "add-fbi"}
    body = {"agency": fbi.pk, "role": "support", "staff_count": 6}
    first = client.post(url + "participants/", body, format="json", **headers)
    # The ETag changed with the first answer: a blind retry would be a 412 without the key.
    again = client.post(url + "participants/", body, format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert op.participations.filter(agency=fbi).count() == 1


def test_a_malformed_key_is_a_400(world, api):
    client = api(world.users.officer_sjpd)
    response = _post(client, key="x" * 101)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not m.Operation.objects.filter(name="Operation Lantern").exists()


def test_keys_are_honoured_for_a_day_then_purged(world, api):
    client = api(world.users.officer_sjpd)
    assert _post(client).status_code == 201
    row = IdempotencyKey.objects.get(user=world.users.officer_sjpd)
    # 23 hours later the key still answers with the first answer.
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=23))
    assert _post(client)["Idempotent-Replayed"] == "true"
    assert m.Operation.objects.filter(name="Operation Lantern").count() == 1
    # Past 24 hours the command purges it.
    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=25))
    call_command("purge_idempotency_keys", stdout=open("/dev/null", "w"))
    assert not IdempotencyKey.objects.filter(pk=row.pk).exists()


def test_the_schema_documents_the_header_and_the_422(world, api):
    schema = api(world.users.officer_sjpd).get("/api/v1/schema/?format=json").json()
    create = schema["paths"]["/api/v1/operations/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required", False)
    assert "422" in create["responses"]
    assert "Idempotency-Key" not in {p["name"] for p in schema["paths"]["/api/v1/operations/"]["get"]["parameters"]}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_create_one_record(django_db_blocker):
    """A real double submit: two threads, two connections, one key (PostgreSQL: one waits on the other)."""
    import threading

    from django.db import connection, connections
    from rest_framework.test import APIClient

    from tests import factories as f
    from tests.personas import _agency, _member

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is tested on PostgreSQL.")
    from agencies.models import AgencyKind, AgencyLevel, Role

    agency = _agency("SJPD", "St. Joseph Police Department", AgencyKind.LAW_ENFORCEMENT, AgencyLevel.LOCAL)
    officer = _member("officer_race", agency, Role.OFFICER)
    assert f  # factories loaded
    barrier = threading.Barrier(2)
    answers = []

    def send():
        try:
            client = APIClient()
            client.force_authenticate(officer)
            barrier.wait()
            answers.append(_post(client, key="race-key"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert sum(a.has_header("Idempotent-Replayed") for a in answers) == 1
    assert m.Operation.objects.filter(name="Operation Lantern").count() == 1
