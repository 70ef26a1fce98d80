"""The change history: every create, update, void and transition, with actor, agency, IP and request id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from agencies.acting import acting_as
from audit.middleware import RequestContextMiddleware
from cases import actions
from cases import models as m


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_create_records_actor_and_agency(world):
    officer = world.users.officer_sjpd
    person = m.Person(legal_name="Alex Invented", created_by_agency=world.agencies.sjpd, estimated_age=30)
    actions.create_record(officer, person, "person.add")
    row = latest(person)
    assert row.history_type == "+"
    assert row.history_user == officer
    assert row.history_agency == world.agencies.sjpd


def test_update_records_before_and_after(world):
    officer = world.users.officer_sjpd
    operation = world.records.op_sjpd
    old_name = operation.name
    operation.name = "Operation Crossroads II"
    actions.update_record(officer, operation, "operation.change")
    row = latest(operation)
    assert row.history_type == "~"
    assert (row.history_user, row.history_agency) == (officer, world.agencies.sjpd)
    changes = {c.field: (c.old, c.new) for c in row.diff_against(row.prev_record).changes}
    assert changes["name"] == (old_name, "Operation Crossroads II")


def test_void_records_reason_and_supervisor(world):
    supervisor = world.users.supervisor_sjpd
    note = world.records.note_sjpd
    actions.void_record(supervisor, note, "Entered on the wrong operation")
    row = latest(note)
    assert row.history_user == supervisor
    assert row.history_agency == world.agencies.sjpd
    assert row.history_change_reason == "Voided: Entered on the wrong operation"
    assert row.voided_at is not None


def test_referral_transition_records_advocate_and_reason(world):
    advocate = world.users.advocate_harbor
    referral = world.records.referral_sjpd
    actions.transition_referral(advocate, referral, "acknowledge")
    actions.transition_referral(advocate, referral, "decline", reason="No beds this week")
    row = latest(referral)
    assert row.history_user == advocate
    assert row.history_agency == world.agencies.harbor
    assert row.history_change_reason.startswith("Referral decline:")
    assert "No beds this week" in row.history_change_reason
    assert row.status == m.ReferralStatus.DECLINED


def test_operation_status_move_records_reason(world):
    officer = world.users.officer_sjpd
    operation = world.records.op_sjpd
    before = operation.status
    target = {"planned": "active", "active": "concluded", "concluded": "closed"}[before]
    actions.move_operation(officer, operation, target)
    row = latest(operation)
    assert row.history_change_reason == f"Status changed from {before} to {target}"
    assert row.history_user == officer


def test_custody_acknowledgement_records_caseworker(world):
    caseworker = world.users.caseworker
    handoff = world.records.handoff_sjpd
    if handoff.handed_over_at is None:
        actions.hand_over_child(world.users.officer_sjpd, handoff)
    actions.acknowledge_custody(caseworker, handoff)
    row = latest(handoff)
    assert row.history_user == caseworker
    assert row.history_agency == world.agencies.childrens
    assert row.history_change_reason == "Receipt acknowledged"


def test_membership_and_role_changes_have_history(world):
    membership = world.users.officer_kcpd.memberships.get()
    with acting_as(world.users.coordinator):
        membership.role = "supervisor"
        membership.save()
    row = latest(membership)
    assert row.history_user == world.users.coordinator
    assert row.history_agency == world.agencies.task_force
    assert row.role == "supervisor"


def test_user_history_keeps_no_password_hash(world):
    historical_user = world.users.officer_sjpd.history.model
    assert "password" not in {f.name for f in historical_user._meta.fields}


def test_request_stamps_ip_and_request_id(world, rf: RequestFactory):
    officer = world.users.officer_sjpd
    operation = world.records.op_sjpd

    def view(request):
        operation.summary = "Changed through a request"
        actions.update_record(request.user, operation, "operation.change")
        return HttpResponse("ok")

    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    request.user = officer
    response = RequestContextMiddleware(view)(request)
    row = latest(operation)
    assert row.history_ip == "203.0.113.7"
    assert row.history_request_id == response["X-Request-ID"] != ""
    assert row.history_user == officer


def test_request_user_is_actor_without_acting_as(world, rf):
    """A plain model save in a web request (the admin, a form) is still attributed."""
    coordinator = world.users.coordinator
    agency = world.agencies.fbi

    def view(request):
        agency.phone = "555-0100"
        agency.save()
        return HttpResponse("ok")

    request = rf.get("/")
    request.user = coordinator
    RequestContextMiddleware(view)(request)
    row = latest(agency)
    assert row.history_user == coordinator
    assert row.history_agency == world.agencies.task_force


def test_bulk_create_still_works_and_writes_no_history(world):
    agency = world.agencies.sjpd
    people = m.Person.objects.bulk_create(
        [m.Person(reference=f"B-{i:06d}", created_by_agency=agency, legal_name=f"Bulk Invented {i}") for i in range(5)]
    )
    assert len(people) == 5
    assert m.Person.history.filter(reference__startswith="B-").count() == 0


def test_history_rows_for_generated_world_have_times(world):
    cutoff = timezone.now() - timedelta(minutes=5)
    assert m.Operation.history.filter(history_date__gte=cutoff).exists()


@pytest.mark.parametrize(
    "model",
    [
        m.Operation,
        m.Person,
        m.Contact,
        m.Referral,
        m.CustodyHandoff,
        m.Detention,
        m.Note,
        m.ServiceOffer,
        m.Location,
        m.Participation,
        m.Charge,
    ],
)
def test_every_case_model_is_tracked(model):
    assert hasattr(model, "history")
    fields = {f.name for f in model.history.model._meta.fields}
    assert {"history_agency", "history_ip", "history_request_id", "history_change_reason"} <= fields
