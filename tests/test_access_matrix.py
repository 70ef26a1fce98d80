"""The access policy, model by model and persona by persona: the exact visible set.

The table says, for each model, which named records of the persona world each persona
sees through `Model.objects.visible_to(user)`. A model under the policy without an entry
here makes `test_every_model_has_an_entry` fail.
"""

from __future__ import annotations

import pytest
from django.apps import apps

from agencies.models import Agency, Membership, User
from cases import access
from cases import models as m
from exports.models import ExportJob
from imports.models import ContactImport
from work.models import Follow, Task

from .own_apps import own_models

SJPD_SIDE = ("officer_sjpd", "supervisor_sjpd", "agent_fbi")
KCPD_SIDE = ("officer_kcpd",)
NO_CASE_ACCESS = ("analyst", "tf_auditor", "auditor_sjpd", "sysadmin", "nobody")
ALL_PERSONAS = (
    "coordinator",
    "supervisor_sjpd",
    "officer_sjpd",
    "officer_kcpd",
    "agent_fbi",
    "advocate_harbor",
    "advocate_northland",
    "caseworker",
    "prosecutor",
    "analyst",
    "tf_auditor",
    "auditor_sjpd",
    "sysadmin",
    "nobody",
)


def _table(**groups: tuple[str, ...]) -> dict[str, set[str]]:
    """Expand {"persona_or_group": names} into one set of record names per persona."""
    expected = {persona: set() for persona in ALL_PERSONAS}
    for key, names in groups.items():
        personas = {"sjpd_side": SJPD_SIDE, "kcpd_side": KCPD_SIDE}.get(key, (key,))
        for persona in personas:
            expected[persona] |= set(names)
    return expected


SJPD_PEOPLE = ("victim_sjpd.person", "child_contact.person", "buyer_contact.person")
KCPD_PEOPLE = ("victim_kcpd.person", "buyer_kcpd.person", "kc_child_contact.person")
SJPD_CONTACTS = ("victim_sjpd", "child_contact", "buyer_contact")
KCPD_CONTACTS = ("victim_kcpd", "buyer_kcpd", "kc_child_contact")

# Record names refer to attributes of world.records ("a.b" follows attributes).
MATRIX: dict[type, dict[str, set[str]]] = {
    m.Operation: _table(
        coordinator=("op_sjpd", "op_kcpd"),
        sjpd_side=("op_sjpd",),
        kcpd_side=("op_kcpd",),
        advocate_harbor=("op_sjpd",),
        advocate_northland=("op_kcpd",),
    ),
    m.Location: _table(
        coordinator=("location_sjpd", "location_kcpd"),
        sjpd_side=("location_sjpd",),
        kcpd_side=("location_kcpd",),
    ),
    m.Person: _table(
        coordinator=SJPD_PEOPLE + KCPD_PEOPLE,
        sjpd_side=SJPD_PEOPLE,
        kcpd_side=KCPD_PEOPLE,
        advocate_harbor=("victim_sjpd.person",),
        advocate_northland=("victim_kcpd.person",),
        caseworker=("child_contact.person", "kc_child_contact.person"),
        # The Buchanan County prosecutor: the victim and the defendant of the case referred to it.
        prosecutor=("victim_sjpd.person", "buyer_contact.person"),
    ),
    m.Contact: _table(coordinator=SJPD_CONTACTS + KCPD_CONTACTS, sjpd_side=SJPD_CONTACTS, kcpd_side=KCPD_CONTACTS),
    m.ServiceOffer: _table(
        coordinator=("offer_sjpd", "offer_kcpd"), sjpd_side=("offer_sjpd",), kcpd_side=("offer_kcpd",)
    ),
    m.Referral: _table(
        coordinator=("referral_sjpd", "draft_sjpd", "referral_kcpd"),
        sjpd_side=("referral_sjpd", "draft_sjpd"),
        kcpd_side=("referral_kcpd",),
        advocate_harbor=("referral_sjpd",),
        advocate_northland=("referral_kcpd",),
    ),
    m.CustodyHandoff: _table(
        coordinator=("handoff_sjpd", "handoff_kcpd"),
        sjpd_side=("handoff_sjpd",),
        kcpd_side=("handoff_kcpd",),
        caseworker=("handoff_sjpd", "handoff_kcpd"),
    ),
    m.Detention: _table(
        coordinator=("detention_sjpd", "detention_kcpd"),
        sjpd_side=("detention_sjpd",),
        kcpd_side=("detention_kcpd",),
        prosecutor=("detention_sjpd",),  # the arrest linked to the investigation referred to it
    ),
    m.Charge: _table(
        coordinator=("charge_sjpd", "charge_kcpd"),
        sjpd_side=("charge_sjpd",),
        kcpd_side=("charge_kcpd",),
        prosecutor=("charge_sjpd",),
    ),
    m.Note: _table(
        # The coordinator never reads victim-services private notes.
        coordinator=("note_sjpd", "note_kcpd"),
        sjpd_side=("note_sjpd",),
        kcpd_side=("note_kcpd",),
        advocate_harbor=("private_note_harbor",),
    ),
}

# After the operation: officers see the investigations their agency leads or works on,
# prosecutors those referred to them; advocates and caseworkers none.
INVESTIGATIONS = _table(
    coordinator=("investigation_sjpd", "investigation_kcpd"),
    sjpd_side=("investigation_sjpd",),
    kcpd_side=("investigation_kcpd",),
    prosecutor=("investigation_sjpd",),
)
MATRIX[m.Investigation] = INVESTIGATIONS
MATRIX[m.Prosecution] = _table(
    coordinator=("prosecution_sjpd", "prosecution_kcpd"),
    sjpd_side=("prosecution_sjpd",),
    kcpd_side=("prosecution_kcpd",),
    prosecutor=("prosecution_sjpd",),
)
# Court dates: the prosecution's team, and the advocates of its victims (their clients).
MATRIX[m.CourtEvent] = _table(
    coordinator=("court_event_sjpd", "court_event_kcpd"),
    sjpd_side=("court_event_sjpd",),
    kcpd_side=("court_event_kcpd",),
    prosecutor=("court_event_sjpd",),
    advocate_harbor=("court_event_sjpd",),
    advocate_northland=("court_event_kcpd",),
)
# Relief: the agency asked, the agency asking, the investigation's agencies, the client's advocates.
MATRIX[m.ReliefRequest] = _table(
    coordinator=("relief_sjpd", "relief_kcpd"),
    sjpd_side=("relief_sjpd",),
    kcpd_side=("relief_kcpd",),
    prosecutor=("relief_sjpd",),
    advocate_harbor=("relief_sjpd",),
    advocate_northland=("relief_kcpd",),
)
# Downloads (export jobs): the requester's alone, whatever the role; the coordinator and the
# requester's supervisor included, nobody else sees another user's job.
MATRIX[ExportJob] = _table(officer_sjpd=("export_officer_sjpd",), advocate_harbor=("export_advocate_harbor",))
# Contact imports: the uploader's own; a supervisor its agency's; the coordinator every one.
MATRIX[ContactImport] = _table(
    coordinator=("import_officer_sjpd", "import_officer_kcpd"),
    officer_sjpd=("import_officer_sjpd",),
    supervisor_sjpd=("import_officer_sjpd",),
    officer_kcpd=("import_officer_kcpd",),
)
# Tasks: held (assignee, the assigned agency's members, its creator; a supervisor its staff's)
# AND on a record the holder may see.
MATRIX[Task] = _table(
    coordinator=("task_officer_sjpd", "task_tf_queue", "task_out_of_sight"),
    officer_sjpd=("task_sjpd_queue", "task_officer_sjpd"),
    supervisor_sjpd=("task_sjpd_queue", "task_officer_sjpd"),
    advocate_harbor=("task_advocate_harbor",),
    caseworker=("task_childrens_queue",),
)
# Follows: one's own, of records one may still see.
MATRIX[Follow] = _table(
    coordinator=("follow_coordinator",),
    officer_sjpd=("follow_officer_sjpd",),
    advocate_harbor=("follow_advocate_harbor",),
)

# Records reached through a parent: visible with their parent, expressed by parent names.
CHILD_MATRIX: dict[type, tuple[str, type, dict[str, set[str]]]] = {
    m.Participation: (
        "operation",
        m.Operation,
        _table(
            coordinator=("op_sjpd", "op_kcpd"),
            sjpd_side=("op_sjpd",),
            kcpd_side=("op_kcpd",),
            advocate_harbor=("op_sjpd",),
            advocate_northland=("op_kcpd",),
        ),
    ),
    m.ReferralEvent: ("referral", m.Referral, MATRIX[m.Referral]),
    m.CustodyEvent: ("handoff", m.CustodyHandoff, MATRIX[m.CustodyHandoff]),
    m.InvestigationAgency: ("investigation", m.Investigation, INVESTIGATIONS),
    m.InvestigationPerson: ("investigation", m.Investigation, INVESTIGATIONS),
    m.Count: ("prosecution", m.Prosecution, MATRIX[m.Prosecution]),
    m.ReliefEvent: ("request", m.ReliefRequest, MATRIX[m.ReliefRequest]),
}

# Directory and catalogues: every member reads all of them; a user with no membership none.
EVERY_MEMBER_READS = (Agency, m.ServiceType, m.Indicator, m.VulnerabilityFactor, m.Statute)

# Memberships: the coordinator all; a supervisor its agency's; everyone else their own.
MEMBERSHIP_MODEL = Membership


# The audit trail: the change history of every model and the access log. The auditor reads
# its agency's rows, the task force's auditor and the coordinator every row, nobody else any;
# the coordinator never reads a victim-services private note, not even in its history.
def _audit_models() -> list[type]:
    from audit.models import AccessLog
    from audit.policy import history_models

    return [AccessLog, *history_models().values()]


# Under the policy but tested in their own modules (models of other apps register here).
TESTED_ELSEWHERE: dict[str, str] = {
    "agencies.User": "tests/test_user_scope.py",
    "agencies.EnrolmentCode": "tests/test_enrolment.py",
    # None in the persona world: the test makes a merge and a decision and checks every persona.
    "cases.PersonMerge": "tests/test_person_merge.py",
    "cases.NotSamePerson": "tests/test_person_merge.py",
    # Derived rows nobody reads; the person rule built on them in tests/test_person_access.py.
    "cases.PersonAccess": "tests/test_person_access.py",
    # A user's own rows (own_rows_rule), and the send_reminders lease nobody reads.
    "notifications.Notification": "tests/test_notifications_access.py",
    "notifications.Reminder": "tests/test_notifications_access.py",
    "notifications.OutboxEmail": "tests/test_notifications_access.py",
    "notifications.NotificationPreference": "tests/test_notifications_access.py",
    "notifications.SendLease": "tests/test_notifications_access.py",
}


def _resolve(records, name: str):
    obj = records
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _visible_ids(model, user) -> set[int]:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("model", list(MATRIX), ids=lambda model: model.__name__)
def test_persona_sees_exactly_the_table(world, model, persona):
    user = getattr(world.users, persona)
    expected = {_resolve(world.records, name).pk for name in MATRIX[model][persona]}
    assert _visible_ids(model, user) == expected


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("model", list(CHILD_MATRIX), ids=lambda model: model.__name__)
def test_children_are_visible_with_their_parent(world, model, persona):
    field, parent_model, table = CHILD_MATRIX[model]
    user = getattr(world.users, persona)
    parents = {_resolve(world.records, name).pk for name in table[persona]}
    expected = set(model.objects.filter(**{f"{field}_id__in": parents}).values_list("pk", flat=True))
    assert _visible_ids(model, user) == expected
    if parents:
        assert expected, "the world should hold children for this persona's parents"


@pytest.mark.parametrize("model", EVERY_MEMBER_READS, ids=lambda model: model.__name__)
def test_members_read_directory_and_catalogues_and_nobody_does_not(world, model):
    everything = set(model.objects.values_list("pk", flat=True))
    assert everything
    for persona in ALL_PERSONAS:
        expected = set() if persona == "nobody" else everything
        assert _visible_ids(model, getattr(world.users, persona)) == expected, persona


def test_memberships_coordinator_all_supervisor_own_agency_others_themselves(world):
    u, a = world.users, world.agencies
    assert _visible_ids(Membership, u.coordinator) == set(Membership.objects.values_list("pk", flat=True))
    assert _visible_ids(Membership, u.supervisor_sjpd) == set(
        Membership.objects.filter(agency=a.sjpd).values_list("pk", flat=True)
    )
    for persona in ("officer_sjpd", "advocate_harbor", "caseworker", "analyst", "tf_auditor"):
        user = getattr(u, persona)
        assert _visible_ids(Membership, user) == set(user.memberships.values_list("pk", flat=True)), persona
    assert _visible_ids(Membership, u.nobody) == set()


def test_every_model_has_an_entry():
    covered = (
        set(MATRIX)
        | set(CHILD_MATRIX)
        | set(EVERY_MEMBER_READS)
        | {MEMBERSHIP_MODEL}
        | set(_audit_models())
        | {apps.get_model(label) for label in TESTED_ELSEWHERE}
    )
    ruled = set(access._RULES)
    assert ruled - covered == set(), "models under the policy without an access-matrix entry"
    models = {model for model in own_models() if model._meta.model_name != "user"}
    assert models - covered == set(), "models without an access-matrix entry"


def test_the_system_administrator_sees_no_case_record(world):
    """A superuser keeps accounts and catalogues; the case records are not its to read (CJIS)."""
    sysadmin = world.users.sysadmin
    assert sysadmin.is_superuser and not sysadmin.memberships.exists()
    for model in list(MATRIX) + list(CHILD_MATRIX):
        assert model.objects.exists(), model.__name__
        assert _visible_ids(model, sysadmin) == set(), model.__name__
    assert not access.sees_detentions(sysadmin)


def test_the_system_administrator_keeps_accounts_directory_and_catalogues(world):
    sysadmin = world.users.sysadmin
    for model in (User, Membership, Agency, m.ServiceType, m.Indicator, m.VulnerabilityFactor):
        assert _visible_ids(model, sysadmin) == set(model.objects.values_list("pk", flat=True)), model.__name__


SYSADMIN_ONLY = ("user.manage", "catalogue.manage")
DIRECTORY_KEEPERS = ("agency.manage", "membership.manage", "membership.manage_all", "user.issue_enrolment")
CASE_ACTIONS = (
    "operation.add",
    "operation.choose_lead",
    "person.add",
    "referral.add",
    "custody.add",
    "report.view",
    "audit.view",
    "person_level.view",
)


def test_accounts_and_catalogues_are_the_system_administrators_alone(world):
    u = world.users
    for action in SYSADMIN_ONLY:
        assert access.can(u.sysadmin, action), action
        for persona in ALL_PERSONAS:
            if persona != "sysadmin":
                assert not access.can(getattr(u, persona), action), (persona, action)
    for action in DIRECTORY_KEEPERS:
        assert access.can(u.sysadmin, action) and access.can(u.coordinator, action), action


def test_the_system_administrator_takes_no_case_action(world):
    u, r = world.users, world.records
    for action in CASE_ACTIONS:
        assert not access.can(u.sysadmin, action), action
        assert access.can(u.coordinator, action), action
    on_records = (
        ("operation.change", r.op_sjpd),
        ("person.change", r.victim_sjpd.person),
        ("contact.add", r.op_sjpd),
        ("contact.change", r.victim_sjpd),
        ("serviceoffer.change", r.offer_sjpd),
        ("void", r.referral_sjpd),
        ("referral.acknowledge", r.referral_sjpd),
        ("custody.add_event", r.handoff_sjpd),
        ("detention.change", r.detention_sjpd),
        ("note.add", r.op_sjpd),
    )
    for action, obj in on_records:
        assert access.can(u.coordinator, action, obj), action
        assert not access.can(u.sysadmin, action, obj), action


def test_a_disabled_user_loses_everything_at_once(world):
    officer = world.users.officer_sjpd
    assert _visible_ids(m.Contact, officer)
    officer.is_active = False
    officer.save()
    officer.refresh_from_db()
    assert _visible_ids(m.Contact, officer) == set()
    assert _visible_ids(Agency, officer) == set()


@pytest.mark.parametrize("change", ["inactive", "ended", "agency_inactive"])
def test_an_ended_membership_loses_everything_at_once(world, change):
    from datetime import timedelta

    from django.utils import timezone

    from agencies.models import User

    officer = world.users.officer_sjpd
    membership = officer.memberships.get()
    if change == "inactive":
        membership.active = False
        membership.save()
    elif change == "ended":
        membership.start_date = timezone.localdate() - timedelta(days=30)
        membership.end_date = timezone.localdate() - timedelta(days=1)
        membership.save()
    else:
        Agency.objects.filter(pk=membership.agency_id).update(active=False)
    fresh = User.objects.get(pk=officer.pk)
    assert _visible_ids(m.Operation, fresh) == set()
    assert _visible_ids(m.Person, fresh) == set()


def test_an_advocate_gets_the_minimum_about_a_referred_person(world):
    person = world.records.victim_sjpd.person
    fields = access.person_fields(world.users.advocate_harbor, person)
    assert fields is not None
    assert {"reference", "legal_name", "age_group", "languages", "phone"} <= set(fields)
    assert not {"date_of_birth", "aliases", "citizenship", "vulnerabilities"} & set(fields)
    assert access.person_fields(world.users.officer_sjpd, person) is None
    assert access.person_fields(world.users.caseworker, world.records.child_contact.person) is None


def test_an_advocate_reads_only_the_briefing_of_an_operation(world):
    fields = access.operation_fields(world.users.advocate_harbor)
    assert "briefing_notes" in fields and "expected_victims" in fields
    assert "summary" not in fields
    assert access.operation_fields(world.users.officer_sjpd) is None


def test_only_law_enforcement_and_the_coordinator_see_detentions(world):
    u = world.users
    assert access.sees_detentions(u.officer_sjpd) and access.sees_detentions(u.coordinator)
    for persona in ("advocate_harbor", "caseworker", "analyst", "tf_auditor", "sysadmin", "nobody"):
        assert not access.sees_detentions(getattr(u, persona)), persona


def _agency_column(model) -> str:
    return "agency_id" if model._meta.model_name == "accesslog" else "history_agency_id"


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_the_audit_trail_is_scoped_like_every_other_record(world, persona):
    from audit.log import record_access
    from audit.models import Action

    u, r = world.users, world.records
    record_access(None, Action.PERSON_VIEW, obj=r.victim_sjpd.person, user=u.officer_sjpd)
    record_access(None, Action.PERSON_VIEW, obj=r.victim_kcpd.person, user=u.officer_kcpd)
    from cases import actions

    actions.update_record(u.officer_sjpd, r.op_sjpd, "operation.change")
    actions.create_record(
        u.advocate_harbor,
        m.Note(referral=r.referral_sjpd, agency=world.agencies.harbor, text="Private to Safe Harbor."),
        "note.add",
        r.referral_sjpd,
    )
    user = getattr(u, persona)
    for model in _audit_models():
        rows = model.objects.all()
        if persona in ("tf_auditor",):
            expected = rows
        elif persona == "coordinator":
            expected = rows.exclude(private=True) if model._meta.model_name == "historicalnote" else rows
        elif persona == "auditor_sjpd":
            expected = rows.filter(**{_agency_column(model): world.agencies.sjpd.pk})
        else:
            expected = rows.none()
        visible = set(access.scope(model.objects.all(), user).values_list("pk", flat=True))
        assert visible == set(expected.values_list("pk", flat=True)), model.__name__
