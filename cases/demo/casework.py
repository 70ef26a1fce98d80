"""Writes the months after an operation: investigations, prosecutions, court dates, relief.

Like the builder, each helper finds its record by a natural key before creating it, so
the seed stays idempotent, and writes through the policy's actions and the models' own
methods (Investigation.save numbers the investigation and keeps its lead; ReliefRequest.apply
takes each workflow step), in a demo staff member's name so the history has a "who".
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from agencies.acting import acting_as
from agencies.models import AgencyLevel, User
from agencies.roles import membership_of
from cases import access, actions
from cases.models import (
    ConsentType,
    Count,
    CourtEvent,
    CourtEventKind,
    CourtEventStatus,
    Detention,
    Disposition,
    Investigation,
    InvestigationAgency,
    InvestigationAgencyRole,
    InvestigationPerson,
    InvestigationPersonRole,
    InvestigationStatus,
    Jurisdiction,
    Operation,
    Person,
    Prosecution,
    ReliefRequest,
    Statute,
)

from .builder import Builder


def morning(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def investigation(
    b: Builder,
    user: User,
    *,
    title: str,
    lead: str,
    opened_on: date,
    operations: tuple[Operation, ...],
    partners: tuple[str, ...],
    **fields,
) -> Investigation:
    """Find or open the investigation; the lead's officer adds the partner agencies."""
    lead_agency = b.agency(lead)
    found = Investigation.objects.filter(title=title, lead_agency=lead_agency).first()
    if found is None:
        found = Investigation(
            title=title, lead_agency=lead_agency, opened_on=opened_on, created_at=morning(opened_on), **fields
        )
        actions.create_record(user, found, "investigation.add", m2m={"operations": list(operations)})
        # Investigation.save made its lead's row today; the story says since the opening.
        found.agencies.filter(role=InvestigationAgencyRole.LEAD).update(since=opened_on)
    with acting_as(user):
        for short_name in partners:
            if not found.agencies.filter(agency=b.agency(short_name)).exists():
                access.require(user, "investigation.change", found)
                InvestigationAgency.objects.create(
                    investigation=found,
                    agency=b.agency(short_name),
                    role=InvestigationAgencyRole.PARTICIPANT,
                    since=opened_on,
                )
    return found


class CaseStory(NamedTuple):
    officer: str  # the lead agency's demo login, who opens and refers it
    title: str
    lead: str
    partners: tuple[str, ...]
    trafficking_type: str
    opened_on: date
    referral: tuple[str, date]  # the prosecutor's office and the day it was referred
    summary: str


def from_operation(
    b: Builder, story: CaseStory, operation: Operation, *, suspects: dict, victims: dict
) -> Investigation:
    """An investigation of one operation: the contacts of its suspects (whose arrests it
    takes over) and of its victims; referred to a prosecutor's office."""
    user = b.user(story.officer)
    inv = investigation(
        b,
        user,
        title=story.title,
        lead=story.lead,
        opened_on=story.opened_on,
        operations=(operation,),
        partners=story.partners,
        trafficking_type=story.trafficking_type,
        summary=story.summary,
    )
    people = [(c.person, InvestigationPersonRole.SUSPECT) for c in suspects.values()]
    people += [(c.person, InvestigationPersonRole.VICTIM) for c in victims.values()]
    add_people(user, inv, tuple(people))
    link_arrests(user, inv, tuple(Detention.objects.filter(contact__in=suspects.values())))
    refer_for_prosecution(b, user, inv, *story.referral)
    return inv


def add_people(user: User, inv: Investigation, people: tuple[tuple[Person, str], ...]) -> None:
    """People in the investigation with their role (suspect, victim, witness)."""
    with acting_as(user):
        for person, role in people:
            if not inv.people.filter(person=person, role=role).exists():
                access.require(user, "investigation.change", inv)
                InvestigationPerson.objects.create(investigation=inv, person=person, role=role)


def link_arrests(user: User, inv: Investigation, detentions: tuple[Detention, ...]) -> None:
    """The arrests and detentions the investigation takes over (its lead links them)."""
    with acting_as(user):
        for detention in detentions:
            if detention.investigation_id != inv.pk:
                access.require(user, "investigation.change", inv)
                detention.investigation = inv
                detention.save(update_fields=["investigation", "updated_at"])


def refer_for_prosecution(b: Builder, user: User, inv: Investigation, prosecutor: str, on: date) -> None:
    """Refer the investigation to a prosecutor's office, which may then file charges."""
    if inv.status != InvestigationStatus.OPEN:
        return
    with acting_as(user):
        access.require(user, "investigation.change", inv)
        InvestigationAgency.objects.get_or_create(
            investigation=inv,
            agency=b.agency(prosecutor),
            defaults={"role": InvestigationAgencyRole.PROSECUTION, "since": on},
        )
    inv.status = InvestigationStatus.REFERRED
    actions.update_record(user, inv, "investigation.change")


def prosecution(user: User, inv: Investigation, defendant: Person, filed_on: date, **fields) -> Prosecution:
    """Charges filed by the user's office, in a federal court for a federal office."""
    office = membership_of(user).agency
    found = Prosecution.objects.filter(investigation=inv, defendant=defendant, prosecuting_agency=office)
    if found.exists():
        return found.get()
    federal = office.level == AgencyLevel.FEDERAL
    filed = Prosecution(
        investigation=inv,
        defendant=defendant,
        prosecuting_agency=office,
        court_jurisdiction=Jurisdiction.FEDERAL if federal else Jurisdiction.STATE,
        filed_on=filed_on,
        created_at=morning(filed_on, 14),
        **fields,
    )
    return actions.create_record(user, filed, "prosecution.add", inv)


def count(
    user: User,
    case: Prosecution,
    number: int,
    statute: str,
    *,
    disposition: str = Disposition.PENDING,
    on: date | None = None,
    custody_months: int | None = None,
    probation_months: int | None = None,
    restitution: Decimal | None = None,
) -> Count:
    """A count filed pending; its disposition and sentence are recorded later, as a change."""
    found = Count.objects.filter(prosecution=case, number=number).first()
    if found is None:
        found = Count(prosecution=case, number=number, statute=Statute.objects.get(citation=statute))
        actions.create_record(user, found, "prosecution.change", case)
    if disposition != Disposition.PENDING and found.disposition == Disposition.PENDING:
        found.disposition, found.disposition_on = disposition, on
        found.custody_months, found.probation_months, found.restitution = custody_months, probation_months, restitution
        # A count is changed under its prosecution's permission.
        with acting_as(user):
            access.require(user, "prosecution.change", case)
            found.full_clean()
            found.save()
    return found


def court_event(
    user: User, case: Prosecution, kind: str, at: datetime, *, status: str = CourtEventStatus.SCHEDULED, **fields
) -> CourtEvent:
    """One court date of its kind per prosecution (found again by its kind, not its date)."""
    found = CourtEvent.objects.filter(prosecution=case, kind=kind).first()
    if found:
        return found
    event = CourtEvent(prosecution=case, kind=kind, scheduled_at=at, status=status, **fields)
    if status != CourtEventStatus.SCHEDULED:
        event.created_at = at
    return actions.create_record(user, event, "prosecution.change", case)


def arraigned(user: User, case: Prosecution, at: datetime, courtroom: str) -> CourtEvent:
    return court_event(user, case, CourtEventKind.ARRAIGNMENT, at, status=CourtEventStatus.HELD, courtroom=courtroom)


def relief(
    asker: User,
    *,
    person: Person,
    kind: str,
    of: str,
    requested_on: date,
    b: Builder,
    consent_on: date | None = None,
    investigation: Investigation | None = None,
    steps: tuple[tuple[str, User, date, dict], ...] = (),
    notes: str = "",
) -> ReliefRequest:
    """A relief request made by the asker's agency, then taken through `steps`
    (action, who takes it, on which day, its arguments) by ReliefRequest.apply."""
    by_agency = membership_of(asker).agency
    request = ReliefRequest.objects.filter(
        person=person, kind=kind, requested_by_agency=by_agency, renewal_of__isnull=True
    ).first()
    if request is None:
        request = ReliefRequest(
            person=person,
            kind=kind,
            requested_by_agency=by_agency,
            requested_of_agency=b.agency(of),
            investigation=investigation,
            consent=ConsentType.WRITTEN,
            consent_date=consent_on or requested_on,
            requested_on=requested_on,
            notes=notes,
            created_at=morning(requested_on, 11),
        )
        actions.create_record(asker, request, "relief.add", person)
    done = set(request.events.values_list("action", flat=True))
    for action, actor, day, arguments in steps:
        if action in done:
            continue
        access.require(actor, f"relief.{action}", request)
        with acting_as(actor):
            request.apply(action, actor, membership_of(actor).agency, on=day, **arguments)
    return request
