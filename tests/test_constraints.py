"""Structural rules the database enforces, and the clear messages models give first."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import access, actions
from cases import models as m

from . import factories as f

# --- custody ----------------------------------------------------------------


def test_a_custody_handoff_of_an_adult_is_refused_with_a_clear_message(world):
    adult = world.records.victim_sjpd
    handoff = m.CustodyHandoff(
        person=adult.person,
        contact=adult,
        taken_at=timezone.now() - timedelta(hours=2),
        custody_agency=world.agencies.sjpd,
        reason="test",
        receiving_agency=world.agencies.childrens,
    )
    with pytest.raises(ValidationError, match="for children; this person was 25"):
        handoff.full_clean()


def test_the_database_refuses_a_handoff_of_an_adult(world):
    adult = world.records.victim_sjpd
    with pytest.raises(IntegrityError), transaction.atomic():
        m.CustodyHandoff.objects.create(
            person=adult.person,
            taken_at=timezone.now(),
            custody_agency=world.agencies.sjpd,
            reason="x",
            receiving_agency=world.agencies.childrens,
        )


def test_a_child_who_turned_18_since_custody_is_still_a_valid_handoff(world):
    person = f.PersonFactory(
        date_of_birth=date.today() - timedelta(days=365 * 18 + 30),
        estimated_age=None,
        created_by_agency=world.agencies.sjpd,
    )
    handoff = m.CustodyHandoff(
        person=person,
        taken_at=timezone.now() - timedelta(days=90),
        custody_agency=world.agencies.sjpd,
        reason="x",
        receiving_agency=world.agencies.childrens,
    )
    handoff.full_clean()
    handoff.save()
    assert handoff.child_age_at_custody == 17


def test_a_handoff_before_custody_is_refused_by_model_and_database(world):
    handoff = world.records.handoff_kcpd
    with pytest.raises(ValidationError, match="cannot be before the child was taken"):
        handoff.hand_over(world.users.officer_kcpd, world.agencies.kcpd, at=handoff.taken_at - timedelta(minutes=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        m.CustodyHandoff.objects.filter(pk=handoff.pk).update(handed_over_at=handoff.taken_at - timedelta(minutes=1))


def test_hand_over_and_acknowledge_build_the_chain_of_custody(world):
    handoff = world.records.handoff_kcpd
    with pytest.raises(PermissionDenied):
        actions.acknowledge_custody(world.users.caseworker, handoff)  # not handed over yet
    actions.hand_over_child(world.users.officer_kcpd, handoff)
    actions.add_custody_event(world.users.caseworker, handoff, m.CustodyEventKind.MEDICAL, note="Checked at clinic.")
    actions.acknowledge_custody(world.users.caseworker, handoff)
    handoff.refresh_from_db()
    assert handoff.acknowledged_by == world.users.caseworker
    kinds = list(handoff.events.values_list("kind", flat=True))
    assert kinds[0] == "taken" and "handed_over" in kinds and kinds[-1] in ("acknowledged", "medical")
    assert set(kinds) == {"taken", "handed_over", "medical", "acknowledged"}


def test_only_the_receiving_agency_acknowledges_receipt(world):
    handoff = world.records.handoff_sjpd
    for persona in ("officer_sjpd", "advocate_harbor", "analyst"):
        with pytest.raises(PermissionDenied):
            actions.acknowledge_custody(getattr(world.users, persona), handoff)


def test_custody_events_are_append_only(world):
    event = world.records.handoff_sjpd.events.first()
    event.note = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_children_go_to_a_child_welfare_agency(world):
    handoff = world.records.handoff_sjpd
    handoff.receiving_agency = world.agencies.harbor
    with pytest.raises(ValidationError, match="child-welfare"):
        handoff.full_clean()


# --- operations ---------------------------------------------------------------


def test_an_operation_has_exactly_one_lead_agency(world):
    op = world.records.op_sjpd
    assert op.participations.filter(role="lead").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Participation.objects.filter(operation=op, agency=world.agencies.fbi).update(role="lead")


def test_one_participation_per_operation_and_agency(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Participation.objects.create(operation=world.records.op_sjpd, agency=world.agencies.fbi)


def test_changing_the_lead_agency_moves_the_lead_role(world):
    op = world.records.op_sjpd
    op.lead_agency = world.agencies.fbi
    op.save()
    assert list(op.participations.filter(role="lead").values_list("agency__short_name", flat=True)) == ["FBI"]
    assert op.participations.get(agency=world.agencies.sjpd).role == "support"


def test_operation_codes_follow_the_year(world):
    first = f.OperationFactory(lead_agency=world.agencies.kcpd, starts_at=timezone.now().replace(year=2031))
    second = f.OperationFactory(lead_agency=world.agencies.kcpd, starts_at=timezone.now().replace(year=2031))
    assert (first.code, second.code) == ("OP-2031-0001", "OP-2031-0002")


def test_an_operation_moves_only_forward_through_its_lifecycle(world):
    op = f.OperationFactory(lead_agency=world.agencies.sjpd, status="planned")
    officer = world.users.officer_sjpd
    with pytest.raises(ValidationError, match="planned cannot become concluded"):
        actions.move_operation(officer, op, "concluded")
    actions.move_operation(officer, op, "active")
    actions.move_operation(officer, op, "concluded")
    assert op.ends_at is not None
    with pytest.raises(PermissionDenied):
        actions.move_operation(world.users.officer_kcpd, op, "closed")


def test_an_operation_cannot_end_before_it_starts(world):
    op = world.records.op_sjpd
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Operation.objects.filter(pk=op.pk).update(ends_at=op.starts_at - timedelta(hours=1))


# --- people -------------------------------------------------------------------


def test_people_get_a_pseudonymous_reference(world):
    person = f.PersonFactory(created_by_agency=world.agencies.sjpd)
    assert person.reference == f"P-{person.pk:06d}"
    assert m.Person.objects.get(pk=person.pk).reference == person.reference


def test_a_minor_stays_flagged_for_the_life_of_the_record(world):
    person = f.PersonFactory(estimated_age=16, created_by_agency=world.agencies.sjpd)
    assert person.is_minor and person.age_group == "teen"
    person.estimated_age = 30
    person.save()
    person.refresh_from_db()
    assert person.age_group == "adult" and person.is_minor


def test_age_groups(world):
    cases = {0: "infant", 1: "infant", 2: "child", 4: "child", 12: "child", 13: "teen", 17: "teen", 18: "adult"}
    for age, group in cases.items():
        assert m.age_group_for(age) == group
    assert m.age_group_for(None) == "unknown"


def test_a_contact_remembers_the_age_group_on_the_day(world):
    contact = world.records.child_contact
    assert contact.age_group == "child"


# --- voiding and writing within scope ----------------------------------------


def test_a_supervisor_voids_own_agency_records_only(world):
    u, r = world.users, world.records
    with pytest.raises(PermissionDenied):
        actions.void_record(u.officer_sjpd, r.victim_sjpd, "Entered twice.")
    with pytest.raises(PermissionDenied):
        actions.void_record(u.supervisor_sjpd, r.buyer_contact, "Not ours.")  # recorded by the FBI
    with pytest.raises(ValidationError, match="reason"):
        actions.void_record(u.supervisor_sjpd, r.victim_sjpd, "  ")
    actions.void_record(u.supervisor_sjpd, r.victim_sjpd, "Entered twice.")
    r.victim_sjpd.refresh_from_db()
    assert r.victim_sjpd.is_voided and r.victim_sjpd.voided_by == u.supervisor_sjpd
    assert m.Contact.objects.filter(pk=r.victim_sjpd.pk).exists(), "voided records stay"
    with pytest.raises(PermissionDenied):
        actions.void_record(u.supervisor_sjpd, r.victim_sjpd, "Again.")


def test_a_write_that_leaves_the_record_out_of_scope_is_rolled_back(world):
    officer = world.users.officer_kcpd
    before = m.Person.objects.count()
    stray = m.Person(legal_name="Pat Invented", estimated_age=30, created_by_agency=world.agencies.sjpd)
    with pytest.raises(access.OutOfScope):
        actions.create_record(officer, stray, "person.add")
    assert m.Person.objects.count() == before


def test_an_officer_cannot_record_in_an_operation_its_agency_is_not_part_of(world):
    contact = m.Contact(
        person=world.records.victim_kcpd.person,
        operation=world.records.op_sjpd,
        agency=world.agencies.kcpd,
        role="witness",
        outcome="no_action",
    )
    with pytest.raises(PermissionDenied):
        actions.create_record(world.users.officer_kcpd, contact, "contact.add", world.records.op_sjpd)


def test_nothing_is_recorded_in_a_closed_operation(world):
    op = world.records.op_sjpd
    m.Operation.objects.filter(pk=op.pk).update(status="closed")
    op.refresh_from_db()
    assert not access.can(world.users.officer_sjpd, "contact.add", op)
    assert not access.can(world.users.coordinator, "contact.add", op)


def test_advocates_never_record_detentions_or_custody(world):
    u = world.users
    assert not access.can(u.advocate_harbor, "detention.add", world.records.victim_sjpd)
    assert not access.can(u.advocate_harbor, "custody.add", world.records.child_contact)
    assert access.can(u.officer_sjpd, "custody.add", world.records.child_contact)
    assert not access.can(u.officer_sjpd, "custody.add", world.records.victim_sjpd), "adults are not handed off"


def test_membership_roles_fit_the_agency(world):
    from agencies.models import Membership

    bad = Membership(user=f.UserFactory(), agency=world.agencies.sjpd, role="coordinator")
    with pytest.raises(ValidationError, match="coordinator must belong"):
        bad.full_clean()
    second = Membership(user=world.users.officer_sjpd, agency=world.agencies.kcpd, role="officer")
    with pytest.raises(ValidationError, match="already has an active membership"):
        second.full_clean()


# --- settings -----------------------------------------------------------------


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    environment = {
        "PATH": os.environ["PATH"],
        "TASKFORCE_MODE": "production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "tracker.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "DJANGO_SETTINGS_MODULE": "taskforce.settings",
    }
    del environment[missing]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.django_db
def test_the_database_keeps_workflow_events_append_only(world):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only")
    event = world.records.handoff_sjpd.events.first()
    for statement in (
        "UPDATE cases_custodyevent SET note = 'x' WHERE id = %s",
        "DELETE FROM cases_custodyevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    referral_event = world.records.referral_sjpd.events.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_referralevent WHERE id = %s", [referral_event.pk])


def test_an_operation_gets_a_code_through_the_domain_action(world):
    op = m.Operation(
        name="Operation Quiet Harbor", kind="outreach", starts_at=timezone.now(), lead_agency=world.agencies.sjpd
    )
    actions.create_record(world.users.officer_sjpd, op, "operation.add")
    assert op.code.startswith("OP-")
