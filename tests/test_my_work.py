"""My work, the home page of every working role: tasks, the queue, what waits, what changed."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from agencies.acting import acting_as
from work.home import my_work
from work.models import Follow, Task

from . import factories as f


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response


def test_the_officer_sees_its_tasks_and_queue_overdue_first(client, world):
    u, r = world.users, world.records
    Task.objects.filter(pk=r.task_sjpd_queue.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    response = _home(client, u.officer_sjpd)
    work = response.context["work"]
    assert [t.pk for t in work.my_tasks] == [r.task_officer_sjpd.pk]
    assert [t.pk for t in work.queue_tasks] == [r.task_sjpd_queue.pk]
    assert work.overdue_count == 1
    page = response.content.decode()
    assert "My work" in page and "Complete the contact narrative" in page and "Overdue" in page
    # The task on a record out of the officer's sight is not there, nor its title.
    assert "Check the motel register" not in page


def test_each_role_sees_what_waits_for_its_agency(client, world):
    u, r = world.users, world.records
    waiting = {w.key: w.count for w in my_work(u.advocate_harbor).waiting}
    assert waiting["referrals"] == 1 and "custody" not in waiting
    r.handoff_sjpd.refresh_from_db()
    assert {w.key: w.count for w in my_work(u.caseworker).waiting}["custody"] == (
        1 if r.handoff_sjpd.handed_over_at and not r.handoff_sjpd.acknowledged_at else 0
    )
    officer = {w.key: w.count for w in my_work(u.officer_sjpd).waiting}
    assert officer["relief"] == 1  # Safe Harbor's T-visa request, under review at SJPD
    page = _home(client, u.advocate_harbor).content.decode()
    assert "Referrals to acknowledge" in page and reverse("web:referral_inbox") in page


def test_changes_on_followed_records_show_once_and_only_others_changes(client, world):
    u, r = world.users, world.records
    Follow.objects.filter(user=u.officer_sjpd).update(seen_at=timezone.now())
    with acting_as(u.supervisor_sjpd):
        r.op_sjpd.summary = "Moved to the north lot."
        r.op_sjpd.save()
    first = _home(client, u.officer_sjpd)
    assert [c.record.pk for c in first.context["work"].changes] == [r.op_sjpd.pk]
    assert "changed 1 time" in first.content.decode()
    # Looked at: no longer new.
    assert _home(client, u.officer_sjpd).context["work"].changes == []
    # The officer's own change is not news to it.
    with acting_as(u.officer_sjpd):
        r.op_sjpd.save()
    assert _home(client, u.officer_sjpd).context["work"].changes == []


def test_a_follow_of_a_record_out_of_sight_shows_nothing(client, world):
    u, r = world.users, world.records
    Follow.objects.filter(user=u.officer_kcpd).update(seen_at=timezone.now() - timedelta(minutes=5))
    with acting_as(u.officer_sjpd):
        r.op_sjpd.save()
    response = _home(client, u.officer_kcpd)
    assert response.context["work"].changes == []
    assert r.op_sjpd.code not in response.content.decode()


def test_analysts_and_auditors_keep_their_own_home(client, world):
    for persona in ("analyst", "tf_auditor"):
        assert "work" not in _home(client, getattr(world.users, persona)).context


def _grow(world, n: int) -> None:
    """n more tasks for the SJPD officer and its queue, and n followed records changed by others."""
    u, r, a = world.users, world.records, world.agencies
    for i in range(n):
        Task.objects.create(title=f"Task {i}", operation=r.op_sjpd, assigned_user=u.officer_sjpd)
        Task.objects.create(title=f"Queue {i}", contact=r.victim_sjpd, assigned_agency=a.sjpd)
        op = f.OperationFactory(lead_agency=a.sjpd)
        Follow.objects.create(user=u.officer_sjpd, operation=op, seen_at=timezone.now() - timedelta(minutes=5))
        with acting_as(u.supervisor_sjpd):
            op.save()
        person = f.PersonFactory(created_by_agency=a.sjpd)
        Follow.objects.create(user=u.officer_sjpd, person=person, seen_at=timezone.now() - timedelta(minutes=5))
        with acting_as(u.supervisor_sjpd):
            person.save()


def test_the_home_page_query_count_does_not_grow_with_the_data(client, world, django_assert_max_num_queries):
    client.force_login(world.users.officer_sjpd)
    client.get(reverse("web:home"))  # warm the session and caches
    _grow(world, 3)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("web:home"))
    _grow(world, 25)
    Follow.objects.filter(user=world.users.officer_sjpd).update(seen_at=timezone.now() - timedelta(minutes=5))
    with django_assert_max_num_queries(len(small.captured_queries)) as big:
        response = client.get(reverse("web:home"))
    assert len(response.context["work"].my_tasks) == 10 and len(response.context["work"].changes) == 10
    assert len(big.captured_queries) <= len(small.captured_queries)


def test_task_lists_the_counts_say_are_empty_are_not_asked_for(client, world, django_assert_max_num_queries):
    """Each task list is a query as long as the access policy: with no open task of its own and
    none in its agency's queue, the home page asks only for the counts."""
    user = world.users.officer_sjpd
    _home(client, user)  # warm the session and caches

    def task_queries() -> int:
        with django_assert_max_num_queries(100) as captured:
            response = _home(client, user)
        return sum('FROM "work_task"' in q["sql"] for q in captured.captured_queries), response.context["work"]

    with_tasks, work = task_queries()
    assert work.my_tasks and work.queue_tasks and with_tasks == 3
    done = {"status": "done", "closed_at": timezone.now()}
    Task.objects.filter(assigned_user=user).update(**done)
    Task.objects.filter(assigned_agency=world.agencies.sjpd).update(**done)
    without, work = task_queries()
    assert (work.my_tasks, work.queue_tasks, work.my_count, work.queue_count) == ([], [], 0, 0)
    assert without == 1
