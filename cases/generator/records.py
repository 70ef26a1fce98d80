"""Operations and everything recorded in them, generated oldest first.

Operation sizes follow a long-tailed (log-normal) distribution: most operations are
small and a few are large. Each contact may bring a detention, service offers, a
referral with its workflow events, or a protective-custody hand-off with its chain of
custody. Every row respects the model constraints and carries the fields the models
work out in save().
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone

from agencies.models import AgencyKind
from cases.models import (
    Charge,
    Contact,
    CustodyEvent,
    CustodyHandoff,
    Detention,
    Location,
    Operation,
    Participation,
    Referral,
    ReferralEvent,
    ServiceOffer,
)
from cases.models.contacts import ContactOutcome, ContactRole, OfferResponse
from cases.models.custody import CustodyEventKind, waiting_rank_of
from cases.models.detentions import DetentionOutcome
from cases.models.operations import BriefingGender, OperationKind, OperationStatus, ParticipationRole, TraffickingType
from cases.models.referrals import ConsentType, ReferralClosure, ReferralStatus

from . import names
from .lifecycle import Lifecycle
from .people import CHILD, OFFENDER, VICTIM, People, _weighted, pick
from .world import SERVICE_KINDS, World
from .writer import YearlyCodes

# Totals for one unit of --scale (DESIGN: about 2,000 operations … 20,000 detentions).
PER_SCALE = {
    "operations": 2_000,
    "people": 100_000,
    "contacts": 200_000,
    "service offers": 300_000,
    "referrals": 30_000,
    "custody handoffs": 2_000,
    "detentions": 20_000,
}
YEARS = 6
WALK_IN_SHARE = 0.1
OP_SIZE_SIGMA = 1.2

ROLES = _weighted(
    (
        (ContactRole.POTENTIAL_VICTIM, 40),
        (ContactRole.CONFIRMED_VICTIM, 10),
        (ContactRole.SUSPECTED_TRAFFICKER, 8),
        (ContactRole.BUYER, 25),
        (ContactRole.WITNESS, 12),
        (ContactRole.ACCOMPANYING_CHILD, 5),
    )
)
WALK_IN_ROLES = _weighted(
    ((ContactRole.POTENTIAL_VICTIM, 70), (ContactRole.CONFIRMED_VICTIM, 20), (ContactRole.WITNESS, 10))
)
OP_KINDS = _weighted(
    (
        (OperationKind.STING, 40),
        (OperationKind.RESCUE, 10),
        (OperationKind.PROACTIVE, 20),
        (OperationKind.OUTREACH, 15),
        (OperationKind.BUSINESS_CLOSURE, 8),
        (OperationKind.OTHER, 7),
    )
)
TRAFFICKING = _weighted(
    ((TraffickingType.SEX, 60), (TraffickingType.LABOR, 20), (TraffickingType.BOTH, 10), (TraffickingType.UNKNOWN, 10))
)
# Where a referral ends up; timestamps that would fall after "now" cut it short.
REFERRAL_FATES = _weighted(
    (
        ("draft", 3),
        ("sent", 5),
        ("revoked", 2),
        ("acknowledged", 3),
        ("declined", 8),
        ("accepted", 4),
        ("in_service", 5),
        ("closed", 70),
        ("withdrew", 4),
    )
)
SHORT_OPS = (OperationKind.STING, OperationKind.RESCUE, OperationKind.OUTREACH, OperationKind.BUSINESS_CLOSURE)
CUSTODY_CHANCE = {ContactRole.ACCOMPANYING_CHILD: 0.13}
MINOR_VICTIM_CUSTODY_CHANCE = 0.075
REFERRAL_CHANCE = 0.33
VOID_CHANCE = 0.003


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class CaseGenerator:
    def __init__(self, rng: random.Random, writer, world: World, scale: float, now: datetime, log=None):
        self.rng, self.writer, self.world, self.scale, self.now = rng, writer, world, scale, now
        self.today = timezone.localtime(now).date()
        self.log = log or (lambda message: None)
        self.t = {
            m: writer.table(m)
            for m in (
                Operation,
                Participation,
                Location,
                Contact,
                Contact.indicators.through,
                Referral,
                Referral.service_types.through,
                ReferralEvent,
                ServiceOffer,
                CustodyHandoff,
                CustodyEvent,
                Detention,
                Charge,
            )
        }
        self.people = People(rng, writer, world, self.today)
        self.ack_hours = settings.REFERRAL_ACKNOWLEDGE_HOURS
        self.service_weights = [max(1, 14 - i) for i in range(len(world.service_types))]  # first entries most common
        self.codes = YearlyCodes(Operation, "code", "OP")
        self.lifecycle = Lifecycle(rng, writer, world, now, self.today, self._user)

    # --- helpers ---------------------------------------------------------------

    def _user(self, agency) -> int | None:
        return self.rng.choice(agency.users) if agency.users else None

    def _later(self, at: datetime, low_hours: float, high_hours: float) -> datetime:
        return at + timedelta(hours=self.rng.uniform(low_hours, high_hours))

    def _voidable(self, at: datetime, user_id: int | None) -> dict:
        created = min(self._later(at, 0.2, 6), self.now)
        values = {"created_at": created, "updated_at": created, "created_by_id": user_id}
        if self.rng.random() < VOID_CHANCE:
            values.update(voided_at=created, voided_by_id=user_id, void_reason="Entered in error (generated).")
        return values

    # --- the whole run ------------------------------------------------------------

    def run(self) -> None:
        n_ops = max(5, round(PER_SCALE["operations"] * self.scale))
        start = self.now - timedelta(days=365 * YEARS)
        span = (self.now + timedelta(days=45) - start).total_seconds()
        starts = sorted(start + timedelta(seconds=self.rng.random() * span) for _ in range(n_ops))
        # Long-tailed sizes, rescaled so the total matches the promised number of contacts.
        draws = [0.0 if s >= self.now else self.rng.lognormvariate(0, OP_SIZE_SIGMA) for s in starts]
        factor = PER_SCALE["contacts"] * self.scale * (1 - WALK_IN_SHARE) / (sum(draws) or 1)
        sizes = [round(d * factor) for d in draws]
        walk_ins = PER_SCALE["contacts"] * self.scale * WALK_IN_SHARE / n_ops
        step = max(1, n_ops // 10)
        for i, (starts_at, size) in enumerate(zip(starts, sizes)):
            self.operation(starts_at, size)
            for _ in range(_poisson(self.rng, walk_ins)):
                self.walk_in(starts_at)
            self.writer.maybe_flush()
            if (i + 1) % step == 0:
                self.log(f"  {i + 1:,} of {n_ops:,} operations")
        self.writer.flush()

    # --- operations ---------------------------------------------------------------

    def operation(self, starts_at: datetime, size: int) -> None:
        rng, w = self.rng, self.world
        region = rng.randrange(w.regions)
        r = rng.random()
        if r < 0.05:
            lead = w.task_force
        else:
            lead = rng.choice(w.of_kind(region, AgencyKind.LAW_ENFORCEMENT, statewide=r < 0.15))
        kind = pick(rng, OP_KINDS)
        days = rng.uniform(0.2, 3) if kind in SHORT_OPS else rng.uniform(7, 180)
        ends_at = starts_at + timedelta(days=days)
        if starts_at >= self.now:
            status = OperationStatus.PLANNED
        elif ends_at > self.now:
            status = OperationStatus.ACTIVE
        elif ends_at > self.now - timedelta(days=60) or rng.random() < 0.1:
            status = OperationStatus.CONCLUDED
        else:
            status = OperationStatus.CLOSED
        if status in (OperationStatus.PLANNED, OperationStatus.ACTIVE) and rng.random() < 0.5:
            ends_at = None
        op_id = self.t[Operation].new_id()
        trafficking_type = pick(rng, TRAFFICKING)
        created = starts_at - timedelta(days=rng.uniform(3, 30))
        minors = rng.random() < 0.3
        self.t[Operation].add(
            id=op_id,
            code=self.codes.next(timezone.localtime(starts_at).year),
            name=f"Operation {rng.choice(names.OPERATION_WORDS)} {rng.choice(names.OPERATION_WORDS)}",
            kind=kind,
            trafficking_type=trafficking_type,
            status=status,
            starts_at=starts_at,
            ends_at=ends_at,
            lead_agency_id=lead.id,
            summary="Generated operation for performance testing.",
            expected_victims=max(1, size // 2) if rng.random() < 0.8 else None,
            expected_genders=rng.choice(BriefingGender.values),
            expected_languages="English, Spanish",
            minors_expected=minors,
            briefing_notes="Meet at the staging area one hour before start.",
            created_at=created,
            updated_at=created,
            created_by_id=self._user(lead),
        )
        # Who takes part: the lead, more police for larger operations, usually victim services.
        taking_part = {lead.id: (lead, ParticipationRole.LEAD)}
        police = [lead]
        extra_police = min(8, int(math.log2(1 + size / 15)))
        candidates = w.of_kind(region, AgencyKind.LAW_ENFORCEMENT, statewide=rng.random() < 0.3)
        for agency in rng.sample(candidates, k=min(len(candidates), extra_police)):
            if agency.id not in taking_part:
                taking_part[agency.id] = (agency, ParticipationRole.SUPPORT)
                police.append(agency)
        services = []
        if rng.random() < 0.85:
            for agency in rng.sample(w.of_kind(region, AgencyKind.VICTIM_SERVICES, statewide=False), k=1 + (size > 60)):
                if agency.id not in taking_part:
                    taking_part[agency.id] = (agency, ParticipationRole.VICTIM_SERVICES)
                    services.append(agency)
        if minors or rng.random() < 0.2:
            agency = rng.choice(w.of_kind(region, AgencyKind.CHILD_WELFARE))
            taking_part.setdefault(agency.id, (agency, ParticipationRole.CHILD_WELFARE))
        if rng.random() < 0.2:
            agency = rng.choice(w.of_kind(region, AgencyKind.PROSECUTOR))
            taking_part.setdefault(agency.id, (agency, ParticipationRole.PROSECUTION))
        for agency, role in taking_part.values():
            self.t[Participation].add(
                id=self.t[Participation].new_id(),
                operation_id=op_id,
                agency_id=agency.id,
                role=role,
                staff_count=rng.randint(1, 12),
            )
        locations = []
        for _ in range(1 + min(4, size // 40) + (rng.random() < 0.3)):
            venue = rng.choice(list(names.VENUES))
            location_id = self.t[Location].new_id()
            town = rng.choice(names.TOWNS)
            self.t[Location].add(
                id=location_id,
                operation_id=op_id,
                venue_type=venue,
                venue_name=f"{town} {rng.choice(names.VENUES[venue])}",
                address=f"{rng.randint(100, 9999)} {town} Road",
                city=town,
                county=f"{rng.choice(names.COUNTIES)} County",
                state=names.STATE,
                created_at=created,
                updated_at=created,
                created_by_id=self._user(lead),
            )
            locations.append(location_id)
        if not size:
            return
        window = ((ends_at or self.now) if (ends_at or self.now) <= self.now else self.now) - starts_at
        times = sorted(starts_at + window * rng.random() for _ in range(size))
        started = status != OperationStatus.PLANNED
        case = self.lifecycle.maybe_open(op_id, starts_at, started, lead, region, trafficking_type)
        context = (op_id, region, locations, police, services, case)
        for at in times:
            self.contact(at, pick(rng, ROLES), context)
        if case:
            self.lifecycle.write(case, police)

    def walk_in(self, near: datetime) -> None:
        at = min(near + timedelta(days=self.rng.uniform(0, 30)), self.now - timedelta(minutes=5))
        region = self.rng.randrange(self.world.regions)
        kinds = (AgencyKind.VICTIM_SERVICES,) if self.rng.random() < 0.5 else (AgencyKind.LAW_ENFORCEMENT,)
        agency = self.rng.choice(self.world.of_kind(region, *kinds, statewide=False))
        self.contact(at, pick(self.rng, WALK_IN_ROLES), (None, region, [], [agency], [], None))

    # --- one contact and what follows from it -------------------------------------

    def contact(self, at: datetime, role: str, context) -> None:
        rng = self.rng
        op_id, region, locations, police, services, case = context
        agency = police[0] if rng.random() < 0.6 else rng.choice(police)
        user_id = self._user(agency)
        day = timezone.localtime(at).date()
        person = self.people.for_contact(role, at, day, agency.id, user_id)
        age = person.age_on(day)
        kind = person.kind
        outcome, custody_at = self._outcome(role, person, age, at)
        contact_id = self.t[Contact].new_id()
        location_id = rng.choice(locations) if locations and rng.random() < 0.85 else None
        self.t[Contact].add(
            id=contact_id,
            person_id=person.id,
            operation_id=op_id,
            location_id=location_id,
            place="" if location_id else ("Walk-in at the agency office" if op_id is None else "Near the venue"),
            occurred_at=at,
            agency_id=agency.id,
            role=role,
            age_group=self.people.age_group_on(person, day),
            outcome=outcome,
            narrative="" if rng.random() < 0.7 else "Generated narrative of the encounter.",
            **self._voidable(at, user_id),
        )
        if kind in (VICTIM, CHILD):
            for indicator in rng.sample(self.world.indicators, k=rng.choice((0, 1, 1, 2, 2, 3, 4))):
                self.t[Contact.indicators.through].add(contact_id=contact_id, indicator_id=indicator)
        if case:
            case.met(person, role)
        if outcome in (ContactOutcome.DETAINED, ContactOutcome.ARRESTED):
            self.detention(person, contact_id, op_id, agency, at, outcome, role, case)
            return
        if custody_at:
            self.custody(person, contact_id, op_id, agency, region, at, custody_at)
        if outcome in (ContactOutcome.OFFERED_SERVICES, ContactOutcome.PROTECTIVE_CUSTODY):
            offerer = rng.choice(services) if services and rng.random() < 0.7 else agency
            for service in self._services(rng.randint(1, 5)):
                self.offer(person, service, offerer, at, contact_id=contact_id)
            if rng.random() < REFERRAL_CHANCE:
                self.referral(person, contact_id, op_id, agency if rng.random() < 0.6 else offerer, region, at)

    def _outcome(self, role: str, person, age: int | None, at: datetime):
        rng, r, kind = self.rng, self.rng.random(), person.kind
        if kind == OFFENDER:
            if role == ContactRole.SUSPECTED_TRAFFICKER:
                return (
                    ContactOutcome.ARRESTED
                    if r < 0.55
                    else ContactOutcome.DETAINED
                    if r < 0.7
                    else ContactOutcome.RELEASED
                ), None
            return (
                ContactOutcome.DETAINED
                if r < 0.10
                else ContactOutcome.ARRESTED
                if r < 0.20
                else ContactOutcome.RELEASED
                if r < 0.68
                else ContactOutcome.NO_ACTION
            ), None
        if kind == "witness":
            return (ContactOutcome.NO_ACTION if r < 0.7 else ContactOutcome.RELEASED), None
        if age is not None and age < 18:
            chance = CUSTODY_CHANCE.get(role, MINOR_VICTIM_CUSTODY_CHANCE)
            if rng.random() < chance:
                taken = min(self._later(at, 0, 2), self.now)
                # The database refuses a hand-off of anyone 18 or over when custody began.
                if person.age_on(timezone.localtime(taken).date()) < 18:
                    return ContactOutcome.PROTECTIVE_CUSTODY, taken
        return (
            ContactOutcome.OFFERED_SERVICES
            if r < 0.85
            else ContactOutcome.RELEASED
            if r < 0.95
            else ContactOutcome.NO_ACTION
        ), None

    def _services(self, k: int) -> list[int]:
        chosen: dict[int, None] = {}
        for service in self.rng.choices(self.world.service_types, self.service_weights, k=k):
            chosen[service] = None
        return list(chosen)

    def offer(
        self, person, service: int, offerer, at: datetime, *, contact_id=None, referral_id=None, accept=None
    ) -> None:
        rng = self.rng
        offered_at = min(self._later(at, 0, 3), self.now)
        if accept is None:
            # Acceptance grows with each contact: many accept after the fifth offer or more.
            accept = min(0.75, 0.2 + 0.08 * (person.contacts - 1))
        r = rng.random()
        response = (
            OfferResponse.ACCEPTED
            if r < accept
            else OfferResponse.DECLINED
            if r < accept + (1 - accept) * 0.7
            else OfferResponse.UNDECIDED
        )
        delivered = None
        if response == OfferResponse.ACCEPTED and rng.random() < 0.7:
            delivered = self._later(offered_at, 1, 96)
            delivered = delivered if delivered <= self.now else None
        provider = None
        if offerer.kind not in SERVICE_KINDS and rng.random() < 0.5:
            provider = rng.choice(
                self.world.of_kind(rng.randrange(self.world.regions), *SERVICE_KINDS, statewide=False)
            ).id
        self.t[ServiceOffer].add(
            id=self.t[ServiceOffer].new_id(),
            person_id=person.id,
            contact_id=contact_id,
            referral_id=referral_id,
            service_type_id=service,
            offered_by_id=offerer.id,
            offered_at=offered_at,
            response=response,
            delivered_at=delivered,
            provider_id=provider,
            **self._voidable(offered_at, self._user(offerer)),
        )

    def detention(self, person, contact_id: int, op_id, agency, at: datetime, outcome: str, role: str, case) -> None:
        rng = self.rng
        if outcome == ContactOutcome.ARRESTED:
            result = DetentionOutcome.ARRESTED if rng.random() < 0.7 else DetentionOutcome.REFERRED
        else:
            result = DetentionOutcome.RELEASED if rng.random() < 0.5 else DetentionOutcome.CITED
        detention_id = self.t[Detention].new_id()
        self.t[Detention].add(
            id=detention_id,
            person_id=person.id,
            contact_id=contact_id,
            operation_id=op_id,
            agency_id=agency.id,
            detained_at=at,
            outcome=result,
            pending=result == DetentionOutcome.REFERRED and at > self.now - timedelta(days=365),
            investigation_id=case.id if case else None,
            **self._voidable(at, self._user(agency)),
        )
        if case:
            case.detained(person, role, result)
        if result == DetentionOutcome.RELEASED:
            return
        statutes = [s for s in names.STATUTES if s[3] == (role == ContactRole.SUSPECTED_TRAFFICKER)]
        for statute, description, charge_class, trafficking in rng.sample(
            statutes, k=1 if result == DetentionOutcome.CITED else rng.randint(1, 2)
        ):
            self.t[Charge].add(
                id=self.t[Charge].new_id(),
                detention_id=detention_id,
                statute=statute,
                description=description,
                charge_class=charge_class,
                is_trafficking=trafficking,
            )

    def custody(self, person, contact_id: int, op_id, agency, region: int, at: datetime, taken_at: datetime) -> None:
        rng = self.rng
        age = person.age_on(timezone.localtime(taken_at).date())
        receiving = rng.choice(self.world.of_kind(region, AgencyKind.CHILD_WELFARE))
        worker = self._user(receiving)
        officer = self._user(agency)
        handed = self._later(taken_at, 1, 10) if rng.random() > 0.03 else None
        handed = handed if handed and handed <= self.now else None
        acknowledged = self._later(handed, 0.5, 24) if handed and rng.random() > 0.05 else None
        acknowledged = acknowledged if acknowledged and acknowledged <= self.now else None
        handoff_id = self.t[CustodyHandoff].new_id()
        self.t[CustodyHandoff].add(
            id=handoff_id,
            person_id=person.id,
            contact_id=contact_id,
            operation_id=op_id,
            taken_at=taken_at,
            place="At the operation venue",
            custody_agency_id=agency.id,
            custody_officer_id=officer,
            reason="Child found at the venue without a parent or guardian.",
            receiving_agency_id=receiving.id,
            receiving_worker_id=worker if acknowledged else None,
            handed_over_at=handed,
            acknowledged_at=acknowledged,
            acknowledged_by_id=worker if acknowledged else None,
            child_age_at_custody=age,
            waiting_rank=waiting_rank_of(
                SimpleNamespace(voided_at=None, handed_over_at=handed, acknowledged_at=acknowledged)
            ),
            created_at=taken_at,
            updated_at=acknowledged or handed or taken_at,
            created_by_id=officer,
        )
        events = [(CustodyEventKind.TAKEN, taken_at, officer, agency.id)]
        if handed:
            if rng.random() < 0.5:
                events.append((CustodyEventKind.MEDICAL, taken_at + (handed - taken_at) / 2, officer, agency.id))
            events.append((CustodyEventKind.HANDED_OVER, handed, officer, agency.id))
        if acknowledged:
            events.append((CustodyEventKind.ACKNOWLEDGED, acknowledged, worker, receiving.id))
        for kind, when, user, agency_id in events:
            self.t[CustodyEvent].add(
                id=self.t[CustodyEvent].new_id(),
                handoff_id=handoff_id,
                kind=kind,
                at=when,
                user_id=user,
                agency_id=agency_id,
                recorded_at=when,
            )

    def referral(self, person, contact_id: int, op_id, sender, region: int, at: datetime) -> None:
        rng = self.rng
        partners = [a for a in self.world.of_kind(region, *SERVICE_KINDS, statewide=False) if a.id != sender.id]
        if not partners:
            return
        receiver = rng.choice(partners)
        fate = pick(rng, REFERRAL_FATES)
        created = min(self._later(at, 1, 48), self.now)
        referral_id = self.t[Referral].new_id()
        events: list[tuple[str, str, str, datetime, object]] = []
        status, values = ReferralStatus.DRAFT, {}

        def step(action, target, when, agency) -> bool:
            nonlocal status
            if when > self.now:
                return False
            events.append((action, status, target, when, agency))
            status = target
            return True

        sent = self._later(created, 0, 24)
        if fate != "draft" and step("send", ReferralStatus.SENT, sent, sender):
            values.update(sent_at=sent, acknowledge_due_at=sent + timedelta(hours=self.ack_hours))
            if fate == "revoked":
                step("revoke", ReferralStatus.REVOKED, self._later(sent, 1, 24), sender)
            elif fate != "sent":
                ack = self._later(sent, 1, 72)
                if step("acknowledge", ReferralStatus.ACKNOWLEDGED, ack, receiver):
                    values["acknowledged_at"] = ack
                    decided = self._later(ack, 1, 72)
                    if fate == "declined":
                        if step("decline", ReferralStatus.DECLINED, decided, receiver):
                            values["decline_reason"] = "No capacity for this service at present."
                    elif fate != "acknowledged" and step("accept", ReferralStatus.ACCEPTED, decided, receiver):
                        self._referral_offers(person, referral_id, receiver, decided)
                        if fate == "withdrew":
                            closed = self._later(decided, 24, 24 * 30)
                            if step("close", ReferralStatus.CLOSED, closed, receiver):
                                values.update(closure=ReferralClosure.CLIENT_WITHDREW, closed_at=closed)
                        elif fate != "accepted":
                            started = self._later(decided, 24, 24 * 7)
                            if step("start_service", ReferralStatus.IN_SERVICE, started, receiver) and fate == "closed":
                                closed = self._later(started, 24 * 7, 24 * 120)
                                if step("close", ReferralStatus.CLOSED, closed, receiver):
                                    closure = (
                                        ReferralClosure.COMPLETED
                                        if rng.random() < 0.75
                                        else ReferralClosure.LOST_CONTACT
                                    )
                                    values.update(closure=closure, closed_at=closed)
        r = rng.random()
        if r < 0.55:
            consent = {"consent": ConsentType.WRITTEN, "consent_date": timezone.localtime(created).date()}
        elif r < 0.95:
            consent = {"consent": ConsentType.VERBAL, "consent_date": timezone.localtime(created).date()}
        else:
            consent = {
                "consent_override_reason": "Immediate danger; the person could not be asked.",
                "consent_override_by_id": self._user(sender),
            }
        last = events[-1][3] if events else created
        self.t[Referral].add(
            id=referral_id,
            person_id=person.id,
            contact_id=contact_id,
            operation_id=op_id,
            from_agency_id=sender.id,
            to_agency_id=receiver.id,
            reason="Needs safe housing and support (generated).",
            status=status,
            created_at=created,
            updated_at=last,
            created_by_id=self._user(sender),
            **consent,
            **values,
        )
        for service in self._services(rng.randint(1, 3)):
            self.t[Referral.service_types.through].add(referral_id=referral_id, servicetype_id=service)
        for action, source, target, when, agency in events:
            self.t[ReferralEvent].add(
                id=self.t[ReferralEvent].new_id(),
                referral_id=referral_id,
                action=action,
                from_status=source,
                to_status=target,
                at=when,
                user_id=self._user(agency),
                agency_id=agency.id,
            )

    def _referral_offers(self, person, referral_id: int, receiver, at: datetime) -> None:
        for service in self._services(self.rng.randint(1, 2)):
            self.offer(person, service, receiver, at, referral_id=referral_id, accept=0.9)
