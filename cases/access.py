"""THE access policy: who may see which records and who may do what.

Every path into the data goes through here: `Model.objects.visible_to(user)` calls
`scope()`, and buttons, forms, the API and the admin call `can()`. The rules follow
the table in DESIGN.md:

coordinator  everything in the task force except victim-services private notes
supervisor   what the working staff of its agency see, and voids its agency's records
officer      operations its agency takes part in and everything recorded in them,
             plus what its own agency recorded elsewhere
advocate     referrals sent to its agency and the minimum about each referred person;
             the briefing of operations its agency takes part in; never detentions
caseworker   custody hand-offs to its agency and the children in them
analyst      aggregate reports only
auditor      the audit trail of its agency (the task force's auditor: all)

The system administrator (an active Django superuser) keeps user accounts, the agency
directory, memberships and the catalogues, and sees no case record, report or audit
row: least privilege, as CJIS asks. The superuser flag grants no case access at all;
a superuser who also held a membership would see only what that role sees.

Records outside a user's scope are simply absent, so views answer 404 for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q

from agencies.models import Agency, AgencyKind, Membership, Role, User
from agencies.roles import membership_of, scope_role

from .models import (
    Charge,
    Contact,
    CustodyEvent,
    CustodyHandoff,
    Detention,
    Indicator,
    Location,
    Note,
    Operation,
    OperationStatus,
    Participation,
    Person,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ServiceOffer,
    ServiceType,
    VulnerabilityFactor,
)
from .models.referrals import RECEIVER_ACTIONS, REFERRAL_TRANSITIONS, SENDER_ACTIONS

COORDINATOR, OFFICER, ADVOCATE, CASEWORKER = Role.COORDINATOR, Role.OFFICER, Role.ADVOCATE, Role.CASEWORKER
ANALYST, AUDITOR, SUPERVISOR = Role.ANALYST, Role.AUDITOR, Role.SUPERVISOR


class OutOfScope(PermissionDenied):
    """A write would leave the record outside its writer's view; it is rolled back."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the policy sees them."""

    user: object
    membership: Membership | None
    sysadmin: bool = False

    @property
    def agency_id(self) -> int | None:
        return self.membership.agency_id if self.membership else None

    @property
    def role(self) -> str | None:
        """The role held; a supervisor is a supervisor here."""
        return self.membership.role if self.membership else None

    @property
    def scope(self) -> str | None:
        """The role whose visibility applies; a supervisor sees as its staff."""
        return scope_role(self.membership)

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR

    @property
    def is_task_force_auditor(self) -> bool:
        return self.role == AUDITOR and self.membership.agency.kind == AgencyKind.TASK_FORCE


def viewer_for(user) -> Viewer:
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return Viewer(user, membership_of(user), sysadmin=True)
    return Viewer(user, membership_of(user))


# --- visibility --------------------------------------------------------------


def _participating_operations(agency_id: int):
    return Participation.objects.filter(agency_id=agency_id).values("operation_id")


def _sent(agency_id: int) -> Q:
    """Referrals to an agency, once they have been sent (drafts stay with the sender)."""
    return Q(to_agency_id=agency_id) & ~Q(status=ReferralStatus.DRAFT)


def _operations(qs, v: Viewer):
    if v.scope in (OFFICER, ADVOCATE):
        return qs.filter(id__in=_participating_operations(v.agency_id))
    return qs.none()


def _locations(qs, v: Viewer):
    # Locations are investigative detail: not part of a service provider's briefing.
    if v.scope == OFFICER:
        return qs.filter(operation_id__in=_participating_operations(v.agency_id))
    return qs.none()


def _participations(qs, v: Viewer):
    if v.scope in (OFFICER, ADVOCATE):
        return qs.filter(operation_id__in=_participating_operations(v.agency_id))
    return qs.none()


def _officer_contacts(agency_id: int) -> Q:
    return Q(operation_id__in=_participating_operations(agency_id)) | Q(agency_id=agency_id)


def _contacts(qs, v: Viewer):
    if v.scope == OFFICER:
        return qs.filter(_officer_contacts(v.agency_id))
    return qs.none()


def _people(qs, v: Viewer):
    a = v.agency_id
    own = Q(created_by_agency_id=a)
    if v.scope == OFFICER:
        # Each way in checked on the person's own rows (EXISTS on indexed person_id), so a
        # page or a name search reads only the people it shows. As sets (IN or UNION) every
        # contact of a statewide agency was gathered first, for any page of people, however
        # short (figures in docs/PERFORMANCE.md).
        person = OuterRef("pk")
        return qs.filter(
            own
            | Exists(Contact.objects.filter(person_id=person).filter(_officer_contacts(a)))
            | Exists(Referral.objects.filter(person_id=person, from_agency_id=a))
            | Exists(CustodyHandoff.objects.filter(person_id=person, custody_agency_id=a))
            | Exists(Detention.objects.filter(person_id=person, agency_id=a))
        )
    if v.scope == ADVOCATE:
        return qs.filter(own | Q(id__in=Referral.objects.filter(_sent(a) | Q(from_agency_id=a)).values("person_id")))
    if v.scope == CASEWORKER:
        return qs.filter(own | Q(id__in=CustodyHandoff.objects.filter(receiving_agency_id=a).values("person_id")))
    return qs.none()


def _in_participating_operations(agency_id: int) -> Q:
    """Out of a contact made in one of the agency's operations.

    Tested on the operation the row stores from its contact (OperationOfContact): a
    newest-first page tests each row against the agency's operations (a few hundred ids,
    hashed) without looking its contact up. As `contact_id IN (every contact of those
    operations)` PostgreSQL built the whole set first (every contact of the busiest
    agency); as EXISTS on the contact it probed the contacts once per row read (figures in
    docs/PERFORMANCE.md).
    """
    return Q(operation_id__in=_participating_operations(agency_id))


def _officer_referrals(agency_id: int) -> Q:
    # Sent or received by the agency, or out of a contact in one of its operations.
    return Q(from_agency_id=agency_id) | _sent(agency_id) | _in_participating_operations(agency_id)


def _referrals(qs, v: Viewer):
    if v.scope == OFFICER:
        return qs.filter(_officer_referrals(v.agency_id))
    if v.scope == ADVOCATE:
        return qs.filter(_sent(v.agency_id) | Q(from_agency_id=v.agency_id))
    return qs.none()


def _service_offers(qs, v: Viewer):
    a = v.agency_id
    if v.scope == OFFICER:
        # Checked row by row against the offer's own contact and referral (EXISTS on their
        # primary keys): as IN-subqueries under an OR, PostgreSQL built the agency's whole
        # set of contacts (more than it would hash) for every page, even one person's
        # (figures in docs/PERFORMANCE.md).
        return qs.filter(
            Q(offered_by_id=a)
            | Exists(Contact.objects.filter(pk=OuterRef("contact_id")).filter(_officer_contacts(a)))
            | Exists(Referral.objects.filter(pk=OuterRef("referral_id")).filter(_officer_referrals(a)))
        )
    if v.scope == ADVOCATE:
        return qs.filter(
            Q(offered_by_id=a) | Q(provider_id=a) | Q(referral_id__in=Referral.objects.filter(_sent(a)).values("id"))
        )
    return qs.none()


def _officer_handoffs(agency_id: int) -> Q:
    return Q(custody_agency_id=agency_id) | Q(operation_id__in=_participating_operations(agency_id))


def _handoffs(qs, v: Viewer):
    if v.scope == OFFICER:
        return qs.filter(_officer_handoffs(v.agency_id))
    if v.scope == CASEWORKER:
        return qs.filter(receiving_agency_id=v.agency_id)
    return qs.none()


def _officer_detentions(agency_id: int) -> Q:
    # Made by the agency, or of a contact in one of its operations (checked as for referrals).
    return Q(agency_id=agency_id) | _in_participating_operations(agency_id)


def _detentions(qs, v: Viewer):
    if v.scope == OFFICER:
        return qs.filter(_officer_detentions(v.agency_id))
    return qs.none()


def _within(parent_model: type[models.Model], field: str) -> Callable:
    """Children are visible exactly when their parent record is."""

    def rule(qs, v: Viewer):
        if v.scope == COORDINATOR:
            return qs
        parents = _RULES[parent_model](parent_model.objects.all(), v)
        return qs.filter(**{f"{field}__in": parents.values("id")})

    rule.parent_model = parent_model  # what prefetch_children relies on
    return rule


def _notes(qs, v: Viewer):
    a = v.agency_id
    own_or_shared = Q(agency_id=a) | Q(private=False)
    if v.scope == COORDINATOR:
        return qs.filter(own_or_shared)
    visible_ops = _operations(Operation.objects.all(), v).values("id")
    visible_people = _people(Person.objects.all(), v).values("id")
    visible_referrals = _referrals(Referral.objects.all(), v).values("id")
    on_visible = (
        Q(operation_id__in=visible_ops) | Q(person_id__in=visible_people) | Q(referral_id__in=visible_referrals)
    )
    if v.scope == OFFICER:
        return qs.filter(on_visible & own_or_shared)
    if v.scope == ADVOCATE:
        # Investigators' notes on people and operations are not for service providers;
        # notes on a shared referral are.
        return qs.filter(on_visible & (Q(agency_id=a) | Q(referral_id__in=visible_referrals, private=False)))
    if v.scope == CASEWORKER:
        return qs.filter(on_visible & Q(agency_id=a))
    return qs.none()


def _memberships(qs, v: Viewer):
    if v.scope == COORDINATOR and v.role == COORDINATOR:
        return qs
    if v.is_supervisor:
        return qs.filter(Q(agency_id=v.agency_id) | Q(user=v.user))
    return qs.filter(user=v.user)


def _users(qs, v: Viewer):
    # A supervisor sees the accounts that ever belonged to its agency, and new accounts
    # never placed in any agency (so it can take on a recruit), not every account
    # without a current place: former staff of other agencies stay out of its sight,
    # and so do the system administrators (no recruits, and never the supervisor's to manage).
    if v.role == COORDINATOR:
        return qs
    if v.is_supervisor:
        ever_placed = Membership.objects.values("user_id")
        own_staff = Membership.objects.filter(agency_id=v.agency_id).values("user_id")
        recruits = ~Q(pk__in=ever_placed) & Q(is_superuser=False)
        return qs.filter(Q(pk__in=own_staff) | Q(pk=v.user.pk) | recruits)
    return qs.filter(pk=v.user.pk)


def _everything(qs, v: Viewer):
    return qs


_CASE_RULES: dict[type[models.Model], Callable] = {
    Operation: _operations,
    Location: _locations,
    Participation: _participations,
    Person: _people,
    Contact: _contacts,
    ServiceOffer: _service_offers,
    Referral: _referrals,
    CustodyHandoff: _handoffs,
    Detention: _detentions,
    Note: _notes,
}

_RULES: dict[type[models.Model], Callable] = {
    **_CASE_RULES,
    ReferralEvent: _within(Referral, "referral_id"),
    CustodyEvent: _within(CustodyHandoff, "handoff_id"),
    Charge: _within(Detention, "detention_id"),
    Membership: _memberships,
    User: _users,
    # Directory and catalogues: every member may read them (dropdowns, report filters).
    Agency: _everything,
    ServiceType: _everything,
    Indicator: _everything,
    VulnerabilityFactor: _everything,
}

RULED_MODELS = frozenset(_RULES)

# All the system administrator sees: the accounts, the directory and the catalogues.
# Enrolment codes follow the accounts (agencies.models); case records, reports and the
# audit trail are not among them.
SYSADMIN_MODELS = frozenset({User, Membership, Agency, ServiceType, Indicator, VulnerabilityFactor})


def register(model: type[models.Model], rule: Callable) -> None:
    """Let another app put its model under the policy (the audit trail does)."""
    _RULES[model] = rule


def prefetch_children(model: type[models.Model], user) -> models.QuerySet:
    """Events or charges to prefetch under parents already narrowed by `visible_to`.

    Only for `Prefetch(...)` on a queryset of referrals, hand-offs or detentions that went
    through `visible_to(user)`. A child is visible exactly when its parent is (`_within`),
    so under visible parents no test of its own is needed; the test would make PostgreSQL
    gather every parent the user may see before reading one page's children, a cost that
    grows with the user's scope rather than with the page (figures in docs/PERFORMANCE.md).
    """
    if getattr(_RULES.get(model), "parent_model", None) is None:  # not a _within rule
        raise ImproperlyConfigured(f"{model.__name__} is not a child record; use visible_to.")
    v = viewer_for(user)
    return model.objects.all() if v.membership is not None else model.objects.none()


def scope(qs: models.QuerySet, user) -> models.QuerySet:
    """Narrow a queryset to what the user may see."""
    rule = _RULES.get(qs.model)
    if rule is None:
        raise ImproperlyConfigured(f"No access rule for {qs.model.__name__}; add one to cases/access.py.")
    v = viewer_for(user)
    if v.sysadmin and qs.model in SYSADMIN_MODELS:
        return qs
    if v.membership is None:
        return qs.none()
    if v.scope == COORDINATOR and qs.model in _CASE_RULES and qs.model is not Note:
        return qs
    return rule(qs, v)


def is_visible(user, obj: models.Model) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def ensure_visible(user, obj: models.Model) -> None:
    """Call after a write, inside its transaction: a record its writer can't see is refused."""
    if not is_visible(user, obj):
        raise OutOfScope("You cannot save a record you would not be allowed to see.")


# --- what each role may see of a record ------------------------------------

# The minimum an advocate learns about a referred person (DESIGN.md).
PERSON_MINIMUM_FIELDS = (
    "reference",
    "legal_name",
    "age_group",
    "is_minor",
    "languages",
    "interpreter_needed",
    "phone",
    "email",
    "safe_contact_notes",
)
# What a service provider learns of an operation: the briefing, no investigative detail.
OPERATION_BRIEFING_FIELDS = (
    "code",
    "name",
    "kind",
    "trafficking_type",
    "status",
    "starts_at",
    "ends_at",
    "lead_agency",
    "expected_victims",
    "expected_genders",
    "expected_languages",
    "minors_expected",
    "briefing_notes",
)


def person_disclosure(user, person: Person | None = None) -> str:
    """ "full" or "minimum": how much of a person's record the user may see."""
    v = viewer_for(user)
    if v.scope != ADVOCATE:
        return "full"
    if person is not None and person.created_by_agency_id == v.agency_id:
        return "full"
    return "minimum"


def person_fields(user, person: Person | None = None) -> tuple[str, ...] | None:
    """The Person fields the user may read, or None for all of them."""
    return PERSON_MINIMUM_FIELDS if person_disclosure(user, person) == "minimum" else None


def operation_fields(user) -> tuple[str, ...] | None:
    """The Operation fields the user may read, or None for all of them."""
    v = viewer_for(user)
    if v.scope == ADVOCATE:
        return OPERATION_BRIEFING_FIELDS
    return None


def sees_detentions(user) -> bool:
    v = viewer_for(user)
    return v.scope in (COORDINATOR, OFFICER)


# --- actions -----------------------------------------------------------------


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


def can(user, action: str, obj: models.Model | None = None) -> bool:
    """May the user take this action (on this record)?

    `obj` must come from a `visible_to(user)` queryset; this answers what the role
    may do with a record it can see.
    """
    v = viewer_for(user)
    if v.membership is None and not (v.sysadmin and action in SYSADMIN_ACTIONS):
        return False
    if action in ACTIONS:
        return ACTIONS[action](v, obj)
    model_name, _, verb = action.partition(".")
    if model_name == "referral" and verb in REFERRAL_TRANSITIONS:
        return obj is not None and _referral_action(v, verb, obj)
    raise ImproperlyConfigured(f"Unknown action {action!r}; add it to cases/access.py.")


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


ACTIONS: dict[str, Callable[[Viewer, object], bool]] = {
    "operation.add": _can_add_operation,
    "operation.change": _can_change_operation,
    "operation.choose_lead": lambda v, _o: _is_coordinator(v),
    "operation.remove_participant": _can_remove_participant,
    "person.add": lambda v, _o: _is_coordinator(v) or v.scope in (OFFICER, ADVOCATE, CASEWORKER),
    "person.change": _can_edit_person,
    "contact.add": lambda v, op: _records_in(v, op),
    "contact.change": _can_change_own_record,
    "serviceoffer.add": _can_add_offer,
    "serviceoffer.change": _can_change_offer,
    "serviceoffer.edit": _can_edit_offer,
    "referral.add": _can_add_referral,
    "referral.change": lambda v, r: (
        r is not None
        and r.status == ReferralStatus.DRAFT
        and not r.is_voided
        and (_is_coordinator(v) or v.agency_id == r.from_agency_id)
    ),
    "referral.override_consent": _can_override_consent,
    "custody.add": _can_add_custody,
    "custody.hand_over": _can_hand_over,
    "custody.acknowledge": _can_acknowledge_custody,
    "custody.add_event": _can_add_custody_event,
    "detention.add": lambda v, source: _records_in(v, source.operation if isinstance(source, Contact) else None),
    "detention.change": _can_change_own_record,
    "note.add": _can_add_note,
    "void": _can_void,
    "membership.manage": _can_manage_memberships,
    # Any agency's memberships, the coordinator role included (a supervisor: its own agency's).
    "membership.manage_all": _manages_every_agency,
    "agency.manage": _manages_every_agency,
    # Admin-only upkeep: user accounts (logins, passwords) and the editable catalogues are
    # the system administrator's alone, kept apart from the case records (CJIS separation
    # of duties); a hand-off is corrected by its custody agency until received.
    "catalogue.manage": lambda v, _o: v.sysadmin,
    "user.manage": lambda v, _o: v.sysadmin,
    # Two-step enrolment codes: the coordinator and the system administrator for anyone
    # (a superuser only by the system administrator), a supervisor for its own staff.
    "user.issue_enrolment": _can_issue_enrolment,
    "custody.change": lambda v, h: (
        h is not None
        and not h.is_voided
        and (
            _is_coordinator(v) or (v.scope == OFFICER and v.agency_id == h.custody_agency_id and not h.acknowledged_at)
        )
    ),
    # Everyone but the auditor reads reports, each within its own scope; the analyst
    # reads the whole task force's, with small counts suppressed.
    "report.view": lambda v, _o: v.role is not None and v.role != AUDITOR,
    "report.suppressed": lambda v, _o: v.role == ANALYST,
    # The auditors read the trail, and the coordinator; the system administrator does not
    # (it would read the history of the case records it may not see).
    "audit.view": lambda v, _o: v.role in (AUDITOR, COORDINATOR),
    "person_level.view": lambda v, _o: v.scope in (COORDINATOR, OFFICER, ADVOCATE, CASEWORKER),
}

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


def require(user, action: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied (403) when the role lacks the action."""
    if not can(user, action, obj):
        raise PermissionDenied(f"Your role does not allow this ({action}).")
