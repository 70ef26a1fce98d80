"""What each role may do: one entry per action, its rule and, beside it, the refusal a
person reads on the 403 page (or in the API's answer) when the rule says no.

`can(user, "referral.acknowledge", referral)` answers; `require(...)` raises
PermissionDenied with the action's refusal. `obj` must come from a `visible_to(user)`
queryset: these rules answer what a role may do with a record it can see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models

from agencies.models import Agency, AgencyKind, Membership

from ..models import (
    Contact,
    Investigation,
    InvestigationAgencyRole,
    InvestigationStatus,
    Operation,
    OperationStatus,
    Person,
    Referral,
    ReferralStatus,
    ReliefRequest,
    ReliefStatus,
)
from ..models.referrals import RECEIVER_ACTIONS, REFERRAL_TRANSITIONS, SENDER_ACTIONS
from ..models.relief import ANSWERING_ACTIONS, ASKING_ACTIONS, RELIEF_TRANSITIONS
from .viewer import ADVOCATE, ANALYST, AUDITOR, CASEWORKER, COORDINATOR, OFFICER, WORKING_SCOPES, Viewer, viewer_for


@dataclass(frozen=True)
class Action:
    """An action's rule and, in plain words, who may take it (shown when refused).

    The refusal may name the record: "{object.reference}", and for a referral "{status}".
    """

    rule: Callable[[Viewer, object], bool]
    refusal: str

    def __call__(self, v: Viewer, obj) -> bool:
        return self.rule(v, obj)


def _is_coordinator(v: Viewer) -> bool:
    return v.scope == COORDINATOR


def _participates(v: Viewer, operation: Operation | None) -> bool:
    if operation is None:
        return False
    return operation.participations.filter(agency_id=v.agency_id).exists()


def _open(operation: Operation | None) -> bool:
    return operation is None or (operation.status != OperationStatus.CLOSED and not operation.is_voided)


def _records_in(v: Viewer, operation: Operation | None) -> bool:
    """May record contacts, custody and detentions in this operation (or as a walk-in)."""
    if not _open(operation):
        return False
    if _is_coordinator(v):
        return True
    if v.scope != OFFICER:
        return False
    return operation is None or _participates(v, operation)


def _referral_action(v: Viewer, action: str, referral: Referral) -> bool:
    if referral.is_voided or action not in referral.allowed_actions():
        return False
    if _is_coordinator(v):
        return True
    if action in SENDER_ACTIONS:
        return v.agency_id == referral.from_agency_id and v.scope in (OFFICER, ADVOCATE)
    if action in RECEIVER_ACTIONS:
        return v.agency_id == referral.to_agency_id and v.scope == ADVOCATE
    return False


def _can_void(v: Viewer, obj) -> bool:
    if obj is None or getattr(obj, "is_voided", True):
        return False
    if _is_coordinator(v):
        return True
    return v.is_supervisor and obj.owner_agency_id() == v.agency_id


def _can_override_consent(v: Viewer, referral) -> bool:
    if _is_coordinator(v) or v.is_supervisor:
        return True
    return bool(v.membership and v.membership.can_override_consent)


def _can_add_offer(v: Viewer, parent) -> bool:
    if isinstance(parent, Contact):
        return not parent.is_voided and _records_in(v, parent.operation)
    if isinstance(parent, Referral):
        if parent.is_voided:
            return False
        if _is_coordinator(v):
            return True
        receiving = v.scope == ADVOCATE and v.agency_id == parent.to_agency_id
        return receiving and parent.status in (
            ReferralStatus.ACKNOWLEDGED,
            ReferralStatus.ACCEPTED,
            ReferralStatus.IN_SERVICE,
        )
    return False


def _can_change_offer(v: Viewer, offer) -> bool:
    if offer is None or offer.is_voided:
        return False
    if _is_coordinator(v):
        return True
    return v.scope in (OFFICER, ADVOCATE) and v.agency_id in (offer.offered_by_id, offer.provider_id)


def _can_edit_offer(v: Viewer, offer) -> bool:
    """Correct the whole offer (service, time, answer): the agency that made it."""
    if offer is None or offer.is_voided:
        return False
    if _is_coordinator(v):
        return True
    return v.scope in (OFFICER, ADVOCATE) and v.agency_id == offer.offered_by_id


def _can_remove_participant(v: Viewer, operation) -> bool:
    """Agencies leave an operation while it is planned or under way, never afterwards:
    whoever took part in a concluded operation keeps seeing what they recorded in it."""
    if operation is None or operation.status not in (OperationStatus.PLANNED, OperationStatus.ACTIVE):
        return False
    return _can_change_operation(v, operation)


def _can_add_referral(v: Viewer, source) -> bool:
    """From a contact or a person; sent by an officer's or advocate's agency."""
    if _is_coordinator(v):
        return True
    if isinstance(source, Contact):
        return not source.is_voided and v.scope == OFFICER and _open(source.operation)
    return v.scope in (OFFICER, ADVOCATE)


def _can_add_custody(v: Viewer, source) -> bool:
    person = source.person if isinstance(source, Contact) else source
    if person is not None and not isinstance(person, Person):
        return False
    if person is not None and not person.is_minor:
        return False
    operation = source.operation if isinstance(source, Contact) else None
    return _records_in(v, operation)


def _can_acknowledge_custody(v: Viewer, handoff) -> bool:
    if handoff is None or handoff.is_voided or handoff.acknowledged_at or not handoff.handed_over_at:
        return False
    if _is_coordinator(v):
        return True
    return v.scope == CASEWORKER and v.agency_id == handoff.receiving_agency_id


def _can_hand_over(v: Viewer, handoff) -> bool:
    if handoff is None or handoff.is_voided or handoff.handed_over_at:
        return False
    if _is_coordinator(v):
        return True
    return v.scope == OFFICER and v.agency_id == handoff.custody_agency_id


def _can_add_custody_event(v: Viewer, handoff) -> bool:
    if handoff is None or handoff.is_voided:
        return False
    if _is_coordinator(v):
        return True
    if v.scope == CASEWORKER:
        return v.agency_id == handoff.receiving_agency_id
    return v.scope == OFFICER and v.agency_id == handoff.custody_agency_id


def _can_change_operation(v: Viewer, operation) -> bool:
    if operation is None or operation.is_voided:
        return False
    if _is_coordinator(v):
        return True
    return v.scope == OFFICER and v.agency_id == operation.lead_agency_id


def _can_add_operation(v: Viewer, _obj) -> bool:
    return _is_coordinator(v) or (
        v.scope == OFFICER and v.membership.agency.kind in (AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR)
    )


def _can_change_own_record(v: Viewer, obj) -> bool:
    if obj is None or obj.is_voided:
        return False
    if _is_coordinator(v):
        return True
    return v.scope == OFFICER and obj.owner_agency_id() == v.agency_id


def _can_add_note(v: Viewer, target) -> bool:
    if target is None or getattr(target, "is_voided", False):
        return False
    if _is_coordinator(v):
        return True
    if v.scope == OFFICER:
        return True
    if v.scope == ADVOCATE:
        return isinstance(target, (Referral, Person, Operation))
    if v.scope == CASEWORKER:
        return isinstance(target, Person)
    return False


def _manages_every_agency(v: Viewer, _obj=None) -> bool:
    """The directory's keepers: the coordinator and the system administrator."""
    return v.sysadmin or v.role == COORDINATOR


def _can_manage_memberships(v: Viewer, agency: Agency | None) -> bool:
    if _manages_every_agency(v):
        return True
    return v.is_supervisor and (agency is None or agency.pk == v.agency_id)


def _can_issue_enrolment(v: Viewer, target) -> bool:
    """Issue a two-step enrolment code (which also resets the user's device)."""
    if target is not None and target.is_superuser and not v.sysadmin:
        return False  # whoever could enrol a superuser's device would hold its keys
    if _manages_every_agency(v):
        return True
    if not v.is_supervisor:
        return False
    if target is None:
        return True
    if target.pk == v.user.pk:
        return False  # a second factor one grants oneself is no second factor
    return Membership.objects.current().filter(user=target, agency_id=v.agency_id).exclude(role=COORDINATOR).exists()


def _can_edit_person(v: Viewer, person) -> bool:
    if person is None or person.is_voided:
        return False
    if _is_coordinator(v):
        return True
    # Advocates only see the minimum of people they did not record.
    if v.scope == ADVOCATE:
        return person.created_by_agency_id == v.agency_id
    return v.scope in (OFFICER, CASEWORKER)


def _reviews_duplicates(v: Viewer, _obj=None) -> bool:
    """The coordinator and the supervisors: who answer for their agency's records."""
    return v.role == COORDINATOR or (v.is_supervisor and v.scope in (COORDINATOR, OFFICER, CASEWORKER))


def _can_merge_person(v: Viewer, person) -> bool:
    """On a record that is neither voided nor already merged; that the user sees both records
    and everything attached to them is checked by cases.merging (it needs both)."""
    if not _reviews_duplicates(v):
        return False
    return person is None or (isinstance(person, Person) and not person.is_voided and not person.is_merged)


def _can_change_investigation(v: Viewer, investigation) -> bool:
    """Its lead agency's officers and the coordinator, while it is not closed."""
    if investigation is None or investigation.status == InvestigationStatus.CLOSED:
        return False
    return _can_change_own_record(v, investigation)


def _can_reopen_investigation(v: Viewer, investigation) -> bool:
    if investigation is None or investigation.status != InvestigationStatus.CLOSED:
        return False
    return _can_change_own_record(v, investigation)


def _can_add_prosecution(v: Viewer, investigation) -> bool:
    """A prosecutor's office the investigation was referred to files charges in it."""
    if not isinstance(investigation, Investigation) or investigation.is_voided:
        return False
    if investigation.status == InvestigationStatus.CLOSED:
        return False
    if _is_coordinator(v):
        return True
    return (
        v.scope == OFFICER
        and v.membership.agency.kind == AgencyKind.PROSECUTOR
        and investigation.agencies.filter(agency_id=v.agency_id, role=InvestigationAgencyRole.PROSECUTION).exists()
    )


def _can_add_relief(v: Viewer, person) -> bool:
    """An advocate or legal-services agency asks, for a person it serves."""
    if person is not None and (not isinstance(person, Person) or person.is_voided):
        return False
    return _is_coordinator(v) or v.scope == ADVOCATE


def _can_change_relief(v: Viewer, request) -> bool:
    """The asking agency corrects its request until law enforcement has taken it up."""
    if request is None or request.is_voided or request.status != ReliefStatus.REQUESTED:
        return False
    return _is_coordinator(v) or (v.scope == ADVOCATE and v.agency_id == request.requested_by_agency_id)


def _relief_action(v: Viewer, action: str, request: ReliefRequest) -> bool:
    if request.is_voided or action not in request.allowed_actions():
        return False
    if _is_coordinator(v):
        return True
    if action in ANSWERING_ACTIONS:
        return v.scope == OFFICER and v.agency_id == request.requested_of_agency_id
    if action in ASKING_ACTIONS:
        return v.scope == ADVOCATE and v.agency_id == request.requested_by_agency_id
    return False


ACTIONS: dict[str, Action] = {
    "operation.add": Action(
        _can_add_operation,
        "Only officers of a law-enforcement agency or prosecutor, and the task-force coordinator, can plan operations.",
    ),
    "operation.change": Action(
        _can_change_operation,
        "Only the lead agency's officers and the task-force coordinator can change this operation, "
        "and not once it is closed.",
    ),
    "operation.choose_lead": Action(
        lambda v, _o: _is_coordinator(v), "Only the task-force coordinator can choose another agency as lead."
    ),
    "operation.remove_participant": Action(
        _can_remove_participant,
        "Only the lead agency's officers and the task-force coordinator can remove an agency, "
        "and only while the operation is planned or under way.",
    ),
    "person.add": Action(
        lambda v, _o: _is_coordinator(v) or v.scope in (OFFICER, ADVOCATE, CASEWORKER),
        "Only officers, advocates, caseworkers and the coordinator can record people.",
    ),
    "person.change": Action(
        _can_edit_person,
        "Only officers, caseworkers, the coordinator, or the advocate agency that recorded the person can edit it.",
    ),
    "person.review_duplicates": Action(
        _reviews_duplicates,
        "Only supervisors and the task-force coordinator review possible duplicate records.",
    ),
    "person.merge": Action(
        _can_merge_person,
        "Only supervisors and the task-force coordinator merge records, and never a voided or merged-away one.",
    ),
    "person.unmerge": Action(
        lambda v, merge: v.role == COORDINATOR and (merge is None or not merge.is_undone),
        "Only the task-force coordinator undoes a merge, and a merge is undone once.",
    ),
    "contact.add": Action(
        lambda v, op: _records_in(v, op),
        "Only officers of an agency taking part in the operation, and the coordinator, can record contacts; "
        "closed operations take no new records.",
    ),
    "contact.change": Action(
        _can_change_own_record, "Only the contacting agency's officers and the coordinator can edit this contact."
    ),
    "serviceoffer.add": Action(
        _can_add_offer,
        "Only officers recording the contact (or the receiving advocates of a referral) and the coordinator "
        "can record service offers.",
    ),
    "serviceoffer.change": Action(
        _can_change_offer, "Only the agency that offered or provides the service can change the answer."
    ),
    "serviceoffer.edit": Action(
        _can_edit_offer,
        "Only the agency that made the offer, and the coordinator, can correct it; a voided offer is not changed.",
    ),
    "referral.add": Action(
        _can_add_referral,
        "Only officers and advocates, and the coordinator, make referrals; from a contact, only officers, "
        "and not once its operation is closed.",
    ),
    "referral.change": Action(
        lambda v, r: (
            r is not None
            and r.status == ReferralStatus.DRAFT
            and not r.is_voided
            and (_is_coordinator(v) or v.agency_id == r.from_agency_id)
        ),
        "Only the sending agency and the coordinator can change a referral, and only while it is a draft.",
    ),
    "referral.override_consent": Action(
        _can_override_consent,
        "Only supervisors, the coordinator, and staff given the right can send a referral without consent.",
    ),
    "custody.add": Action(
        _can_add_custody,
        "Only officers of an agency taking part in the operation, and the coordinator, record protective custody, "
        "and only of a minor; closed operations take no new records.",
    ),
    "custody.hand_over": Action(
        _can_hand_over,
        "Only officers of the agency that took the child into custody, or the coordinator, record the hand-over, "
        "and only once.",
    ),
    "custody.acknowledge": Action(
        _can_acknowledge_custody,
        "Only caseworkers of the receiving child-welfare agency, or the coordinator, acknowledge receipt, "
        "once the child has been handed over.",
    ),
    "custody.add_event": Action(
        _can_add_custody_event,
        "Only the receiving child-welfare agency, the officers of the agency that took custody, and the "
        "coordinator add to the chain of custody, and not to a voided hand-off.",
    ),
    # A hand-off is corrected by its custody agency until received.
    "custody.change": Action(
        lambda v, h: (
            h is not None
            and not h.is_voided
            and (
                _is_coordinator(v)
                or (v.scope == OFFICER and v.agency_id == h.custody_agency_id and not h.acknowledged_at)
            )
        ),
        "Only officers of the agency that took custody, until the receiving agency acknowledges it, "
        "and the coordinator can change a hand-off.",
    ),
    "detention.add": Action(
        lambda v, source: _records_in(v, source.operation if isinstance(source, Contact) else None),
        "Only officers of an agency taking part in the operation, and the coordinator, record detentions; "
        "closed operations take no new records.",
    ),
    "detention.change": Action(
        _can_change_own_record,
        "Only the detaining agency's officers and the coordinator can edit this detention; a voided one is not changed.",
    ),
    "investigation.add": Action(
        _can_add_operation,
        "Only officers of a law-enforcement agency or prosecutor, and the task-force coordinator, open investigations.",
    ),
    "investigation.change": Action(
        _can_change_investigation,
        "Only the lead agency's officers and the task-force coordinator change an investigation (its people, "
        "operations, agencies, arrests and status, linking or unlinking them), and not once it is closed or voided.",
    ),
    "investigation.reopen": Action(
        _can_reopen_investigation,
        "Only the lead agency's officers and the task-force coordinator reopen a closed investigation.",
    ),
    "prosecution.add": Action(
        _can_add_prosecution,
        "Only the prosecutors the investigation was referred to, and the task-force coordinator, file a prosecution; "
        "a closed investigation takes none.",
    ),
    "prosecution.change": Action(
        _can_change_own_record,
        "Only the prosecuting agency's staff and the task-force coordinator change a prosecution, its counts, "
        "sentences and court dates; a voided one is not changed.",
    ),
    "relief.add": Action(
        _can_add_relief,
        "Only advocates and legal-services staff, and the task-force coordinator, request immigration relief.",
    ),
    "relief.change": Action(
        _can_change_relief,
        "Only the agency that asked, and the task-force coordinator, correct a relief request, and only until "
        "law enforcement has taken it up.",
    ),
    "note.add": Action(
        _can_add_note,
        "Officers and the coordinator add notes to the records they see; advocates to referrals, people and "
        "operations; caseworkers to people.",
    ),
    "void": Action(_can_void, "Only a supervisor of the agency that owns the record, or the coordinator, can void it."),
    "membership.manage": Action(
        _can_manage_memberships,
        "Only the agency's supervisor, the task-force coordinator and the system administrator manage memberships.",
    ),
    # Any agency's memberships, the coordinator role included (a supervisor: its own agency's).
    "membership.manage_all": Action(
        _manages_every_agency,
        "Only the task-force coordinator and the system administrator manage every agency's memberships "
        "and grant the coordinator role.",
    ),
    "agency.manage": Action(
        _manages_every_agency, "Only the task-force coordinator and the system administrator keep the agency directory."
    ),
    # Admin-only upkeep: user accounts (logins, passwords) and the editable catalogues are
    # the system administrator's alone, kept apart from the case records (CJIS separation
    # of duties).
    "catalogue.manage": Action(lambda v, _o: v.sysadmin, "Only the system administrator edits the catalogues."),
    "user.manage": Action(lambda v, _o: v.sysadmin, "Only the system administrator creates and edits user accounts."),
    # Two-step enrolment codes: the coordinator and the system administrator for anyone
    # (a superuser only by the system administrator), a supervisor for its own staff.
    "user.issue_enrolment": Action(
        _can_issue_enrolment,
        "Only the system administrator, the task-force coordinator, and a supervisor for its own staff reset "
        "two-step sign-in; nobody resets their own.",
    ),
    # Everyone but the auditor reads reports, each within its own scope; the analyst
    # reads the whole task force's, with small counts suppressed.
    "report.view": Action(
        lambda v, _o: v.role is not None and v.role != AUDITOR, "Reports are for every role except auditors."
    ),
    "report.suppressed": Action(
        lambda v, _o: v.role == ANALYST, "Only analysts read reports with small counts suppressed."
    ),
    # The investigation-level export for the Human Trafficking Reporting System (HTRS):
    # one row per investigation, suspect, arrest and count, so for those who see
    # investigations (officers and prosecutors within their agency's, the coordinator all
    # of them); the analyst reads aggregates only.
    "report.htrs": Action(
        lambda v, _o: v.scope in (COORDINATOR, OFFICER),
        "The investigation export (HTRS) is for officers, prosecutors and the task-force coordinator; "
        "analysts read the aggregate reports.",
    ),
    # The auditors read the trail, and the coordinator; the system administrator does not
    # (it would read the history of the case records it may not see).
    "audit.view": Action(
        lambda v, _o: v.role in (AUDITOR, COORDINATOR),
        "The audit trail is for auditors and the task-force coordinator.",
    ),
    # Notifications (and their e-mail preference) are every member's own; the system
    # administrator, told of no case record, has none.
    "notification.view": Action(lambda v, _o: True, "Notifications are for staff with a role in an agency."),
    # Tasks and follows: anyone who works on case records, on a record (task) they can see.
    "task.add": Action(
        lambda v, _o: v.scope in WORKING_SCOPES,
        "Tasks are for officers, advocates, caseworkers, supervisors and the coordinator.",
    ),
    "task.change": Action(
        lambda v, task: v.scope in WORKING_SCOPES and task is not None and task.is_open,
        "Only an open task can be changed, done or cancelled, by the staff who hold it.",
    ),
    "follow.add": Action(
        lambda v, _o: v.scope in WORKING_SCOPES,
        "Following records is for officers, advocates, caseworkers, supervisors and the coordinator.",
    ),
    "person_level.view": Action(
        lambda v, _o: v.scope in WORKING_SCOPES,
        "Person-level records are for officers, advocates, caseworkers and the coordinator. "
        "Analysts see aggregate reports; auditors see the audit trail.",
    ),
}

# The steps of a referral ("referral.acknowledge", "referral.send"…), one rule for them all.
REFERRAL_STEP_REFUSAL = (
    "Referral {object.reference} is {status}. Only the receiving agency's advocates acknowledge, accept, "
    "decline, start service and close a referral; only the sending agency sends or revokes it; the "
    "coordinator may do either. Each step is only possible from the right status, and never on a voided referral."
)

RELIEF_STEP_REFUSAL = (
    "Relief request {object.reference} is {status}. Only the law-enforcement agency asked reviews, signs or "
    "grants, declines and marks it expired; only the agency that asked renews or withdraws it; the coordinator "
    "may do either. Each step is only possible from the right status, and never on a voided request."
)

# What a system administrator may do without a membership: keep accounts, directory and
# catalogues. Every other action, every case action included, answers no (403).
SYSADMIN_ACTIONS = frozenset(
    {
        "user.manage",
        "user.issue_enrolment",
        "catalogue.manage",
        "agency.manage",
        "membership.manage",
        "membership.manage_all",
    }
)


def _action(action: str) -> Action | None:
    if action in ACTIONS:
        return ACTIONS[action]
    model_name, _, verb = action.partition(".")
    if model_name == "referral" and verb in REFERRAL_TRANSITIONS:
        return Action(lambda v, obj: obj is not None and _referral_action(v, verb, obj), REFERRAL_STEP_REFUSAL)
    if model_name == "relief" and verb in RELIEF_TRANSITIONS:
        return Action(lambda v, obj: obj is not None and _relief_action(v, verb, obj), RELIEF_STEP_REFUSAL)
    return None


def can(user, action: str, obj: models.Model | None = None) -> bool:
    """May the user take this action (on this record)?

    `obj` must come from a `visible_to(user)` queryset; this answers what the role
    may do with a record it can see.
    """
    v = viewer_for(user)
    rule = _action(action)
    if rule is None:
        raise ImproperlyConfigured(f"Unknown action {action!r}; add it to cases/access/actions.py.")
    if v.membership is None and not (v.sysadmin and action in SYSADMIN_ACTIONS):
        return False
    return rule(v, obj)


def refusal(action: str, obj: models.Model | None = None) -> str:
    """Who may take the action, in words, for the person it was refused to."""
    rule = _action(action)
    if rule is None:
        raise ImproperlyConfigured(f"Unknown action {action!r}; add it to cases/access/actions.py.")
    if "{" not in rule.refusal:
        return rule.refusal
    if obj is None:  # the sentence naming the record goes
        return rule.refusal.split(". ", 1)[1]
    status = "void" if getattr(obj, "is_voided", False) else obj.get_status_display().lower()
    return rule.refusal.format(object=obj, status=status)


def require(user, action: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied (403), with the action's refusal, when the role lacks the action."""
    if not can(user, action, obj):
        raise PermissionDenied(refusal(action, obj))
