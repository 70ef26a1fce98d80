"""What follows some operations: an investigation, prosecutions, court dates, relief.

About one operation in three that has begun becomes an investigation led by its lead
agency, with its police partners; the people contacted are its suspects, victims and
witnesses, and its arrests are linked to it (the CaseFile collects them while the
operation's contacts are generated, so the detention rows carry the investigation id).
Older investigations are referred for prosecution or closed with a reason; a referred
one brings charges against most of the people arrested, whose counts are disposed of
the longer ago they were filed, with sentences on convictions and the court dates on
the way. Foreign-national victims are sometimes the subject of an immigration-relief
request that moves through its workflow. Rows carry what the models' save() works out
(references, the answer-due date, a court event's court).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings

from agencies.models import AgencyKind, AgencyLevel
from cases.models import (
    Count,
    CourtEvent,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    Prosecution,
    ReliefEvent,
    ReliefRequest,
    Statute,
)
from cases.models.contacts import ContactRole
from cases.models.detentions import DetentionOutcome
from cases.models.investigations import (
    ClosingReason,
    InvestigationAgencyRole,
    InvestigationPersonRole,
    InvestigationStatus,
)
from cases.models.prosecutions import CourtEventKind, CourtEventStatus, Disposition, Jurisdiction
from cases.models.referrals import ConsentType
from cases.models.relief import CONTINUED_PRESENCE_DAYS, ReliefKind, ReliefStatus

from .people import _weighted, pick
from .world import SERVICE_KINDS, World
from .writer import YearlyCodes

INVESTIGATION_CHANCE = 0.3
VICTIMS_NAMED = 25  # the most victims or witnesses recorded in one investigation
PROSECUTION_CHANCE = 0.8
RELIEF_CHANCE = 0.25
PERSON_ROLE = {
    ContactRole.SUSPECTED_TRAFFICKER: InvestigationPersonRole.SUSPECT,
    ContactRole.BUYER: InvestigationPersonRole.SUSPECT,
    ContactRole.POTENTIAL_VICTIM: InvestigationPersonRole.VICTIM,
    ContactRole.CONFIRMED_VICTIM: InvestigationPersonRole.VICTIM,
    ContactRole.WITNESS: InvestigationPersonRole.WITNESS,
}
FATES = _weighted((("open", 15), ("referred", 50), ("closed", 35)))
CLOSING = _weighted(
    (
        (ClosingReason.CLEARED_BY_ARREST, 40),
        (ClosingReason.INSUFFICIENT_EVIDENCE, 35),
        (ClosingReason.OTHER_JURISDICTION, 15),
        (ClosingReason.OTHER, 10),
    )
)
OUTCOMES = _weighted(
    (
        (Disposition.PLEADED_GUILTY, 60),
        (Disposition.CONVICTED, 8),
        (Disposition.DISMISSED, 15),
        (Disposition.NOLLE_PROSEQUI, 10),
        (Disposition.ACQUITTED, 4),
    )
)
RELIEF_KINDS = _weighted(((ReliefKind.T_VISA, 55), (ReliefKind.CONTINUED_PRESENCE, 30), (ReliefKind.U_VISA, 15)))
ARRESTS = (DetentionOutcome.ARRESTED, DetentionOutcome.REFERRED, DetentionOutcome.CITED)


@dataclass
class CaseFile:
    """An investigation being gathered while its operation's contacts are generated."""

    id: int
    opened_on: date
    lead: object
    region: int
    trafficking_type: str
    operation_id: int
    people: dict[tuple[int, str], object] = field(default_factory=dict)
    arrested: dict[int, tuple[object, str]] = field(default_factory=dict)  # person id → (person, contact role)

    def met(self, person, role: str) -> None:
        person_role = PERSON_ROLE.get(role)
        if person_role:
            self.people.setdefault((person.id, person_role), person)

    def detained(self, person, role: str, result: str) -> None:
        if result in ARRESTS:
            self.arrested.setdefault(person.id, (person, role))


class Lifecycle:
    def __init__(self, rng: random.Random, writer, world: World, now: datetime, today: date, user_of):
        self.rng, self.world, self.now, self.today = rng, world, now, today
        self._user = user_of
        self.t = {
            m: writer.table(m)
            for m in (
                Investigation,
                Investigation.operations.through,
                InvestigationAgency,
                InvestigationPerson,
                Prosecution,
                Count,
                CourtEvent,
                ReliefRequest,
                ReliefEvent,
            )
        }
        self.statutes: dict[tuple[str, bool], list[int]] = {}
        for statute_id, jurisdiction, trafficking in Statute.objects.values_list(
            "id", "jurisdiction", "is_trafficking"
        ):
            self.statutes.setdefault((jurisdiction, trafficking), []).append(statute_id)
        self.federal_police = [
            a for a in world.agencies if a.kind == AgencyKind.LAW_ENFORCEMENT and a.level == AgencyLevel.FEDERAL
        ]
        self.references = YearlyCodes(Investigation, "reference", "INV")

    # --- helpers ---------------------------------------------------------------------

    def _at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.now.tzinfo)

    def _row(self, model, **values) -> None:
        """A row with the next id of its table."""
        table = self.t[model]
        table.add(id=table.new_id(), **values)

    def _after(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, max(low, high)))

    def _stamps(self, day: date, agency) -> dict:
        at = self._at(min(day, self.today), 11)
        return {"created_at": at, "updated_at": at, "created_by_id": self._user(agency)}

    # --- an investigation ---------------------------------------------------------------

    def maybe_open(self, operation_id: int, starts_at: datetime, status_started: bool, lead, region, kind):
        """A CaseFile when this operation becomes an investigation (decided before its contacts)."""
        if not status_started or self.rng.random() >= INVESTIGATION_CHANCE:
            return None
        opened = min(self._after(starts_at.astimezone(self.now.tzinfo).date(), 0, 3), self.today)
        return CaseFile(self.t[Investigation].new_id(), opened, lead, region, kind, operation_id)

    def write(self, case: CaseFile, police: list) -> None:
        rng, today = self.rng, self.today
        age = (today - case.opened_on).days
        fate = "open" if age < 60 else pick(rng, FATES)
        if fate == "referred" and not case.arrested:
            fate = "closed"
        values: dict = {"status": InvestigationStatus.OPEN}
        if fate == "closed":
            reason = pick(rng, CLOSING)
            values.update(
                status=InvestigationStatus.CLOSED,
                closed_on=self._after(case.opened_on, 30, min(age, 720)),
                closing_reason=reason,
                closing_note="Victims moved out of state (generated)." if reason == ClosingReason.OTHER else "",
            )
        elif fate == "referred":
            values["status"] = InvestigationStatus.REFERRED
        self.t[Investigation].add(
            id=case.id,
            reference=self.references.next(case.opened_on.year),
            title=f"Investigation following operation {case.operation_id} (generated)",
            trafficking_type=case.trafficking_type,
            lead_agency_id=case.lead.id,
            opened_on=case.opened_on,
            summary="Generated investigation for performance testing.",
            **values,
            **self._stamps(case.opened_on, case.lead),
        )
        self.t[Investigation.operations.through].add(investigation_id=case.id, operation_id=case.operation_id)
        agencies = {case.lead.id: InvestigationAgencyRole.LEAD}
        for agency in police:
            agencies.setdefault(agency.id, InvestigationAgencyRole.PARTICIPANT)
        prosecutor = None
        if fate == "referred":
            prosecutor = self._prosecutor(case)
            agencies[prosecutor.id] = InvestigationAgencyRole.PROSECUTION
        for agency_id, role in agencies.items():
            self._row(
                InvestigationAgency,
                investigation_id=case.id,
                agency_id=agency_id,
                role=role,
                since=case.opened_on,
            )
        named: dict[str, int] = {}
        victims = []
        for (person_id, role), person in case.people.items():
            named[role] = named.get(role, 0) + 1
            if role != InvestigationPersonRole.SUSPECT and named[role] > VICTIMS_NAMED:
                continue
            self._row(InvestigationPerson, investigation_id=case.id, person_id=person_id, role=role)
            if role == InvestigationPersonRole.VICTIM:
                victims.append(person)
        if prosecutor is not None:
            referred_on = self._after(case.opened_on, 14, min(age, 120))
            for person, role in case.arrested.values():
                if rng.random() < PROSECUTION_CHANCE:
                    self.prosecution(case, prosecutor, person, role, referred_on)
        for person in victims:
            if person.foreign and rng.random() < RELIEF_CHANCE:
                self.relief(case, person, police)

    def _prosecutor(self, case: CaseFile):
        offices = self.world.of_kind(case.region, AgencyKind.PROSECUTOR)
        federal = [a for a in offices if a.level == AgencyLevel.FEDERAL]
        county = [a for a in offices if a.level != AgencyLevel.FEDERAL]
        if federal and (not county or self.rng.random() < 0.2):
            return self.rng.choice(federal)
        return self.rng.choice(county)

    # --- a prosecution ----------------------------------------------------------------

    def prosecution(self, case: CaseFile, prosecutor, person, role: str, referred_on: date) -> None:
        rng, today = self.rng, self.today
        filed = self._after(referred_on, 0, 60)
        if filed > today:
            return
        federal = prosecutor.level == AgencyLevel.FEDERAL
        jurisdiction = Jurisdiction.FEDERAL if federal else Jurisdiction.STATE
        court = "United States District Court (generated)" if federal else "County Circuit Court (generated)"
        prosecution_id = self.t[Prosecution].new_id()
        self.t[Prosecution].add(
            id=prosecution_id,
            investigation_id=case.id,
            prosecuting_agency_id=prosecutor.id,
            court_jurisdiction=jurisdiction,
            court=court,
            docket_number=f"{filed.year % 100:02d}-CR-{prosecution_id:06d}",
            defendant_id=person.id,
            filed_on=filed,
            **self._stamps(filed, prosecutor),
        )
        trafficking = role == ContactRole.SUSPECTED_TRAFFICKER
        pool = self.statutes.get((jurisdiction, trafficking)) or self.statutes[(jurisdiction, True)]
        statutes = rng.sample(pool, k=min(len(pool), rng.randint(1, 3) if trafficking else 1))
        days = (today - filed).days
        outcome, decided = Disposition.PENDING, None
        if rng.random() < min(0.95, days / 400):
            outcome, decided = pick(rng, OUTCOMES), self._after(filed, 30, min(days, 540))
        for number, statute in enumerate(statutes, start=1):
            # A plea is usually to the first count, the others dismissed.
            disposition = outcome if number == 1 or outcome != Disposition.PLEADED_GUILTY else Disposition.DISMISSED
            self._row(
                Count,
                prosecution_id=prosecution_id,
                number=number,
                statute_id=statute,
                disposition=disposition,
                disposition_on=decided,
                **(
                    self._sentence(trafficking)
                    if disposition in (Disposition.PLEADED_GUILTY, Disposition.CONVICTED)
                    else {}
                ),
            )
        self.court_dates(prosecution_id, court, filed, outcome, decided)

    def _sentence(self, trafficking: bool) -> dict:
        rng = self.rng
        sentence = {
            "custody_months": rng.randint(24, 360)
            if trafficking
            else (rng.randint(1, 6) if rng.random() < 0.3 else None),
            "probation_months": rng.choice((12, 24, 36, 60)) if rng.random() < (0.4 if trafficking else 0.9) else None,
        }
        if rng.random() < 0.2:
            sentence["restitution"] = Decimal(rng.randint(5, 500) * 100)
        return sentence

    def court_dates(self, prosecution_id: int, court: str, filed: date, outcome: str, decided: date | None) -> None:
        rng, today = self.rng, self.today
        dates: list[tuple[str, date]] = [(CourtEventKind.ARRAIGNMENT, self._after(filed, 7, 21))]
        if decided:
            final = {
                Disposition.PLEADED_GUILTY: CourtEventKind.PLEA,
                Disposition.CONVICTED: CourtEventKind.TRIAL,
                Disposition.ACQUITTED: CourtEventKind.TRIAL,
            }.get(outcome, CourtEventKind.HEARING)
            dates.append((final, max(decided, dates[0][1])))
            if outcome in (Disposition.PLEADED_GUILTY, Disposition.CONVICTED):
                dates.append((CourtEventKind.SENTENCING, self._after(dates[-1][1], 0, 90)))
        else:
            if rng.random() < 0.6:
                dates.append((CourtEventKind.HEARING, self._after(dates[0][1], 14, 120)))
            # What the case waits for next, always ahead.
            upcoming = CourtEventKind.TRIAL if rng.random() < 0.3 else CourtEventKind.HEARING
            dates.append((upcoming, self._after(max(today, dates[-1][1]), 1, 150)))
        for kind, day in dates:
            past = day < today
            status = CourtEventStatus.SCHEDULED
            if past:
                status = CourtEventStatus.CONTINUED if rng.random() < 0.08 else CourtEventStatus.HELD
            self._row(
                CourtEvent,
                prosecution_id=prosecution_id,
                kind=kind,
                scheduled_at=self._at(day, rng.choice((9, 10, 13)), rng.choice((0, 30))),
                court=court,
                courtroom=f"Division {rng.randint(1, 12)}",
                status=status,
                created_at=self._at(min(day, today, filed + timedelta(days=7)), 8),
            )

    # --- immigration relief ------------------------------------------------------------

    def relief(self, case: CaseFile, person, police: list) -> None:
        rng, today = self.rng, self.today
        kind = pick(rng, RELIEF_KINDS)
        if kind == ReliefKind.CONTINUED_PRESENCE:
            asked = self.federal_police
        else:
            asked = [a for a in police if a.kind == AgencyKind.LAW_ENFORCEMENT]
        askers = self.world.of_kind(case.region, AgencyKind.LEGAL_AID, *SERVICE_KINDS, statewide=False)
        requested = self._after(case.opened_on, 10, 240)
        if not asked or not askers or requested > today:
            return
        self._request(case, person, kind, rng.choice(askers), rng.choice(asked), requested, renewal_of=None)

    def _request(self, case, person, kind, by, of, requested: date, renewal_of: int | None) -> None:
        rng, today = self.rng, self.today
        request_id = self.t[ReliefRequest].new_id()
        events: list[tuple[str, str, str, date, object]] = []
        status, values = ReliefStatus.REQUESTED, {}

        def step(action, target, day, agency) -> bool:
            nonlocal status
            if day > today:
                return False
            events.append((action, status, target, day, agency))
            status = target
            return True

        reviewed = self._after(requested, 2, 45)
        if rng.random() < 0.9 and step("review", ReliefStatus.UNDER_REVIEW, reviewed, of):
            values["reviewed_on"] = reviewed
            decided = self._after(reviewed, 10, 90)
            r = rng.random()
            if r < 0.1:
                step("withdraw", ReliefStatus.WITHDRAWN, decided, by)
            elif r < 0.25:
                if step("decline", ReliefStatus.DECLINED, decided, of):
                    values.update(decided_on=decided, decline_reason="Not enough to certify helpfulness (generated).")
            elif step("grant", ReliefStatus.GRANTED, decided, of):
                values["decided_on"] = decided
                if kind == ReliefKind.CONTINUED_PRESENCE:
                    values["expires_on"] = expires = decided + timedelta(days=CONTINUED_PRESENCE_DAYS)
                    if renewal_of is None and rng.random() < 0.5:
                        renewed = expires - timedelta(days=rng.randint(0, 45))
                        if step("renew", ReliefStatus.RENEWED, renewed, by):
                            values["renewed_on"] = renewed
                    elif expires < today:
                        step("expire", ReliefStatus.EXPIRED, expires, of)
        renewed_on = values.pop("renewed_on", None)
        self.t[ReliefRequest].add(
            id=request_id,
            person_id=person.id,
            kind=kind,
            requested_by_agency_id=by.id,
            requested_of_agency_id=of.id,
            investigation_id=case.id,
            consent=ConsentType.WRITTEN if rng.random() < 0.8 else ConsentType.VERBAL,
            consent_date=requested - timedelta(days=rng.randint(0, 7)),
            status=status,
            requested_on=requested,
            answer_due_on=requested + timedelta(days=settings.RELIEF_ANSWER_DAYS),
            renewal_of_id=renewal_of,
            **values,
            **self._stamps(requested, by),
        )
        for action, source, target, day, agency in events:
            self._row(
                ReliefEvent,
                request_id=request_id,
                action=action,
                from_status=source,
                to_status=target,
                on=day,
                recorded_at=self._at(day, 15),
                user_id=self._user(agency),
                agency_id=agency.id,
            )
        if renewed_on:
            self._request(case, person, kind, by, of, renewed_on, renewal_of=request_id)
