"""Operation (a): a night operation at two truck stops on Interstate 29.

Eight people rescued (five adult women, one adult man, a two-year-old and an infant)
and three men arrested, by sixteen agencies. Food, shelter, medical care, counseling and
substance-use treatment were offered to every adult; the two small children went into
protective custody and were handed to the Children's Division. Every person here is
invented; the agencies are the public agencies the press release names, by their real
names, and invented non-profits.
"""

from __future__ import annotations

from datetime import date, timedelta

from cases.models import (
    ChargeClass,
    Citizenship,
    CustodyEventKind,
    DetentionOutcome,
    Gender,
    OperationKind,
    TraffickingType,
    VenueType,
)
from cases.models import (
    ContactOutcome as Out,
)
from cases.models import (
    ContactRole as R,
)
from cases.models import (
    ParticipationRole as P,
)

from .builder import Builder, local

NAME = "Operation Midnight Mile"
STARTS = local(2026, 5, 15, 21, 30)

# The person contacted here and again in the sting, who accepted help only the second time.
REPEAT_PERSON = "Brianna Coldwell"

# name, age, location index, minutes after the start, indicators, vulnerability factors, offer responses
WOMEN = (
    (
        REPEAT_PERSON,
        24,
        0,
        50,
        ("controlling_companion", "several_phones_keys", "fearful_submissive"),
        ("runaway_homeless", "substance_use"),
        ("declined", "declined", "declined", "declined", "declined"),
    ),
    (
        "Tamsin Reyes-Ortiz",
        31,
        0,
        65,
        ("physical_abuse", "no_money_control"),
        ("prior_abuse",),
        ("accepted", "accepted", "accepted", "accepted", "declined"),
    ),
    (
        "Kaylee Dunmore",
        22,
        0,
        80,
        ("branding_tattoo", "scripted_answers", "fearful_submissive"),
        ("foster_care", "prior_abuse"),
        ("accepted", "accepted", "accepted", "undecided", "declined"),
    ),
    (
        "Marisol Quintanar",
        27,
        1,
        160,
        ("no_id_control", "unaware_of_location", "debt_bondage"),
        ("limited_english", "economic_hardship"),
        ("accepted", "accepted", "accepted", "accepted", "declined"),
    ),
    (
        "Jolene Achterberg",
        38,
        1,
        185,
        ("malnourished", "inconsistent_story"),
        ("substance_use", "mental_health"),
        ("accepted", "declined", "accepted", "declined", "accepted"),
    ),
)
# Every adult was offered all five, as the press release says ("food, lodging, onsite
# medical services, counseling/therapy and drug rehabilitation").
SERVICES = ("food", "shelter", "medical", "counseling", "substance_use")
PROVIDERS = {"medical": "RIVERBEND", "substance_use": "NORTHLAND"}


def build(b: Builder) -> dict:
    trooper, agent = b.user("trooper.mshp"), b.user("agent.fbi")
    caseworker = b.user("caseworker.cd")
    op = b.operation(
        trooper,
        name=NAME,
        lead="MSHP",
        lead_staff=14,
        # Sixteen agencies, as in the press release: the lead and fifteen others.
        participants={
            "AGO-HTTF": (P.SUPPORT, 3),
            "SJPD": (P.SUPPORT, 5),
            "BCSO": (P.SUPPORT, 4),
            "KCPD": (P.SUPPORT, 2),
            "JOCOSO": (P.SUPPORT, 2),
            "FBI-KC": (P.SUPPORT, 6),
            "HSI-KC": (P.SUPPORT, 4),
            "USMS-WDMO": (P.SUPPORT, 2),
            "MODOC-PP": (P.SUPPORT, 2),
            "MSP": (P.SUPPORT, 2),
            "HARBOR": (P.VICTIM_SERVICES, 4),
            "NORTHLAND": (P.VICTIM_SERVICES, 2),
            "RIVERBEND": (P.VICTIM_SERVICES, 2),
            "MO-CD": (P.CHILD_WELFARE, 2),
            "BCPA": (P.PROSECUTION, 1),
        },
        kind=OperationKind.RESCUE,
        trafficking_type=TraffickingType.BOTH,
        starts_at=STARTS,
        ends_at=local(2026, 5, 16, 4, 15),
        summary="Overnight operation at two truck stops on Interstate 29 after tips about women being sold "
        "from the lots and a labor recruiter housing workers in a trailer behind the fuel center.",
        expected_victims=8,
        expected_genders="female",
        expected_languages="English, Spanish",
        minors_expected=True,
        briefing_notes="Advocates and a nurse wait at the staging area behind the weigh station. "
        "Bring Spanish-language materials and two infant car seats.",
    )
    plaza = b.location(
        trooper,
        op,
        venue_name="Riverbluff Travel Plaza",
        venue_type=VenueType.TRUCK_STOP,
        address="Interstate 29 frontage road",
        city="St. Joseph",
        county="Buchanan",
        state="MO",
        latitude="39.812400",
        longitude="-94.811900",
    )
    fuel = b.location(
        trooper,
        op,
        venue_name="Northgate Fuel Center",
        venue_type=VenueType.TRUCK_STOP,
        address="U.S. Route 169 at Interstate 29",
        city="St. Joseph",
        county="Buchanan",
        state="MO",
        latitude="39.834700",
        longitude="-94.798300",
    )
    places = (plaza, fuel)

    victims = {}
    for name, age, where, minutes, indicators, factors, responses in WOMEN:
        at = STARTS + timedelta(minutes=minutes)
        person = b.person(
            trooper,
            legal_name=name,
            recorded_at=at,
            age=age,
            gender=Gender.FEMALE,
            citizenship=Citizenship.FOREIGN if name == "Marisol Quintanar" else Citizenship.US,
            languages="Spanish, English" if name == "Marisol Quintanar" else "English",
            factors=factors,
        )
        contact = b.contact(
            trooper,
            person,
            operation=op,
            agency="MSHP",
            occurred_at=at,
            location=places[where],
            role=R.CONFIRMED_VICTIM
            if "physical_abuse" in indicators or "branding_tattoo" in indicators
            else R.POTENTIAL_VICTIM,
            outcome=Out.OFFERED_SERVICES,
            indicators=indicators,
            narrative="Approached in a parked tractor-trailer cab; spoke with an advocate away from the companion.",
        )
        for service, response in zip(SERVICES, responses):
            b.offer(
                trooper,
                contact,
                service,
                offered_by="HARBOR" if service != "medical" else "RIVERBEND",
                response=response,
                provider=PROVIDERS.get(service),
                delivered_at=at + timedelta(hours=2)
                if response == "accepted" and service in ("food", "medical")
                else None,
            )
        victims[name] = contact

    # A man held to work off a "debt" at the fuel center, found by HSI.
    worker = b.person(
        trooper,
        legal_name="Teodoro Villalpando",
        recorded_at=STARTS + timedelta(minutes=170),
        age=34,
        gender=Gender.MALE,
        citizenship=Citizenship.FOREIGN,
        languages="Spanish",
        interpreter_needed=True,
        factors=("limited_english", "economic_hardship"),
    )
    victims["Teodoro Villalpando"] = man = b.contact(
        trooper,
        worker,
        operation=op,
        agency="HSI-KC",
        occurred_at=STARTS + timedelta(minutes=170),
        location=fuel,
        role=R.CONFIRMED_VICTIM,
        outcome=Out.OFFERED_SERVICES,
        indicators=("no_id_control", "debt_bondage", "lives_at_workplace", "excessive_hours"),
        narrative="Found sleeping in a trailer behind the fuel center with no identity papers; interviewed through "
        "an interpreter.",
    )
    for service, response in zip(SERVICES, ("accepted", "accepted", "accepted", "declined", "declined")):
        b.offer(
            trooper,
            man,
            service,
            offered_by="HARBOR" if service != "medical" else "RIVERBEND",
            response=response,
            provider=PROVIDERS.get(service),
        )

    # The two small children, found with their mothers, go into protective custody.
    children = {}
    for name, born, mother, minutes in (
        ("Aubree Dunmore", date(2024, 2, 11), "Kaylee Dunmore", 95),
        ("Mateo Quintanar", date(2025, 12, 3), "Marisol Quintanar", 175),
    ):
        at = STARTS + timedelta(minutes=minutes)
        child = b.person(
            trooper,
            legal_name=name,
            recorded_at=at,
            date_of_birth=born,
            gender=Gender.FEMALE if name == "Aubree Dunmore" else Gender.MALE,
            citizenship=Citizenship.US,
        )
        contact = b.contact(
            trooper,
            child,
            operation=op,
            agency="MSHP",
            occurred_at=at,
            location=victims[mother].location,
            role=R.ACCOMPANYING_CHILD,
            outcome=Out.PROTECTIVE_CUSTODY,
            narrative="Found in the sleeper cab with the mother.",
        )
        acknowledged = name == "Aubree Dunmore"  # the infant's receipt is still waiting for the caseworker
        checks = (
            ()
            if acknowledged
            else (
                (
                    CustodyEventKind.MEDICAL,
                    at + timedelta(minutes=40),
                    "Checked by the clinic nurse at staging; healthy.",
                ),
            )
        )
        b.custody(
            trooper,
            contact,
            reason="Child present where the parent was being sold; no safe caregiver on scene.",
            handed_over_at=at + timedelta(hours=2, minutes=10),
            caseworker=caseworker if acknowledged else None,
            acknowledged_at=at + timedelta(hours=2, minutes=40) if acknowledged else None,
            events=checks,
        )
        children[name] = contact

    # Three men arrested: two traffickers and a buyer.
    arrests = (
        (
            "Dwayne Holcomb",
            41,
            "FBI-KC",
            agent,
            0,
            70,
            R.SUSPECTED_TRAFFICKER,
            (
                ("RSMo 566.209", "Trafficking for the purposes of sexual exploitation", ChargeClass.FELONY, True),
                ("RSMo 567.050", "Promoting prostitution in the first degree", ChargeClass.FELONY, False),
            ),
            True,
        ),
        (
            "Russell Vantrease",
            52,
            "HSI-KC",
            trooper,
            1,
            200,
            R.SUSPECTED_TRAFFICKER,
            (
                (
                    "RSMo 566.206",
                    "Trafficking for the purposes of slavery, involuntary servitude, peonage or forced labor",
                    ChargeClass.FELONY,
                    True,
                ),
            ),
            True,
        ),
        (
            "Garrett Plumlee",
            36,
            "MSHP",
            trooper,
            0,
            110,
            R.BUYER,
            (("RSMo 567.030", "Patronizing prostitution", ChargeClass.MISDEMEANOR, False),),
            False,
        ),
    )
    arrested = {}
    for name, age, agency, user, where, minutes, role, charges, pending in arrests:
        at = STARTS + timedelta(minutes=minutes)
        person = b.person(
            user, legal_name=name, recorded_at=at, age=age, gender=Gender.MALE, citizenship=Citizenship.US
        )
        contact = b.contact(
            user,
            person,
            operation=op,
            agency=agency,
            occurred_at=at,
            location=places[where],
            role=role,
            outcome=Out.ARRESTED,
            narrative="Taken into custody without incident.",
        )
        b.detention(user, contact, outcome=DetentionOutcome.ARRESTED, charges=charges, pending=pending)
        arrested[name] = contact

    b.note(
        trooper,
        agency="MSHP",
        operation=op,
        written_at=local(2026, 5, 16, 4, 30),
        text="Both truck stops cleared by 03:40. No injuries to staff or the people we met.",
    )
    b.conclude(trooper, op)
    return {"operation": op, "victims": victims, "children": children, "arrested": arrested}
