"""Tasks: made on a record the maker sees, for someone who sees it; automatic ones once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from work import actions
from work.models import Follow, Task, TaskStatus


def test_an_officer_gives_a_task_to_a_colleague_and_sees_it(world):
    u, r = world.users, world.records
    operation = r.op_sjpd.__class__.objects.visible_to(u.officer_sjpd).get(pk=r.op_sjpd.pk)
    task = actions.create_task(u.officer_sjpd, operation, title="Photograph the scene", assigned_user=u.supervisor_sjpd)
    assert task.created_by == u.officer_sjpd and task.operation == r.op_sjpd and task.is_open
    assert Task.objects.visible_to(u.officer_sjpd).filter(pk=task.pk).exists()
    assert Task.objects.visible_to(u.supervisor_sjpd).filter(pk=task.pk).exists()
    assert not Task.objects.visible_to(u.agent_fbi).filter(pk=task.pk).exists()


def test_a_task_goes_only_to_someone_who_sees_its_record(world):
    u, r = world.users, world.records
    with pytest.raises(ValidationError) as refused:
        actions.create_task(u.coordinator, r.op_kcpd, title="Check the register", assigned_user=u.officer_sjpd)
    assert "cannot see this record" in str(refused.value)
    assert not Task.objects.filter(title="Check the register").exists()


def test_an_officer_cannot_give_a_task_to_another_agency(world):
    u, r = world.users, world.records
    with pytest.raises(ValidationError):
        actions.create_task(u.officer_sjpd, r.op_sjpd, title="Shelter beds", assigned_agency=world.agencies.harbor)
    with pytest.raises(ValidationError):
        actions.create_task(u.officer_sjpd, r.op_sjpd, title="Shelter beds", assigned_user=u.advocate_harbor)


def test_a_task_is_for_one_person_or_one_queue(world):
    u, r = world.users, world.records
    with pytest.raises(ValidationError):
        actions.create_task(u.officer_sjpd, r.op_sjpd, title="Nobody's")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(title="Both", operation=r.op_sjpd, assigned_user=u.officer_sjpd, assigned_agency_id=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            title="Two records", operation=r.op_sjpd, person=r.victim_sjpd.person, assigned_user=u.officer_sjpd
        )


def test_analysts_add_no_task(world):
    with pytest.raises(PermissionDenied):
        actions.create_task(world.users.analyst, world.records.op_sjpd, title="x", assigned_user=world.users.analyst)


def test_an_automatic_task_is_made_once_per_source_while_open(world):
    r = world.records
    source = f"reminder:declined:{r.referral_sjpd.pk}"
    made = [
        actions.create_task(
            None,
            r.referral_sjpd,
            title="Offer services again",
            assigned_agency=world.agencies.harbor,
            source=source,
            due_date=timezone.localdate() + timedelta(days=7),
        )
        for _ in range(2)
    ]
    assert made[0].pk == made[1].pk and made[0].created_by is None
    assert actions.close_tasks_for_source(None, source) == 1
    assert Task.objects.get(pk=made[0].pk).status == TaskStatus.DONE
    again = actions.create_task(
        None, r.referral_sjpd, title="Offer services again", assigned_agency=world.agencies.harbor, source=source
    )
    assert again.pk != made[0].pk


def test_done_and_cancelled_tasks_are_closed_and_stay_closed(world):
    u, r = world.users, world.records
    task = Task.objects.get(pk=r.task_sjpd_queue.pk)
    actions.close_task(u.officer_sjpd, task)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.closed_at and task.closed_by == u.officer_sjpd
    with pytest.raises(PermissionDenied):
        actions.cancel_task(u.officer_sjpd, task)
    other = Task.objects.get(pk=r.task_advocate_harbor.pk)
    actions.cancel_task(u.advocate_harbor, other)
    assert Task.objects.get(pk=other.pk).status == TaskStatus.CANCELLED


def test_following_twice_is_once_and_unfollowing_ends_it(world):
    u, r = world.users, world.records
    first = actions.follow(u.officer_sjpd, r.investigation_sjpd)
    assert actions.follow(u.officer_sjpd, r.investigation_sjpd).pk == first.pk
    actions.unfollow(u.officer_sjpd, r.investigation_sjpd)
    assert not Follow.objects.filter(pk=first.pk).exists()


def test_a_records_tasks_and_follows_are_its_rows_under_the_whole_rule(world):
    """`scope_on_record` (the record pages' panel) answers what `visible_to` then a filter would,
    for every persona and every record that has a task or a follow in the world."""
    from cases import access

    records = {t.record for t in Task.objects.all()} | {f.record for f in Follow.objects.all()}
    assert len(records) >= 4
    for user in vars(world.users).values():
        for model in (Task, Follow):
            for record in records:
                try:
                    field = model.field_for(record)
                except ValidationError:
                    continue  # a follow cannot hang on this kind of record
                whole = set(model.objects.visible_to(user).filter(**{field: record}).values_list("pk", flat=True))
                one = set(access.scope_on_record(model.objects.all(), user, record).values_list("pk", flat=True))
                assert one == whole, (user.username, model.__name__, record)
