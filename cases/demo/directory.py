"""The demonstration task force: its agencies, the services they give, and staff logins.

Public agencies carry their real public names; every non-profit, clinic and every
person (staff included) is invented.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from agencies.models import Agency, Membership, Role, User
from agencies.models import AgencyKind as K
from agencies.models import AgencyLevel as L
from cases.catalogue_data import upsert
from cases.models import ServiceType

TASK_FORCE = "AGO-HTTF"


class AgencyRow(NamedTuple):
    short_name: str
    name: str
    kind: str
    level: str
    jurisdiction: str
    services: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""


AGENCIES: tuple[AgencyRow, ...] = (
    AgencyRow(
        TASK_FORCE,
        "Missouri Attorney General's Human Trafficking Task Force",
        K.TASK_FORCE,
        L.STATE,
        "State of Missouri",
        ("case_management",),
    ),
    AgencyRow(
        "SJPD",
        "St. Joseph Police Department",
        K.LAW_ENFORCEMENT,
        L.LOCAL,
        "City of St. Joseph",
        ("crisis_intervention", "transportation"),
    ),
    AgencyRow(
        "KCPD",
        "Kansas City Police Department",
        K.LAW_ENFORCEMENT,
        L.LOCAL,
        "Kansas City, Missouri",
        ("crisis_intervention", "transportation"),
    ),
    AgencyRow(
        "SPD",
        "Springfield Police Department",
        K.LAW_ENFORCEMENT,
        L.LOCAL,
        "City of Springfield",
        ("crisis_intervention",),
    ),
    AgencyRow(
        "SLMPD",
        "St. Louis Metropolitan Police Department",
        K.LAW_ENFORCEMENT,
        L.LOCAL,
        "City of St. Louis",
        ("crisis_intervention",),
    ),
    AgencyRow(
        "BCSO", "Buchanan County Sheriff's Office", K.LAW_ENFORCEMENT, L.COUNTY, "Buchanan County", ("transportation",)
    ),
    AgencyRow(
        "JCSO", "Jackson County Sheriff's Office", K.LAW_ENFORCEMENT, L.COUNTY, "Jackson County", ("transportation",)
    ),
    AgencyRow("GCSO", "Greene County Sheriff's Office", K.LAW_ENFORCEMENT, L.COUNTY, "Greene County"),
    AgencyRow(
        "JOCOSO",
        "Johnson County Sheriff's Office",
        K.LAW_ENFORCEMENT,
        L.COUNTY,
        "Johnson County, Missouri",
        ("transportation",),
    ),
    AgencyRow(
        "MSHP", "Missouri State Highway Patrol", K.LAW_ENFORCEMENT, L.STATE, "State of Missouri", ("transportation",)
    ),
    AgencyRow(
        "FBI-KC",
        "FBI Kansas City Field Office",
        K.LAW_ENFORCEMENT,
        L.FEDERAL,
        "Western Missouri and Kansas",
        ("crisis_intervention",),
    ),
    AgencyRow(
        "HSI-KC",
        "Homeland Security Investigations Kansas City",
        K.LAW_ENFORCEMENT,
        L.FEDERAL,
        "Kansas City area of responsibility",
        ("immigration",),
    ),
    AgencyRow(
        "USMS-WDMO",
        "U.S. Marshals Service Western District of Missouri",
        K.LAW_ENFORCEMENT,
        L.FEDERAL,
        "Western District of Missouri",
    ),
    AgencyRow(
        "MODOC-PP",
        "Missouri Department of Corrections, Division of Probation and Parole",
        K.LAW_ENFORCEMENT,
        L.STATE,
        "State of Missouri",
    ),
    AgencyRow("MSP", "Missouri State Parks", K.LAW_ENFORCEMENT, L.STATE, "State of Missouri"),
    AgencyRow("BCPA", "Buchanan County Prosecuting Attorney", K.PROSECUTOR, L.COUNTY, "Buchanan County"),
    AgencyRow(
        "USAO-WDMO",
        "U.S. Attorney's Office for the Western District of Missouri",
        K.PROSECUTOR,
        L.FEDERAL,
        "Western District of Missouri",
    ),
    AgencyRow(
        "MO-CD",
        "Missouri Children's Division",
        K.CHILD_WELFARE,
        L.STATE,
        "State of Missouri",
        ("childcare", "case_management", "crisis_intervention"),
    ),
    # Invented non-profits: the numbers are fictional 555 numbers, the addresses example domains.
    AgencyRow(
        "HARBOR",
        "Safe Harbor Advocates",
        K.VICTIM_SERVICES,
        L.NON_PROFIT,
        "Northwest Missouri",
        ("food", "shelter", "counseling", "case_management", "crisis_intervention", "transportation"),
        "816-555-0142",
        "intake@safeharbor.example.org",
        "https://safeharbor.example.org",
    ),
    AgencyRow(
        "NORTHLAND",
        "Northland Survivor Services",
        K.VICTIM_SERVICES,
        L.NON_PROFIT,
        "Kansas City Northland",
        ("shelter", "counseling", "substance_use", "case_management", "financial"),
        "816-555-0177",
        "referrals@northland.example.org",
        "https://northland.example.org",
    ),
    AgencyRow(
        "HEARTLAND",
        "Heartland Freedom Network",
        K.VICTIM_SERVICES,
        L.NON_PROFIT,
        "Statewide",
        ("case_management", "transportation", "financial", "interpreter", "immigration"),
        "573-555-0110",
        "help@heartlandfreedom.example.org",
        "https://heartlandfreedom.example.org",
    ),
    AgencyRow(
        "RIVERBEND",
        "Riverbend Community Health Clinic",
        K.HEALTH,
        L.NON_PROFIT,
        "Buchanan County",
        ("medical", "substance_use", "counseling"),
        "816-555-0190",
        "frontdesk@riverbendclinic.example.org",
        "https://riverbendclinic.example.org",
    ),
    AgencyRow(
        "PRAIRIE-LAW",
        "Prairie Legal Aid Collaborative",
        K.LEGAL_AID,
        L.NON_PROFIT,
        "Western Missouri",
        ("legal_aid", "immigration"),
        "816-555-0123",
        "intake@prairielegal.example.org",
        "https://prairielegal.example.org",
    ),
)


class StaffRow(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str  # short name


# One login for every role, in the agencies where the role is at home. Invented people.
STAFF: tuple[StaffRow, ...] = (
    StaffRow("coordinator", "Casey", "Whitfield", Role.COORDINATOR, TASK_FORCE),
    StaffRow("analyst", "Priya", "Lindqvist", Role.ANALYST, TASK_FORCE),
    StaffRow("auditor.taskforce", "Theo", "Marchbanks", Role.AUDITOR, TASK_FORCE),
    StaffRow("officer.sjpd", "Sam", "Okonkwo", Role.OFFICER, "SJPD"),
    StaffRow("supervisor.sjpd", "Susan", "Delacroix", Role.SUPERVISOR, "SJPD"),
    StaffRow("auditor.sjpd", "Alan", "Ridgeway", Role.AUDITOR, "SJPD"),
    StaffRow("officer.kcpd", "Kim", "Navarro", Role.OFFICER, "KCPD"),
    StaffRow("trooper.mshp", "Marcus", "Bellweather", Role.OFFICER, "MSHP"),
    StaffRow("agent.fbi", "Frances", "Mortimer", Role.OFFICER, "FBI-KC"),
    StaffRow("advocate.harbor", "Hana", "Castellanos", Role.ADVOCATE, "HARBOR"),
    StaffRow("advocate.northland", "Nora", "Lindgren", Role.ADVOCATE, "NORTHLAND"),
    StaffRow("caseworker.cd", "Cora", "Abernathy", Role.CASEWORKER, "MO-CD"),
    # Prosecutors hold the officer role in a prosecutor's office; the clinic's advocate asks
    # law enforcement for immigration relief.
    StaffRow("prosecutor.bcpa", "Paula", "Ingersoll", Role.OFFICER, "BCPA"),
    StaffRow("prosecutor.usao", "Ulysses", "Brandvold", Role.OFFICER, "USAO-WDMO"),
    StaffRow("advocate.prairie", "Lena", "Okafor-Hale", Role.ADVOCATE, "PRAIRIE-LAW"),
)

# The system administrator keeps accounts, catalogues, lock-outs and two-step devices in
# the admin. It is a Django superuser with no membership, kept apart from the coordinator,
# who runs the case records through the access policy and is no superuser.
SYSADMIN = StaffRow("sysadmin", "Rowan", "Achterberg", "", "")
SYSADMIN_ROLE = "System administrator"
SYSADMIN_PLACE = "No agency: user accounts and catalogues in the admin"

MEMBERSHIP_START = date(2026, 1, 1)


def load_agencies() -> dict[str, Agency]:
    services = {s.code: s for s in ServiceType.objects.all()}
    agencies: dict[str, Agency] = {}
    for row in AGENCIES:
        agency = upsert(
            Agency,
            {"short_name": row.short_name},
            {
                "name": row.name,
                "kind": row.kind,
                "level": row.level,
                "jurisdiction": row.jurisdiction,
                "phone": row.phone,
                "email": row.email,
                "website": row.website,
                "active": True,
            },
        )
        agency.services.set([services[code] for code in row.services])
        agencies[row.short_name] = agency
    return agencies


def load_staff(agencies: dict[str, Agency], password: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for row in STAFF:
        user = upsert(
            User,
            {"username": row.username},
            {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "email": f"{row.username}@demo.example.org",
                "is_demo": True,
                "is_staff": True,
                "is_superuser": False,
                "is_active": True,
            },
        )
        # Hashing is slow on purpose; only write when the password is not already the demo one.
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        upsert(
            Membership,
            {"user": user, "active": True},
            {"agency": agencies[row.agency], "role": row.role, "start_date": MEMBERSHIP_START, "end_date": None},
        )
        users[row.username] = user
    users[SYSADMIN.username] = _load_sysadmin(password)
    return users


def _load_sysadmin(password: str) -> User:
    user = upsert(
        User,
        {"username": SYSADMIN.username},
        {
            "first_name": SYSADMIN.first_name,
            "last_name": SYSADMIN.last_name,
            "email": f"{SYSADMIN.username}@demo.example.org",
            "is_demo": True,
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
        },
    )
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, agency name) for every demo login: the system administrator, then the staff."""
    names = {row.short_name: row.name for row in AGENCIES}
    kinds = {row.short_name: row.kind for row in AGENCIES}
    staff = [(row.username, _role_label(row, kinds[row.agency]), names[row.agency]) for row in STAFF]
    return [(SYSADMIN.username, SYSADMIN_ROLE, SYSADMIN_PLACE)] + staff


def _role_label(row: StaffRow, agency_kind: str) -> str:
    label = Role(row.role).label
    return f"{label} (prosecutor)" if agency_kind == K.PROSECUTOR else label
