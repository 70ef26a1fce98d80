"""Writes the demonstration story through the domain actions, once.

Each helper looks its record up by a natural key first and only creates it when it is
missing, so running the seed again changes nothing. Records are created in a demo
staff member's name through cases.actions, so the access policy, validation and the
workflow events apply exactly as they do for real users.

The story happened in the past, but the workflow stamps events with the current time;
after a step, its timestamps are moved back to the day the story says it happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import membership_of
from cases import actions
from cases.models import (
    Charge,
    ConsentType,
    Contact,
    CustodyHandoff,
    Detention,
    Indicator,
    Location,
    Note,
    Operation,
    OperationStatus,
    Participation,
    ParticipationRole,
    Person,
    Referral,
    ServiceOffer,
    ServiceType,
    VulnerabilityFactor,
)

# The workflow steps that lead to each referral state.
REFERRAL_PATHS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "sent": ("send",),
    "revoked": ("send", "revoke"),
    "acknowledged": ("send", "acknowledge"),
    "accepted": ("send", "acknowledge", "accept"),
    "declined": ("send", "acknowledge", "decline"),
    "in_service": ("send", "acknowledge", "accept", "start_service"),
    "closed": ("send", "acknowledge", "accept", "start_service", "close"),
}
SENDER_STEPS = {"send", "revoke"}


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in the task force's time zone."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE))


class Builder:
    def __init__(self, agencies: dict[str, Agency], users: dict[str, User]):
        self.agencies = agencies
        self.users = users
        self.services = {s.code: s for s in ServiceType.objects.all()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.factors = {f.code: f for f in VulnerabilityFactor.objects.all()}

    def agency(self, short_name: str) -> Agency:
        return self.agencies[short_name]

    def user(self, username: str) -> User:
        return self.users[username]

    # --- operations -------------------------------------------------------

    def operation(
        self, user: User, *, name: str, lead: str, participants: dict[str, tuple[str, int]], lead_staff: int, **fields
    ) -> Operation:
        """Find or plan the operation, add its partners, and make it active."""
        lead_agency = self.agency(lead)
        op = Operation.objects.filter(name=name, lead_agency=lead_agency).first()
        if op is None:
            op = Operation(
                name=name, lead_agency=lead_agency, created_at=fields["starts_at"] - timedelta(days=12), **fields
            )
            op.code = op._next_code()
            actions.create_record(user, op, "operation.add")
        for short_name, (role, staff) in participants.items():
            Participation.objects.get_or_create(
                operation=op, agency=self.agency(short_name), defaults={"role": role, "staff_count": staff}
            )
        Participation.objects.filter(operation=op, role=ParticipationRole.LEAD, staff_count__isnull=True).update(
            staff_count=lead_staff
        )
        if op.status == OperationStatus.PLANNED:
            actions.move_operation(user, op, OperationStatus.ACTIVE)
        return op

    def conclude(self, user: User, op: Operation) -> None:
        if op.status == OperationStatus.ACTIVE:
            actions.move_operation(user, op, OperationStatus.CONCLUDED)

    def location(self, user: User, op: Operation, **fields) -> Location:
        found = Location.objects.filter(operation=op, venue_name=fields["venue_name"]).first()
        if found:
            return found
        return actions.create_record(
            user, Location(operation=op, created_at=op.starts_at, **fields), "operation.change", op
        )

    # --- people and contacts ---------------------------------------------

    def person(
        self,
        user: User,
        *,
        legal_name: str,
        recorded_at: datetime,
        factors: tuple[str, ...] = (),
        age: int | None = None,
        **fields,
    ) -> Person:
        """An invented person, recorded by `user`'s agency; `age` is an estimate made that day."""
        # Demo names are unique among the demo agencies' records, so a person met again is
        # found whichever demo agency recorded them first (generated data is left alone).
        found = Person.objects.filter(legal_name=legal_name, created_by_agency__in=self.agencies.values()).first()
        if found:
            return found
        if age is not None:
            fields.update(estimated_age=age, age_estimated_on=recorded_at.date())
        agency = membership_of(user).agency
        person = Person(legal_name=legal_name, created_by_agency=agency, created_at=recorded_at, **fields)
        return actions.create_record(
            user, person, "person.add", m2m={"vulnerabilities": [self.factors[c] for c in factors]}
        )

    def contact(
        self,
        user: User,
        person: Person,
        *,
        operation: Operation | None,
        agency: str,
        occurred_at: datetime,
        role: str,
        outcome: str,
        indicators: tuple[str, ...] = (),
        location: Location | None = None,
        place: str = "",
        narrative: str = "",
    ) -> Contact:
        found = Contact.objects.filter(person=person, operation=operation, occurred_at=occurred_at).first()
        if found:
            return found
        contact = Contact(
            person=person,
            operation=operation,
            location=location,
            place=place,
            occurred_at=occurred_at,
            agency=self.agency(agency),
            role=role,
            outcome=outcome,
            narrative=narrative,
            created_at=occurred_at + timedelta(minutes=25),
        )
        return actions.create_record(
            user, contact, "contact.add", operation, m2m={"indicators": [self.indicators[c] for c in indicators]}
        )

    def offer(
        self,
        user: User,
        contact: Contact,
        service: str,
        *,
        offered_by: str,
        response: str,
        provider: str | None = None,
        delivered_at: datetime | None = None,
        notes: str = "",
    ) -> ServiceOffer:
        service_type = self.services[service]
        found = ServiceOffer.objects.filter(contact=contact, service_type=service_type).first()
        if found:
            return found
        offer = ServiceOffer(
            contact=contact,
            person=contact.person,
            service_type=service_type,
            offered_by=self.agency(offered_by),
            offered_at=contact.occurred_at + timedelta(minutes=10),
            response=response,
            provider=self.agency(provider) if provider else None,
            delivered_at=delivered_at,
            notes=notes,
            created_at=contact.occurred_at + timedelta(minutes=30),
        )
        return actions.create_record(user, offer, "serviceoffer.add", contact)

    def referral_offer(
        self,
        user: User,
        referral: Referral,
        service: str,
        *,
        response: str,
        offered_at: datetime,
        delivered_at: datetime | None = None,
    ) -> ServiceOffer:
        """A service the receiving partner offers while the referral is open."""
        service_type = self.services[service]
        found = ServiceOffer.objects.filter(referral=referral, service_type=service_type).first()
        if found:
            return found
        offer = ServiceOffer(
            referral=referral,
            person=referral.person,
            service_type=service_type,
            offered_by=referral.to_agency,
            provider=referral.to_agency,
            offered_at=offered_at,
            response=response,
            delivered_at=delivered_at,
            created_at=offered_at,
        )
        return actions.create_record(user, offer, "serviceoffer.add", referral)

    # --- detentions and custody -------------------------------------------

    def detention(
        self,
        user: User,
        contact: Contact,
        *,
        outcome: str,
        charges: tuple[tuple[str, str, str, bool], ...],
        pending: bool = False,
        notes: str = "",
    ) -> Detention:
        detention = Detention.objects.filter(contact=contact).first()
        if detention is None:
            detention = Detention(
                person=contact.person,
                contact=contact,
                agency=contact.agency,
                detained_at=contact.occurred_at,
                outcome=outcome,
                pending=pending,
                notes=notes,
                created_at=contact.created_at,
            )
            actions.create_record(user, detention, "detention.add", contact)
        for statute, description, charge_class, trafficking in charges:
            Charge.objects.get_or_create(
                detention=detention,
                statute=statute,
                defaults={"description": description, "charge_class": charge_class, "is_trafficking": trafficking},
            )
        return detention

    def custody(
        self,
        officer: User,
        contact: Contact,
        *,
        reason: str,
        handed_over_at: datetime,
        caseworker: User | None = None,
        acknowledged_at: datetime | None = None,
        events: tuple[tuple[str, datetime, str], ...] = (),
    ) -> CustodyHandoff:
        """Protective custody, the hand-off to the Children's Division and, if given, its receipt."""
        handoff = CustodyHandoff.objects.filter(person=contact.person, contact=contact).first()
        if handoff is None:
            handoff = CustodyHandoff(
                person=contact.person,
                contact=contact,
                operation=contact.operation,
                taken_at=contact.occurred_at,
                place=contact.location.venue_name if contact.location else contact.place,
                custody_agency=contact.agency,
                custody_officer=officer,
                reason=reason,
                receiving_agency=self.agency("MO-CD"),
                created_at=contact.occurred_at + timedelta(minutes=20),
            )
            actions.create_record(officer, handoff, "custody.add", contact)
        if handoff.handed_over_at is None:
            actions.hand_over_child(officer, handoff, at=handed_over_at, worker=caseworker)
        for kind, at, note in events:
            if not handoff.events.filter(kind=kind, at=at).exists():
                actions.add_custody_event(officer, handoff, kind, at=at, note=note)
        if caseworker and acknowledged_at and handoff.acknowledged_at is None:
            # Receipt was acknowledged on the night, not when the demo was loaded.
            actions.acknowledge_custody(
                caseworker, handoff, note="Child received at the Children's Division.", at=acknowledged_at
            )
        return handoff

    # --- referrals ----------------------------------------------------------

    def referral(
        self,
        sender: User,
        *,
        person: Person,
        contact: Contact | None,
        from_agency: str,
        to_agency: str,
        services: tuple[str, ...],
        reason: str,
        status: str,
        times: dict[str, datetime | None],
        receiver: User | None = None,
        decline_reason: str = "",
        closure: str = "",
        revoke_reason: str = "",
        consent: str = ConsentType.VERBAL,
        offers: tuple[tuple[str, str, datetime, datetime | None], ...] = (),
    ) -> Referral:
        """A referral moved through the workflow to `status`.

        `times` gives when each step happened (its key is the action); a step given
        None keeps the time it was taken, so a referral sent "now" is not overdue.
        `offers` (service, response, offered at, delivered at) are made by the receiver
        once the referral is accepted, while it is still open.
        """
        referral = Referral.objects.filter(
            person=person, from_agency=self.agency(from_agency), to_agency=self.agency(to_agency)
        ).first()
        created_at = times.get("created") or (contact.occurred_at + timedelta(hours=1) if contact else None)
        if referral is None:
            consented = consent in (ConsentType.VERBAL, ConsentType.WRITTEN)
            referral = Referral(
                person=person,
                contact=contact,
                from_agency=self.agency(from_agency),
                to_agency=self.agency(to_agency),
                reason=reason,
                consent=consent,
                consent_date=(created_at or timezone.now()).date() if consented else None,
            )
            if created_at:
                referral.created_at = created_at
            actions.create_record(
                sender,
                referral,
                "referral.add",
                contact or person,
                m2m={"service_types": [self.services[c] for c in services]},
            )
        done = set(referral.events.values_list("action", flat=True))
        for step in REFERRAL_PATHS[status]:
            if step in done:
                continue
            actor = sender if step in SENDER_STEPS else receiver
            actions.transition_referral(
                actor,
                referral,
                step,
                reason=decline_reason if step == "decline" else revoke_reason if step == "revoke" else "",
                closure=closure if step == "close" else "",
                at=times.get(step),
            )
            if step == "accept":
                for service, response, offered_at, delivered_at in offers:
                    self.referral_offer(
                        receiver, referral, service, response=response, offered_at=offered_at, delivered_at=delivered_at
                    )
        return referral

    # --- notes ------------------------------------------------------------------

    def note(
        self,
        user: User,
        *,
        agency: str,
        text: str,
        written_at: datetime,
        operation: Operation | None = None,
        person: Person | None = None,
        referral: Referral | None = None,
    ) -> Note:
        target = Q(operation=operation) if operation else Q(person=person) if person else Q(referral=referral)
        found = Note.objects.filter(target, agency=self.agency(agency), text=text).first()
        if found:
            return found
        note = Note(
            operation=operation,
            person=person,
            referral=referral,
            agency=self.agency(agency),
            text=text,
            created_at=written_at,
        )
        return actions.create_record(user, note, "note.add", operation or person or referral)
