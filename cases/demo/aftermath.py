"""After the operations: the investigations, the prosecutions, court dates and immigration relief.

The sting becomes a St. Joseph police investigation referred to the county prosecutor,
who charges the five men detained that night with patronizing prostitution (RSMo
567.030): two plead guilty, one case is dismissed, two wait for a hearing next month.
The truck stops become an FBI investigation; the U.S. Attorney charges the three men
arrested there under 18 U.S.C. 1591, and their trial is set. The women met on those
nights are the investigations' victims, so their advocates are told the court dates.
Two women from the sting ask for immigration relief through their advocates; a walk-in's
request has waited forty days for an answer. Every person is invented.

Dates in the story are fixed, except those that must stay ahead of or just behind
"today" whenever the demo is loaded: the hearing next month, the trial, the relief
request under review (not yet overdue) and the overdue one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases.models import (
    CourtEventKind,
    CourtEventStatus,
    Disposition,
    ReliefKind,
    TraffickingType,
)

from . import casework as cw
from .builder import Builder, local

STING_INVESTIGATION = "Belt Highway motels: buyers answering online advertisements"
TRUCK_STOP_INVESTIGATION = "Interstate 29 truck stops: sex and forced-labor trafficking"
# Who opened each investigation, with whom, and when it went to which prosecutor.
STING_STORY = cw.CaseStory(
    "officer.sjpd",
    STING_INVESTIGATION,
    "SJPD",
    ("BCSO", "MSHP", "FBI-KC"),
    TraffickingType.SEX,
    date(2026, 8, 22),
    ("BCPA", date(2026, 9, 1)),
    "Follows the advertisements answered during Operation Riverfront: who posted them, who paid for the rooms, "
    "and the five men who arrived to buy sex.",
)
TRUCK_STOP_STORY = cw.CaseStory(
    "agent.fbi",
    TRUCK_STOP_INVESTIGATION,
    "FBI-KC",
    ("MSHP", "HSI-KC"),
    TraffickingType.BOTH,
    date(2026, 5, 16),
    ("USAO-WDMO", date(2026, 5, 29)),
    "Women sold from the lots of two Interstate 29 truck stops and a worker held in a trailer behind the fuel "
    "center to pay off a debt; the three men arrested on the night.",
)
COUNTY_COURT = "Buchanan County Circuit Court"
FEDERAL_COURT = "U.S. District Court for the Western District of Missouri"

# Buyer → docket number, and what became of the count of patronizing prostitution:
# (disposition, day, custody months, probation months).
STING_CASES = {
    "Kenneth Albury": ("26BU-CR01412", Disposition.PLEADED_GUILTY, date(2026, 10, 20), None, 12),
    "Travis Mulholland": ("26BU-CR01413", Disposition.DISMISSED, date(2026, 10, 6), None, None),
    "Derek Sanderlin": ("26BU-CR01414", Disposition.PENDING, None, None, None),
    "Curtis Wendorf": ("26BU-CR01415", Disposition.PLEADED_GUILTY, date(2026, 11, 10), 2, 12),
    "Lance Brightwater": ("26BU-CR01416", Disposition.PENDING, None, None, None),
}

# Defendant → the statutes of the indictment's counts, in order.
FEDERAL_COUNTS = {
    "Dwayne Holcomb": ("18 U.S.C. 1591", "18 U.S.C. 2421"),
    "Russell Vantrease": ("18 U.S.C. 1591", "18 U.S.C. 1589"),
    "Garrett Plumlee": ("18 U.S.C. 1591",),
}
FEDERAL_DOCKET = "5:26-cr-06031"


def next_month_hearing(today: date) -> date:
    """The 15th of next month, moved to the Monday after if it falls on a weekend."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    day = first.replace(day=15)
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def trial_day(today: date) -> date:
    """A Monday about ten weeks ahead."""
    day = today + timedelta(weeks=10)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def build(b: Builder, truck_stops: dict, sting: dict, walk_in) -> dict:
    today = timezone.localdate()
    # The truck stops came first (May), so their prosecutions are numbered first.
    story = {"truck_stops": _truck_stops(b, truck_stops, today), "sting": _sting(b, sting, today)}
    story["relief"] = _relief(b, sting, walk_in, story["sting"]["investigation"], today)
    return story


def _sting(b: Builder, sting: dict, today: date) -> dict:
    prosecutor = b.user("prosecutor.bcpa")
    buyers = sting["buyers"]
    inv = cw.from_operation(b, STING_STORY, sting["operation"], suspects=buyers, victims=sting["women"])

    prosecutions = {}
    for name, (docket, disposition, on, custody, probation) in STING_CASES.items():
        case = cw.prosecution(
            prosecutor, inv, buyers[name].person, date(2026, 9, 8), court=COUNTY_COURT, docket_number=docket
        )
        cw.count(
            prosecutor,
            case,
            1,
            "RSMo 567.030",
            disposition=disposition,
            on=on,
            custody_months=custody,
            probation_months=probation,
        )
        cw.arraigned(prosecutor, case, local(2026, 9, 22, 9, 0), courtroom="Division 4")
        if disposition == Disposition.PLEADED_GUILTY:
            cw.court_event(
                prosecutor,
                case,
                CourtEventKind.PLEA,
                cw.morning(on, 10),
                status=CourtEventStatus.HELD,
                courtroom="Division 4",
                notes="Plea accepted; sentenced the same day.",
            )
        elif disposition == Disposition.PENDING:
            cw.court_event(
                prosecutor,
                case,
                CourtEventKind.HEARING,
                cw.morning(next_month_hearing(today), 9, 30),
                courtroom="Division 4",
                notes="Motion to suppress the online messages.",
            )
        prosecutions[name] = case
    return {"investigation": inv, "prosecutions": prosecutions}


def _truck_stops(b: Builder, truck_stops: dict, today: date) -> dict:
    prosecutor = b.user("prosecutor.usao")
    arrested = truck_stops["arrested"]
    inv = cw.from_operation(
        b, TRUCK_STOP_STORY, truck_stops["operation"], suspects=arrested, victims=truck_stops["victims"]
    )

    trial = cw.morning(trial_day(today), 9)
    prosecutions = {}
    for number, (name, statutes) in enumerate(FEDERAL_COUNTS.items(), start=1):
        case = cw.prosecution(
            prosecutor,
            inv,
            arrested[name].person,
            date(2026, 6, 11),
            court=FEDERAL_COURT,
            docket_number=f"{FEDERAL_DOCKET}-0{number}",
            notes="Indicted together; the state charges were dismissed in favor of the federal case.",
        )
        for count_number, statute in enumerate(statutes, start=1):
            cw.count(prosecutor, case, count_number, statute)
        cw.arraigned(prosecutor, case, local(2026, 6, 18, 10, 0), courtroom="Courtroom 2, St. Joseph")
        cw.court_event(
            prosecutor,
            case,
            CourtEventKind.TRIAL,
            trial,
            courtroom="Courtroom 2, St. Joseph",
            notes="Joint jury trial of the three defendants; five days set aside.",
        )
        prosecutions[name] = case
    return {"investigation": inv, "prosecutions": prosecutions}


def _relief(b: Builder, sting: dict, walk_in, inv, today: date) -> dict:
    officer, agent = b.user("officer.sjpd"), b.user("agent.fbi")
    clinic, harbor, northland = b.user("advocate.prairie"), b.user("advocate.harbor"), b.user("advocate.northland")
    women = sting["women"]

    # The legal clinic takes Nadia on as a client, then asks the police for her T-visa declaration.
    # Referred from the investigation, weeks after the night: not one of the operation's referrals.
    nadia = women["Nadia Petrenko"]
    b.referral(
        officer,
        person=nadia.person,
        contact=None,
        from_agency="SJPD",
        to_agency="PRAIRIE-LAW",
        services=("legal_aid", "immigration"),
        receiver=clinic,
        status="accepted",
        reason="Ukrainian national brought to St. Joseph by the men who advertised her; asked about staying "
        "in the United States.",
        times={
            "created": local(2026, 9, 2, 9, 40),
            "send": local(2026, 9, 2, 10, 0),
            "acknowledge": local(2026, 9, 3, 9, 15),
            "accept": local(2026, 9, 4, 11, 0),
        },
    )
    t_visa = cw.relief(
        clinic,
        b=b,
        person=nadia.person,
        kind=ReliefKind.T_VISA,
        of="SJPD",
        investigation=inv,
        consent_on=date(2026, 9, 14),
        requested_on=date(2026, 9, 15),
        notes="Draft Supplement B attached to the clinic's file; interpreter present when she signed the consent.",
        steps=(
            ("review", officer, date(2026, 9, 21), {}),
            ("grant", officer, date(2026, 10, 13), {"note": "Declaration signed by the lieutenant of the unit."}),
        ),
    )

    # Maribel's advocate from the night asks the FBI to request Continued Presence; it is under review.
    maribel = women["Maribel Escarcega"]
    continued_presence = cw.relief(
        harbor,
        b=b,
        person=maribel.person,
        kind=ReliefKind.CONTINUED_PRESENCE,
        of="FBI-KC",
        investigation=inv,
        requested_on=today - timedelta(days=12),
        steps=(("review", agent, today - timedelta(days=6), {}),),
    )

    # The walk-in's advocate asked the Kansas City police forty days ago and has had no answer.
    overdue = cw.relief(
        northland,
        b=b,
        person=walk_in.person,
        kind=ReliefKind.T_VISA,
        of="KCPD",
        consent_on=today - timedelta(days=41),
        requested_on=today - timedelta(days=40),
        notes="Employer holds her passport; she is willing to help the police.",
    )
    return {"t_visa": t_visa, "continued_presence": continued_presence, "overdue": overdue}
