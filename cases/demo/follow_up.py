"""After the operations: a walk-in, and referrals to the partners in every workflow state.

Sent "now": one referral is sent when the demo loads, so it is waiting but not yet
overdue; another was sent weeks ago and is overdue. Every person here is invented.
"""

from __future__ import annotations

from datetime import timedelta

from cases.models import (
    Citizenship,
    Gender,
    ReferralClosure,
)
from cases.models import (
    ContactOutcome as Out,
)
from cases.models import (
    ContactRole as R,
)

from .builder import Builder, local
from .truck_stops import REPEAT_PERSON


def walk_in(b: Builder):
    """A woman who walked into a Kansas City police station, outside any operation."""
    officer = b.user("officer.kcpd")
    at = local(2026, 10, 6, 14, 20)
    person = b.person(
        officer,
        legal_name="Gabriela Mendes-Lira",
        recorded_at=at,
        age=26,
        gender=Gender.FEMALE,
        citizenship=Citizenship.FOREIGN,
        languages="Portuguese, English",
        factors=("asylum_seeker", "economic_hardship"),
        phone="816-555-0199",
        safe_contact_notes="Text first; do not leave voicemail.",
    )
    contact = b.contact(
        officer,
        person,
        operation=None,
        agency="KCPD",
        occurred_at=at,
        place="KCPD East Patrol Division, front desk",
        role=R.POTENTIAL_VICTIM,
        outcome=Out.OFFERED_SERVICES,
        indicators=("no_id_control", "debt_bondage", "excessive_hours"),
        narrative="Walked in and said her employer at a cleaning company keeps her passport and her "
        "wages until a recruitment debt is paid.",
    )
    b.offer(
        officer,
        contact,
        "crisis_intervention",
        offered_by="KCPD",
        response="accepted",
        delivered_at=at + timedelta(minutes=30),
    )
    b.offer(
        officer,
        contact,
        "transportation",
        offered_by="KCPD",
        response="accepted",
        delivered_at=at + timedelta(hours=1, minutes=40),
    )
    b.offer(officer, contact, "shelter", offered_by="KCPD", provider="NORTHLAND", response="accepted")
    return contact


def referrals(b: Builder, truck_stops: dict, sting: dict, walk_in_contact) -> dict:
    trooper, officer, kcpd = b.user("trooper.mshp"), b.user("officer.sjpd"), b.user("officer.kcpd")
    harbor, northland = b.user("advocate.harbor"), b.user("advocate.northland")
    a_victims, b_women = truck_stops["victims"], sting["women"]
    out = {}

    def refer(key, sender, contact, **kwargs):
        out[key] = b.referral(sender, person=contact.person, contact=contact, **kwargs)

    refer(
        "closed",
        trooper,
        a_victims["Tamsin Reyes-Ortiz"],
        from_agency="MSHP",
        to_agency="HARBOR",
        services=("shelter", "counseling", "case_management"),
        receiver=harbor,
        status="closed",
        closure=ReferralClosure.COMPLETED,
        reason="Needs a safe place to stay tonight and trauma counseling; asked for a woman advocate.",
        times={
            "send": local(2026, 5, 16, 2, 10),
            "acknowledge": local(2026, 5, 16, 8, 30),
            "accept": local(2026, 5, 16, 9, 0),
            "start_service": local(2026, 5, 16, 14, 0),
            "close": local(2026, 9, 30, 16, 0),
        },
        offers=(
            ("shelter", "accepted", local(2026, 5, 16, 9, 5), local(2026, 5, 16, 14, 0)),
            ("counseling", "accepted", local(2026, 5, 16, 9, 5), local(2026, 5, 19, 10, 0)),
        ),
    )

    refer(
        "overdue",
        trooper,
        a_victims["Teodoro Villalpando"],
        from_agency="MSHP",
        to_agency="HEARTLAND",
        services=("interpreter", "immigration", "case_management"),
        status="sent",
        reason="Foreign national labor-trafficking victim; needs help applying for continued presence and a T visa.",
        times={"created": local(2026, 11, 2, 9, 30), "send": local(2026, 11, 2, 10, 0)},
    )

    refer(
        "in_service",
        officer,
        b_women[REPEAT_PERSON],
        from_agency="SJPD",
        to_agency="HARBOR",
        services=("shelter", "counseling", "substance_use"),
        receiver=harbor,
        status="in_service",
        reason="Declined help at the truck stops in May; tonight she asked for a bed and treatment.",
        times={
            "send": local(2026, 8, 21, 21, 0),
            "acknowledge": local(2026, 8, 22, 8, 0),
            "accept": local(2026, 8, 22, 8, 30),
            "start_service": local(2026, 8, 22, 12, 0),
        },
        offers=(
            ("shelter", "accepted", local(2026, 8, 22, 8, 35), local(2026, 8, 22, 12, 0)),
            ("substance_use", "accepted", local(2026, 8, 22, 8, 35), None),
        ),
    )
    b.note(
        harbor,
        agency="HARBOR",
        referral=out["in_service"],
        written_at=local(2026, 8, 29, 17, 0),
        text="Client asked that we text, never call, and only before 6 pm. Doing well in week one of treatment.",
    )

    refer(
        "declined",
        officer,
        b_women["Destiny Harlan"],
        from_agency="SJPD",
        to_agency="NORTHLAND",
        services=("shelter",),
        receiver=northland,
        status="declined",
        decline_reason="Our shelter is full until December. Safe Harbor Advocates has a bed tonight.",
        reason="Needs shelter away from the man who brought her to the motel.",
        times={
            "send": local(2026, 8, 22, 1, 0),
            "acknowledge": local(2026, 8, 22, 9, 0),
            "decline": local(2026, 8, 22, 9, 30),
        },
    )

    refer(
        "acknowledged",
        officer,
        b_women["Nadia Petrenko"],
        from_agency="SJPD",
        to_agency="NORTHLAND",
        services=("counseling", "interpreter"),
        receiver=northland,
        status="acknowledged",
        reason="Ukrainian speaker; asked for counseling in her own language.",
        times={
            "created": local(2026, 11, 18, 8, 45),
            "send": local(2026, 11, 18, 9, 0),
            "acknowledge": local(2026, 11, 19, 10, 0),
        },
    )

    refer(
        "draft",
        officer,
        b_women["Maribel Escarcega"],
        from_agency="SJPD",
        to_agency="HEARTLAND",
        services=("interpreter", "immigration"),
        status="draft",
        reason="Asylum seeker; needs a Spanish interpreter for her immigration appointment.",
        times={"created": local(2026, 11, 20, 15, 0)},
    )

    refer(
        "sent",
        officer,
        b_women["Maribel Escarcega"],
        from_agency="SJPD",
        to_agency="PRAIRIE-LAW",
        services=("legal_aid", "immigration"),
        status="sent",
        reason="Needs a lawyer for her asylum case and to clear a prostitution citation from 2025.",
        times={"created": local(2026, 11, 21, 11, 0), "send": None},
    )

    refer(
        "revoked",
        officer,
        b_women["Amber Fitzwater"],
        from_agency="SJPD",
        to_agency="RIVERBEND",
        services=("substance_use",),
        status="revoked",
        revoke_reason="She was admitted to hospital the next morning; the hospital arranges her treatment.",
        reason="Asked for detox and outpatient treatment.",
        times={"send": local(2026, 8, 22, 2, 0), "revoke": local(2026, 8, 23, 10, 0)},
    )

    refer(
        "accepted",
        kcpd,
        walk_in_contact,
        from_agency="KCPD",
        to_agency="NORTHLAND",
        services=("shelter", "case_management"),
        receiver=northland,
        status="accepted",
        reason="Needs a safe place to stay away from her employer's housing.",
        times={
            "send": local(2026, 10, 6, 15, 30),
            "acknowledge": local(2026, 10, 6, 16, 10),
            "accept": local(2026, 10, 7, 9, 0),
        },
    )
    return out
