"""Tasks, follows and the My work counts through the API."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from agencies.acting import acting_as
from work.models import Follow, Task, TaskStatus

from .conftest import if_match


def _new(w, **extra):
    return {
        "title": "Photograph the scene",
        "operation": w.records.op_sjpd.pk,
        "assigned_agency": w.agencies.sjpd.pk,
        **extra,
    }


def test_a_retried_create_makes_one_task(world, api):
    client = api(world.users.officer_sjpd)
    first = client.post("/api/v1/tasks/", _new(world), format="json", HTTP_IDEMPOTENCY_KEY="task-1")
    again = client.post("/api/v1/tasks/", _new(world), format="json", HTTP_IDEMPOTENCY_KEY="task-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Task.objects.filter(title="Photograph the scene").count() == 1
    body = first.json()
    assert body["operation"] == world.records.op_sjpd.pk and body["status"] == "open" and body["person"] is None


def test_a_task_is_given_to_one_person_or_one_queue(world, api):
    client = api(world.users.officer_sjpd)
    both = client.post("/api/v1/tasks/", _new(world, assigned_user=world.users.officer_sjpd.pk), format="json")
    assert both.status_code == 400
    # Someone outside the officer's agency is not among those it may choose: as if unknown.
    other = client.post(
        "/api/v1/tasks/", _new(world, assigned_agency=None, assigned_user=world.users.advocate_harbor.pk), format="json"
    )
    assert other.status_code == 400 and "No record with id" in str(other.json())


def test_done_needs_if_match_and_closes_the_task(world, api):
    client = api(world.users.officer_sjpd)
    url = f"/api/v1/tasks/{world.records.task_sjpd_queue.pk}/"
    assert client.post(url + "done/", {}, format="json").status_code == 428
    response = client.post(url + "done/", {}, format="json", **if_match(client, url))
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert Task.objects.get(pk=world.records.task_sjpd_queue.pk).status == TaskStatus.DONE


def test_the_counts_for_a_dashboard_widget(world, api):
    u, r = world.users, world.records
    Task.objects.filter(pk=r.task_sjpd_queue.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    Follow.objects.filter(user=u.officer_sjpd).update(seen_at=timezone.now())
    with acting_as(u.supervisor_sjpd):
        r.op_sjpd.save()
    body = api(u.officer_sjpd).get("/api/v1/my-work/").json()
    assert body == {
        "my_tasks": 1,
        "queue_tasks": 1,
        "overdue_tasks": 1,
        "referrals_to_acknowledge": 0,
        "custody_receipts_to_confirm": 0,
        "relief_requests_to_answer": 1,
        "followed_changes": 1,
    }
    advocate = api(u.advocate_harbor).get("/api/v1/my-work/").json()
    assert advocate["referrals_to_acknowledge"] == 1 and advocate["custody_receipts_to_confirm"] is None
    assert api(u.analyst).get("/api/v1/my-work/").status_code == 403
    assert api(u.nobody).get("/api/v1/my-work/").status_code == 403
    assert api().get("/api/v1/my-work/").status_code in (401, 403)


def test_follow_and_unfollow(world, api):
    client = api(world.users.advocate_harbor)
    made = client.post("/api/v1/follows/", {"referral": world.records.referral_sjpd.pk}, format="json")
    assert made.status_code == 201 and made.json()["id"] == world.records.follow_advocate_harbor.pk  # once
    url = f"/api/v1/follows/{made.json()['id']}/"
    assert client.post(url + "unfollow/", {}, format="json", **if_match(client, url)).status_code == 200
    assert not Follow.objects.filter(pk=made.json()["id"]).exists()
