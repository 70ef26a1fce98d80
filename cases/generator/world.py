"""The generated task force: catalogues, agencies in regions, and their staff.

Agencies are grouped into regions of about twenty; operations draw their agencies from
one region plus the statewide ones, so a scoped user sees a realistic slice of the data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from agencies.models import Agency, AgencyKind, AgencyLevel, Membership, Role, User

from . import names
from .writer import Writer

# Share of the agencies by kind (the task force itself is always one).
AGENCY_SHARES = (
    (AgencyKind.PROSECUTOR, 0.05),
    (AgencyKind.VICTIM_SERVICES, 0.22),
    (AgencyKind.CHILD_WELFARE, 0.05),
    (AgencyKind.HEALTH, 0.06),
    (AgencyKind.LEGAL_AID, 0.06),
    (AgencyKind.OTHER, 0.03),
)
STATEWIDE_LAW_ENFORCEMENT = (
    ("State Highway Patrol", "SHP", AgencyLevel.STATE),
    ("Federal Bureau of Investigation, field office", "FBI", AgencyLevel.FEDERAL),
    ("Homeland Security Investigations, field office", "HSI", AgencyLevel.FEDERAL),
    ("United States Marshals Service, district office", "USMS", AgencyLevel.FEDERAL),
    ("State Bureau of Investigation", "SBI", AgencyLevel.STATE),
)
WORKING_ROLE = {
    AgencyKind.TASK_FORCE: Role.OFFICER,
    AgencyKind.LAW_ENFORCEMENT: Role.OFFICER,
    AgencyKind.PROSECUTOR: Role.OFFICER,
    AgencyKind.VICTIM_SERVICES: Role.ADVOCATE,
    AgencyKind.HEALTH: Role.ADVOCATE,
    AgencyKind.LEGAL_AID: Role.ADVOCATE,
    AgencyKind.OTHER: Role.ADVOCATE,
    AgencyKind.CHILD_WELFARE: Role.CASEWORKER,
}
SERVICE_KINDS = (AgencyKind.VICTIM_SERVICES, AgencyKind.HEALTH, AgencyKind.LEGAL_AID, AgencyKind.OTHER)


@dataclass
class AgencyInfo:
    id: int
    kind: str
    region: int | None  # None: statewide
    users: list[int] = field(default_factory=list)
    level: str = ""


@dataclass
class World:
    agencies: list[AgencyInfo]
    task_force: AgencyInfo
    regions: int
    service_types: list[int]
    indicators: list[int]
    vulnerabilities: list[int]

    def __post_init__(self):
        self.by_region: dict[tuple[int | None, str], list[AgencyInfo]] = {}
        for agency in self.agencies:
            self.by_region.setdefault((agency.region, agency.kind), []).append(agency)

    def of_kind(self, region: int, *kinds: str, statewide: bool = True) -> list[AgencyInfo]:
        found = [a for kind in kinds for a in self.by_region.get((region, kind), [])]
        if statewide or not found:
            found += [a for kind in kinds for a in self.by_region.get((None, kind), [])]
        return found


def load_catalogues() -> tuple[list[int], list[int], list[int]]:
    """The default catalogues (shared with the demo data), created if missing."""
    from cases.catalogue_data import load_catalogues as load
    from cases.models import Indicator, ServiceType, VulnerabilityFactor

    load()
    return (
        list(ServiceType.objects.order_by("order", "id").values_list("id", flat=True)),
        list(Indicator.objects.order_by("order", "id").values_list("id", flat=True)),
        list(VulnerabilityFactor.objects.order_by("order", "id").values_list("id", flat=True)),
    )


def _agency_kinds(count: int) -> list[str]:
    kinds = [AgencyKind.TASK_FORCE]
    for kind, share in AGENCY_SHARES:
        kinds += [kind] * max(1, round(count * share))
    kinds += [AgencyKind.LAW_ENFORCEMENT] * max(len(STATEWIDE_LAW_ENFORCEMENT) + 2, count - len(kinds))
    return kinds


class _UniqueNames:
    def __init__(self):
        self.seen: set[str] = set()

    def __call__(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.seen:
            n += 1
            candidate = f"{name} {n}"
        self.seen.add(candidate)
        return candidate


def build_world(rng: random.Random, writer: Writer, scale: float, now: datetime) -> World:
    """Write agencies, users and memberships; return what the case generator needs."""
    service_types, indicators, vulnerabilities = load_catalogues()
    agency_t, services_t = writer.table(Agency), writer.table(Agency.services.through)
    user_t, membership_t = writer.table(User), writer.table(Membership)

    kinds = _agency_kinds(max(12, round(200 * scale)))
    regions = max(1, len(kinds) // 20)
    unique = _UniqueNames()
    agencies: list[AgencyInfo] = []
    statewide = iter(STATEWIDE_LAW_ENFORCEMENT)
    child_welfare_seen = federal_prosecutor = False
    for i, kind in enumerate(kinds):
        region: int | None = i % regions
        county, town = rng.choice(names.COUNTIES), rng.choice(names.TOWNS)
        level = AgencyLevel.LOCAL
        if kind == AgencyKind.TASK_FORCE:
            name, short, level, region = (
                "State Human Trafficking Task Force (generated)",
                "GEN-HTTF",
                AgencyLevel.STATE,
                None,
            )
        elif kind == AgencyKind.LAW_ENFORCEMENT and (entry := next(statewide, None)):
            name, short, level = entry[0], entry[1], entry[2]
            region = None
        elif kind == AgencyKind.LAW_ENFORCEMENT:
            if rng.random() < 0.4:
                name, level = f"{county} County Sheriff's Office", AgencyLevel.COUNTY
            else:
                name = f"{town} Police Department"
        elif kind == AgencyKind.PROSECUTOR and not federal_prosecutor and kinds.count(kind) > 1:
            # One U.S. Attorney's Office for the whole state brings the federal cases.
            name, level, region = "United States Attorney's Office (generated)", AgencyLevel.FEDERAL, None
            federal_prosecutor = True
        elif kind == AgencyKind.PROSECUTOR:
            name, level = f"{county} County Prosecuting Attorney", AgencyLevel.COUNTY
        elif kind == AgencyKind.CHILD_WELFARE:
            if not child_welfare_seen:
                name, level, region = "State Children's Division (generated)", AgencyLevel.STATE, None
                child_welfare_seen = True
            else:
                name, level = f"Children's Division, {county} County office", AgencyLevel.COUNTY
        elif kind == AgencyKind.VICTIM_SERVICES:
            name = f"{town} {rng.choice(('Survivor Services', 'Safe House', 'Freedom Center', 'Advocacy Network'))}"
            level = AgencyLevel.NON_PROFIT
        elif kind == AgencyKind.HEALTH:
            name = f"{town} {rng.choice(('Community Clinic', 'Health Center', 'Recovery Center'))}"
        elif kind == AgencyKind.LEGAL_AID:
            name, level = f"{county} County Legal Aid", AgencyLevel.NON_PROFIT
        else:
            name, level = (
                f"{town} {rng.choice(('Interfaith Shelter', 'Workers Center', 'Youth Outreach'))}",
                AgencyLevel.NON_PROFIT,
            )
        agency_id = agency_t.new_id()
        agency_t.add(
            id=agency_id,
            name=unique(name),
            short_name=f"G{agency_id:05d}" if kind != AgencyKind.TASK_FORCE else short,
            kind=kind,
            level=level,
            jurisdiction=f"{county} County" if region is not None else "Statewide",
            phone=f"(555) 01{rng.randrange(10)}-{rng.randrange(10000):04d}",
            active=True,
        )
        if kind in SERVICE_KINDS:
            for st in rng.sample(service_types, k=min(len(service_types), rng.randint(2, 6))):
                services_t.add(agency_id=agency_id, servicetype_id=st)
        agencies.append(AgencyInfo(agency_id, kind, region, level=level))

    task_force = agencies[0]
    # Every agency has one worker; the task force its coordinators, analysts and auditor.
    staff: list[tuple[AgencyInfo, str]] = [(a, WORKING_ROLE[a.kind]) for a in agencies]
    staff += [(task_force, r) for r in (Role.COORDINATOR, Role.COORDINATOR, Role.ANALYST, Role.ANALYST, Role.AUDITOR)]
    staff += [(a, Role.SUPERVISOR) for a in agencies]
    weights = [5 if a.kind in (AgencyKind.LAW_ENFORCEMENT, AgencyKind.TASK_FORCE) else 2 for a in agencies]
    for _ in range(max(0, round(2000 * scale) - len(staff))):
        agency = rng.choices(agencies, weights)[0]
        staff.append((agency, Role.AUDITOR if rng.random() < 0.02 else WORKING_ROLE[agency.kind]))

    joined = datetime(now.year - 7, 1, 1, tzinfo=now.tzinfo)
    for agency, role in staff:
        user_id = user_t.new_id()
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        user_t.add(
            id=user_id,
            username=f"gen-{role}-{user_id}",
            password="!generated-no-password",
            first_name=first,
            last_name=last,
            email=f"gen-{user_id}@example.invalid",
            is_active=True,
            is_staff=False,
            is_superuser=False,
            is_demo=False,
            date_joined=joined,
        )
        membership_t.add(
            id=membership_t.new_id(),
            user_id=user_id,
            agency_id=agency.id,
            role=role,
            active=True,
            start_date=date(now.year - 7, 1, 1),
            can_override_consent=role == Role.SUPERVISOR,
        )
        if role in (Role.OFFICER, Role.ADVOCATE, Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR):
            agency.users.append(user_id)
    writer.flush()
    return World(agencies, task_force, regions, service_types, indicators, vulnerabilities)
