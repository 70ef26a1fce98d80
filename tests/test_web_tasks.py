"""Task and follow pages: add from the record's page, change, done, cancel (asked first), the list."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from work.models import Follow, Task, TaskStatus


def _add_url(field, record):
    return reverse("web:task_create", args=[field, record.pk])


def test_the_operation_page_offers_add_a_task_and_follow(client, world):
    client.force_login(world.users.officer_sjpd)
    page = client.get(reverse("web:operation_detail", args=[world.records.op_sjpd.pk])).content.decode()
    assert _add_url("operation", world.records.op_sjpd) in page
    assert "Return the seized phones" in page  # SJPD's queue
    assert "Stop following" in page  # the officer follows the sting


def test_an_officer_adds_a_task_for_a_colleague(client, world):
    u, r = world.users, world.records
    client.force_login(u.officer_sjpd)
    form = client.get(_add_url("operation", r.op_sjpd)).content.decode()
    assert f"user:{u.supervisor_sjpd.pk}" in form and f"agency:{world.agencies.sjpd.pk}" in form
    assert f"agency:{world.agencies.harbor.pk}" not in form  # only its own agency's queue
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        _add_url("operation", r.op_sjpd),
        {"title": "Photograph the scene", "assignee": f"user:{u.supervisor_sjpd.pk}", "due_date": due, "notes": ""},
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Photograph the scene")
    assert task.assigned_user == u.supervisor_sjpd and task.operation == r.op_sjpd and task.created_by == u.officer_sjpd


def test_a_task_for_someone_who_cannot_see_the_record_is_refused_with_the_form_kept(client, world):
    u, r = world.users, world.records
    client.force_login(u.coordinator)
    response = client.post(
        _add_url("operation", r.op_kcpd), {"title": "Check the register", "assignee": f"user:{u.officer_sjpd.pk}"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot see this record" in page and "Check the register" in page
    assert not Task.objects.filter(title="Check the register").exists()


def test_a_record_out_of_sight_has_no_task_page(client, world):
    client.force_login(world.users.advocate_harbor)
    assert client.get(_add_url("operation", world.records.op_kcpd)).status_code == 404
    assert (
        client.get(reverse("web:task_create", args=["detention", world.records.detention_sjpd.pk])).status_code == 404
    )


def test_done_closes_and_cancel_asks_first(client, world):
    u, r = world.users, world.records
    client.force_login(u.officer_sjpd)
    assert client.post(reverse("web:task_done", args=[r.task_sjpd_queue.pk])).status_code == 302
    assert Task.objects.get(pk=r.task_sjpd_queue.pk).status == TaskStatus.DONE
    cancel = reverse("web:task_cancel", args=[r.task_officer_sjpd.pk])
    assert "Cancel this task?" in client.get(cancel).content.decode()
    assert Task.objects.get(pk=r.task_officer_sjpd.pk).is_open
    client.post(cancel, {})
    assert Task.objects.get(pk=r.task_officer_sjpd.pk).status == TaskStatus.CANCELLED


def test_another_agencys_task_is_not_found(client, world):
    client.force_login(world.users.officer_kcpd)
    for name in ("task_edit", "task_cancel"):
        assert client.get(reverse(f"web:{name}", args=[world.records.task_sjpd_queue.pk])).status_code == 404
    assert client.post(reverse("web:task_done", args=[world.records.task_sjpd_queue.pk])).status_code == 404


def test_the_list_puts_overdue_first_and_filters(client, world):
    u, r = world.users, world.records
    Task.objects.filter(pk=r.task_sjpd_queue.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(u.officer_sjpd)
    tasks = list(client.get(reverse("web:task_list")).context["tasks"])
    assert [t.pk for t in tasks] == [r.task_sjpd_queue.pk, r.task_officer_sjpd.pk]
    mine = client.get(reverse("web:task_list"), {"holder": "mine"}).context["tasks"]
    assert [t.pk for t in mine] == [r.task_officer_sjpd.pk]
    empty = client.get(reverse("web:task_list"), {"q": "nothing like it"})
    assert "No tasks" in empty.content.decode()


def test_following_and_unfollowing_a_record(client, world):
    u, r = world.users, world.records
    client.force_login(u.advocate_harbor)
    url = reverse("web:follow", args=["relief_request", r.relief_sjpd.pk])
    client.post(url)
    assert Follow.objects.filter(user=u.advocate_harbor, relief_request=r.relief_sjpd).exists()
    client.post(url, {"follow": "off"})
    assert not Follow.objects.filter(user=u.advocate_harbor, relief_request=r.relief_sjpd).exists()
    assert client.post(reverse("web:follow", args=["operation", r.op_kcpd.pk])).status_code == 404
