"""Which records each viewer may see: one rule per model, and `scope()` that applies it.

Every model's default manager has `.visible_to(user)`, which calls `scope()`. A model
without a rule raises ImproperlyConfigured rather than showing everything.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery

from agencies.models import Agency, AgencyKind, Membership, User

from ..models import (
    Charge,
    Contact,
    Count,
    CourtEvent,
    CustodyEvent,
    CustodyHandoff,
    Detention,
    Indicator,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    Location,
    Note,
    NotSamePerson,
    Operation,
    Participation,
    Person,
    PersonAccess,
    PersonMerge,
    Prosecution,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ReliefEvent,
    ReliefRequest,
    ServiceOffer,
    ServiceType,
    Statute,
    VulnerabilityFactor,
)
from ..models.investigations import NOTIFIED_ROLES
from .viewer import (
    ADVOCATE,
    AUDITOR,
    CASEWORKER,
    COORDINATOR,
    OFFICER,
    SUPERVISOR,
    WORKING_SCOPES,
    OutOfScope,
    Viewer,
    scope_role,
    viewer_for,
)


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


def _agency_investigations(agency_id: int):
    """The investigations an agency leads, works on, or was referred for prosecution."""
    return InvestigationAgency.objects.filter(agency_id=agency_id).values("investigation_id")


def _clients(agency_id: int):
    """The people referred to an agency: a service provider's clients."""
    return Referral.objects.filter(_sent(agency_id)).values("person_id")


def _children_received(agency_id: int):
    return CustodyHandoff.objects.filter(receiving_agency_id=agency_id).values("person_id")


def _people(qs, v: Viewer):
    """The people the agency holds a record about, through the ways of the viewer's scope.

    The ways (made by the agency, contacted in its operations, referred, taken into custody,
    detained, named in its investigations…) are kept as rows (cases.models.PersonAccess, kept
    in step by cases/access/people_access.py, where each way is spelled out), so a page reads one
    index per person instead of a subplan per way and person: deriving them per row cost
    a subplan per way for every person an officer's page sorted by name read, and a
    sequential scan of every person for an advocate's home page (figures in docs/PERFORMANCE.md).
    """
    from .people_access import AccessWay

    if v.scope not in (OFFICER, ADVOCATE, CASEWORKER):
        return qs.none()
    ways = PersonAccess.objects.filter(agency_id=v.agency_id, way__in=[AccessWay.ANY, v.scope])
    if connections[qs.db].vendor == "postgresql" and (v.scope != OFFICER or _sees_few_people(v, ways)):
        # An advocate's or a caseworker's people are its clients, a few hundred among a
        # million, and most police departments' a few thousand: read them first (one index
        # range) instead of walking every person in the page's order and checking each,
        # which PostgreSQL prefers by its estimates (a town's officer, people by name: 18,663
        # people checked for 25, figures in docs/PERFORMANCE.md). A statewide agency sees so
        # many that the walk finds a page within a few hundred people, and the list would be
        # read and sorted whole.
        return qs.filter(_InList(F("pk"), Subquery(ways.values("person_id"))))
    return qs.filter(Exists(ways.filter(person_id=OuterRef("pk"))))


# Up to how many people an officer's agency is said to see few (read as a list first).
FEW_PEOPLE = 10_000


def _sees_few_people(v: Viewer, ways) -> bool:
    """Does the agency see fewer than FEW_PEOPLE people? Counted once per request (kept on the
    membership, loaded once per request) and only up to FEW_PEOPLE access rows."""
    membership = v.membership
    if not hasattr(membership, "_sees_few_people"):
        rows = ways.order_by().values("person_id")[:FEW_PEOPLE]
        membership._sees_few_people = rows.count() < FEW_PEOPLE
    return membership._sees_few_people


class _InList(Func):
    """`pk = ANY(ARRAY(subquery))` (PostgreSQL): the subquery is run once, as a list of ids."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = models.BooleanField()


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
    # Made by the agency, of a contact in one of its operations (checked as for referrals),
    # or linked to one of its investigations.
    return (
        Q(agency_id=agency_id)
        | _in_participating_operations(agency_id)
        | Q(investigation_id__in=_agency_investigations(agency_id))
    )


def _detentions(qs, v: Viewer):
    if v.scope == OFFICER:
        return qs.filter(_officer_detentions(v.agency_id))
    return qs.none()


# --- after the operation: investigations, prosecutions, court dates, relief ------


def _investigations(qs, v: Viewer):
    # Officers and prosecutors: those their agency leads, works on, or was referred.
    # Service providers and child welfare see none.
    if v.scope == OFFICER:
        return qs.filter(id__in=_agency_investigations(v.agency_id))
    return qs.none()


def _prosecutions(qs, v: Viewer):
    if v.scope == OFFICER:
        a = v.agency_id
        return qs.filter(Q(prosecuting_agency_id=a) | Q(investigation_id__in=_agency_investigations(a)))
    return qs.none()


def _notified_investigations(people):
    """Investigations in which one of these people is a victim or a witness."""
    return InvestigationPerson.objects.filter(role__in=NOTIFIED_ROLES, person_id__in=people).values("investigation_id")


def _court_events(qs, v: Viewer):
    """The prosecution team sees its court dates; an advocate those of its clients' cases,
    a caseworker those of the children it received (victim-witness notification: the
    page shows them the date, the kind and the court, nothing of the case)."""
    if v.scope == OFFICER:
        return qs.filter(prosecution_id__in=_prosecutions(Prosecution.objects.all(), v).values("id"))
    if v.scope == ADVOCATE:
        return qs.filter(_of_investigations(qs, _notified_investigations(_clients(v.agency_id))))
    if v.scope == CASEWORKER:
        return qs.filter(_of_investigations(qs, _notified_investigations(_children_received(v.agency_id))))
    return qs.none()


def _of_investigations(qs, investigations):
    """Court dates in these investigations' prosecutions.

    On PostgreSQL the investigations (of a few hundred clients) are read first, as a list:
    otherwise the home page walked every court date of the coming month and looked for a
    client of the agency among the people of each one's case (figures in docs/PERFORMANCE.md).
    """
    if connections[qs.db].vendor == "postgresql":
        return _InList(F("prosecution__investigation_id"), Subquery(investigations))
    return Q(prosecution__investigation_id__in=investigations)


def _relief_requests(qs, v: Viewer):
    a = v.agency_id
    asked_or_asking = Q(requested_of_agency_id=a) | Q(requested_by_agency_id=a)
    if v.scope == OFFICER:
        return qs.filter(asked_or_asking | Q(investigation_id__in=_agency_investigations(a)))
    if v.scope == ADVOCATE:
        return qs.filter(asked_or_asking | Q(person_id__in=_clients(a)))
    if v.scope == CASEWORKER:
        return qs.filter(person_id__in=_children_received(a))
    return qs.none()


def court_event_clients(user, prosecution_ids) -> dict[int, list[Person]]:
    """For each prosecution, the victims and witnesses of its case the user may see, in one query.

    A court date is shown to an advocate because a client of theirs is a victim or a
    witness in the case; the page names that client, and never the defendant, nor the
    investigation it went through to find them.
    """
    rows = (
        InvestigationPerson.objects.filter(
            role__in=NOTIFIED_ROLES,
            investigation__prosecutions__id__in=set(prosecution_ids),
            person_id__in=scope(Person.objects.all(), user).values("id"),
        )
        .annotate(prosecution_id=models.F("investigation__prosecutions__id"))
        .select_related("person")
        .order_by("person__reference")
    )
    clients: dict[int, list[Person]] = {}
    for row in rows:
        people = clients.setdefault(row.prosecution_id, [])
        if row.person not in people:
            people.append(row.person)
    return clients


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


def _person_merges(qs, v: Viewer):
    """A merge is seen with the record that remains (it holds everything the merge moved)."""
    return qs.filter(survivor_id__in=_people(Person.objects.all(), v).values("id"))


def _not_same_people(qs, v: Viewer):
    """A "not the same person" decision is seen by who sees both records, and only them."""
    people = _people(Person.objects.all(), v).values("id")
    return qs.filter(first_id__in=people, second_id__in=people)


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
    Investigation: _investigations,
    Prosecution: _prosecutions,
    CourtEvent: _court_events,
    ReliefRequest: _relief_requests,
    PersonMerge: _person_merges,
    NotSamePerson: _not_same_people,
}

_RULES: dict[type[models.Model], Callable] = {
    **_CASE_RULES,
    ReferralEvent: _within(Referral, "referral_id"),
    CustodyEvent: _within(CustodyHandoff, "handoff_id"),
    Charge: _within(Detention, "detention_id"),
    InvestigationAgency: _within(Investigation, "investigation_id"),
    InvestigationPerson: _within(Investigation, "investigation_id"),
    Count: _within(Prosecution, "prosecution_id"),
    ReliefEvent: _within(ReliefRequest, "request_id"),
    Membership: _memberships,
    User: _users,
    # Directory and catalogues: every member may read them (dropdowns, report filters).
    Agency: _everything,
    ServiceType: _everything,
    Indicator: _everything,
    VulnerabilityFactor: _everything,
    Statute: _everything,
}

RULED_MODELS = frozenset(_RULES)

# The directory and the catalogues: every row for every member, no per-row test needed.
OPEN_MODELS = frozenset(model for model, rule in _RULES.items() if rule is _everything)

# All the system administrator sees: the accounts, the directory and the catalogues.
# Enrolment codes follow the accounts (agencies.models); case records, reports and the
# audit trail are not among them.
SYSADMIN_MODELS = frozenset({User, Membership, Agency, ServiceType, Indicator, VulnerabilityFactor, Statute})


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
        raise ImproperlyConfigured(f"No access rule for {qs.model.__name__}; add one to cases/access/rules.py.")
    v = viewer_for(user)
    if v.sysadmin and qs.model in SYSADMIN_MODELS:
        return qs
    if v.membership is None:
        return qs.none()
    if _sees_every_row(v, qs.model):
        return qs
    return rule(qs, v)


def _sees_every_row(v: Viewer, model) -> bool:
    # The coordinator's view of the case records is the whole task force's, but for
    # victim-services private notes (the Note rule decides those).
    return model in OPEN_MODELS or (v.task_force_wide and model in _CASE_RULES and model is not Note)


def sees_every_row(user, model) -> bool:
    """Is every row of `model` visible to the user, so no row needs checking (API related ids)?"""
    return model in OPEN_MODELS or _sees_every_row(viewer_for(user), model)


def visible_ids(user, model, pks) -> set:
    """Which of these ids the user may see, in one query.

    On PostgreSQL each id is checked on its own (LATERAL … LIMIT 1): a rule written as
    `id IN (a UNION of every way in)` would otherwise be built whole for a page of fifty
    ids, at a cost that grows with the user's scope, not with the page (figures in
    docs/PERFORMANCE.md).
    """
    pks = sorted(pks)
    visible = model.objects.visible_to(user).order_by().values_list("pk")
    connection = connections[visible.db]
    if visible.query.is_empty():
        return set()
    if connection.vendor != "postgresql" or len(pks) < 2:
        return set(visible.filter(pk__in=pks).values_list("pk", flat=True))
    try:
        sql, params = visible.query.get_compiler(using=visible.db).as_sql()
    except EmptyResultSet:  # a rule that can match nothing (say, `id IN ()` for an auditor)
        return set()
    column = model._meta.pk.rel_db_type(connection)
    query = (
        f"SELECT wanted.id FROM unnest(%s::{column}[]) AS wanted(id), "
        f"LATERAL (SELECT 1 FROM ({sql}) AS visible(id) WHERE visible.id = wanted.id LIMIT 1) AS found"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [pks, *params])
        return {row[0] for row in cursor.fetchall()}


def is_visible(user, obj: models.Model) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def ensure_visible(user, obj: models.Model) -> None:
    """Call after a write, inside its transaction: a record its writer can't see is refused."""
    if not is_visible(user, obj):
        raise OutOfScope("You cannot save a record you would not be allowed to see.")


# --- tasks and follows (the work app's models, registered by work.apps) ------------


def _record_visible(qs, v: Viewer, fields=None) -> Q:
    """The row's record (one of its `RECORD_FIELDS` foreign keys, or of `fields`) is visible
    to the viewer.

    Checked row by row (EXISTS on the record's primary key): the rows are first narrowed
    to the viewer's own tasks or follows, a handful, so no record set is gathered whole.
    """
    if v.task_force_wide:
        return Q()
    visible = Q(pk__in=[])
    for name in fields or qs.model.RECORD_FIELDS:
        record_model = qs.model._meta.get_field(name).related_model
        visible |= Exists(scope(record_model.objects.filter(pk=OuterRef(f"{name}_id")), v.user))
    return visible


def _task_holders(v: Viewer) -> Q:
    """Whose tasks a viewer holds: its own, its agency's queue, the ones it gave out; a
    supervisor also those given to the current staff of its agency."""
    mine = Q(assigned_user_id=v.user.pk) | Q(assigned_agency_id=v.agency_id) | Q(created_by_id=v.user.pk)
    if v.is_supervisor:
        mine |= Q(assigned_user_id__in=Membership.objects.current().filter(agency_id=v.agency_id).values("user_id"))
    return mine


def task_rule(qs, v: Viewer, fields=None):
    """A task is seen by whoever may see its record AND holds it (`_task_holders`).

    The coordinator sees the task force's queue and its own tasks, not every agency's:
    a task is a work item of one agency, and a service provider's tasks carry the kind
    of detail its private notes do. Analysts and auditors hold none.
    """
    if v.scope not in WORKING_SCOPES:
        return qs.none()
    return qs.filter(_task_holders(v)).filter(_record_visible(qs, v, fields))


def follow_rule(qs, v: Viewer, fields=None):
    """A user's own follows, of records it may still see."""
    if v.scope not in WORKING_SCOPES:
        return qs.none()
    return qs.filter(user_id=v.user.pk).filter(_record_visible(qs, v, fields))


def scope_on_record(qs: models.QuerySet, user, record: models.Model) -> models.QuerySet:
    """The tasks or follows of one record that the user may see.

    The same rows as `scope(qs, user).filter(<record's field>=record)`, but the record's
    visibility is tested for its own kind alone rather than for each of the eight kinds a
    task may hang on: a record page's "Tasks" panel asks this on every page.
    """
    field = qs.model.field_for(record)
    qs = qs.filter(**{field: record})
    v = viewer_for(user)
    if v.membership is None:
        return qs.none()
    return _RULES[qs.model](qs, v, fields=(field,))


def task_queues(user) -> models.QuerySet:
    """The agencies whose queue a user may give a task to: its own; the coordinator any active agency."""
    v = viewer_for(user)
    if v.scope not in WORKING_SCOPES:
        return Agency.objects.none()
    if v.role == COORDINATOR:
        return Agency.objects.filter(active=True)
    return Agency.objects.filter(pk=v.agency_id)


# --- accounts offered in dropdowns --------------------------------------------


def choosable_users(user) -> models.QuerySet:
    """The accounts a user may pick in a dropdown (who recorded or handles a record).

    The directory's keepers (the coordinator and the system administrator) pick among
    all; a member among the current staff of its own agency; anyone else among none.
    """
    v = viewer_for(user)
    if v.sysadmin or v.role == COORDINATOR:
        return User.objects.all()
    if v.membership is None:
        return User.objects.none()
    return User.objects.filter(pk__in=Membership.objects.current().filter(agency_id=v.agency_id).values("user_id"))


def receiving_workers(agency_ids=None) -> models.QuerySet:
    """Who may receive a child for a child-welfare agency: its caseworkers and supervisors.

    Offered to the officer who records a hand-off: naming the worker is part of it.
    """
    memberships = Membership.objects.current().filter(
        agency__kind=AgencyKind.CHILD_WELFARE, role__in=[CASEWORKER, SUPERVISOR]
    )
    if agency_ids is not None:
        memberships = memberships.filter(agency_id__in=agency_ids)
    return User.objects.filter(id__in=memberships.values("user_id")).order_by("last_name", "first_name")


# --- the audit trail ------------------------------------------------------------


def audit_trail_rule(agency_field: str, hides_private: bool = False) -> Callable:
    """The rule of an audit table (registered by the audit app).

    auditor             rows written by or about its own agency's staff
    task-force auditor  every row
    coordinator         every row, but the history of victim-services private notes
    everyone else       none (the system administrator too: it reads no case history)
    """

    def rule(qs, v: Viewer):
        if v.is_task_force_auditor:
            return qs
        if v.role == COORDINATOR:
            # The coordinator never reads victim-services private notes, not even in history.
            return qs.exclude(private=True) if hides_private else qs
        if v.role == AUDITOR:
            return qs.filter(**{agency_field: v.agency_id})
        return qs.none()

    return rule


def own_rows_rule(user_field: str) -> Callable:
    """The rule of a user's own rows (registered by the exports and notifications apps).

    everyone with a current membership   the rows it asked for or that are addressed to
                                         it, whatever its role, the coordinator included:
                                         an export holds what its requester saw; a
                                         notification, its reminder, an e-mail in the
                                         outbox and an e-mail preference are the
                                         addressee's alone
    everyone else                        none (scope() stops a user without membership
                                         first, the system administrator included)
    """

    def rule(qs, v: Viewer):
        return qs.filter(**{user_field: v.user})

    return rule


def import_rule(user_field: str) -> Callable:
    """The rule of contact imports (registered by the imports app).

    the coordinator                      every import
    a supervisor                         the imports of its own agency, and its own
    other working staff                  the imports it uploaded
    everyone else                        none (analysts, auditors: no person-level rows)

    An import's rows name people, so only the working roles see any; what its page prints of
    a matched person still goes through the person's own rule.
    """

    def rule(qs, v: Viewer):
        if v.scope not in WORKING_SCOPES:
            return qs.none()
        if v.role == COORDINATOR:
            return qs
        if v.is_supervisor:
            return qs.filter(Q(agency_id=v.agency_id) | Q(**{user_field: v.user}))
        return qs.filter(**{user_field: v.user})

    return rule


# --- notifications: machinery nobody reads, and who is told of what ---------------


def nobody_rule(qs, v: Viewer):
    """Machinery rows no member reads (the send_reminders lease)."""
    return qs.none()


# Derived rows the person rule reads (cases/access/people_access.py); nobody lists them.
register(PersonAccess, nobody_rule)


def _current_members(**membership) -> models.QuerySet:
    """The accounts with a current membership matching `membership` (agency, role)."""
    return User.objects.filter(pk__in=Membership.objects.current().filter(**membership).values("user_id"))


def agency_staff(agency_id: int | None) -> models.QuerySet:
    """The accounts with a current membership in the agency: who is told "your agency"."""
    return User.objects.none() if agency_id is None else _current_members(agency_id=agency_id)


def agency_supervisors(agency_id: int | None) -> models.QuerySet:
    """The agency's current supervisors: who an overdue reminder is escalated to."""
    return User.objects.none() if agency_id is None else _current_members(agency_id=agency_id, role=SUPERVISOR)


def task_force_coordinators() -> models.QuerySet:
    """The coordinators: told of a child's custody receipt left unconfirmed."""
    return _current_members(role=COORDINATOR)


def court_date_notified(event: CourtEvent) -> list:
    """Who is told of a court date: the advocates of the case's victims and witnesses (the
    agencies their referrals were sent to) and the caseworkers of the children among them
    (the agencies they were handed to) — the same people the court-dates page shows it to,
    each of whom must see the date (`COURT_EVENT_NOTICE_FIELDS`)."""
    people = InvestigationPerson.objects.filter(
        role__in=NOTIFIED_ROLES, investigation__prosecutions__id=event.prosecution_id
    ).values("person_id")
    agencies = set(
        Referral.objects.filter(person_id__in=people)
        .exclude(status=ReferralStatus.DRAFT)
        .values_list("to_agency_id", flat=True)
    )
    agencies |= set(CustodyHandoff.objects.filter(person_id__in=people).values_list("receiving_agency_id", flat=True))
    current = Membership.objects.current().filter(agency_id__in=agencies).select_related("user", "agency")
    told = []
    for membership in current:
        if scope_role(membership) in (ADVOCATE, CASEWORKER) and is_visible(membership.user, event):
            told.append(membership.user)
    return told
