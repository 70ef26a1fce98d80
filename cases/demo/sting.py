"""Operation (b): the sting from the press release in DESIGN.md.

"Five adult males were contacted and detained; ten adult women were contacted and
offered victim services, including food, lodging, onsite medical services,
counseling/therapy and drug rehabilitation; three children, all under the age of
five, were taken into protective custody and released to the Children's Division."
Every person here is invented. The Kansas City police took no part.
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
from .truck_stops import REPEAT_PERSON

NAME = "Operation Riverfront"
STARTS = local(2026, 8, 21, 19, 0)

# name, age, location index, minutes after start, indicators, factors, accepted services
# (every woman is offered food, lodging, onsite medical care, counseling and substance-use
# treatment, as the press release says; services not listed were declined).
WOMEN = (
    (
        REPEAT_PERSON,
        24,
        0,
        75,
        ("controlling_companion", "several_phones_keys"),
        ("runaway_homeless", "substance_use"),
        ("food", "shelter", "medical", "counseling", "substance_use"),
    ),
    (
        "Destiny Harlan",
        23,
        0,
        90,
        ("fearful_submissive", "scripted_answers"),
        ("foster_care",),
        ("food", "shelter", "counseling"),
    ),
    (
        "Maribel Escarcega",
        29,
        0,
        105,
        ("no_id_control", "debt_bondage"),
        ("limited_english", "asylum_seeker"),
        ("food", "shelter", "medical"),
    ),
    (
        "Shawna Tillery",
        26,
        0,
        130,
        ("physical_abuse", "controlling_companion"),
        ("domestic_violence", "substance_use"),
        ("food", "medical", "substance_use"),
    ),
    ("Crystal Oberholt", 33, 0, 150, ("several_phones_keys",), ("substance_use", "justice_involved"), ("food",)),
    (
        "Nadia Petrenko",
        21,
        1,
        185,
        ("no_id_control", "unaware_of_location", "restricted_movement"),
        ("limited_english",),
        ("food", "shelter", "medical", "counseling"),
    ),
    (
        "Lakeisha Varner",
        19,
        1,
        200,
        ("branding_tattoo", "fearful_submissive"),
        ("runaway_homeless", "prior_abuse"),
        ("food", "shelter", "counseling"),
    ),
    (
        "Amber Fitzwater",
        35,
        1,
        220,
        ("malnourished",),
        ("substance_use", "economic_hardship"),
        ("medical", "substance_use"),
    ),
    (
        "Yesenia Portillo-Diaz",
        28,
        1,
        240,
        ("no_money_control", "inconsistent_story"),
        ("economic_hardship",),
        ("food", "medical"),
    ),
    ("Rachel Kinsley", 30, 1, 255, ("scripted_answers",), ("mental_health",), ()),
)
OFFERED = ("food", "shelter", "medical", "counseling", "substance_use")
FOREIGN_LANGUAGES = {"Maribel Escarcega": "Spanish", "Nadia Petrenko": "Ukrainian, Russian"}

BUYERS = (
    ("Kenneth Albury", 47, 0, 60),
    ("Travis Mulholland", 29, 0, 120),
    ("Derek Sanderlin", 38, 1, 175),
    ("Curtis Wendorf", 55, 1, 210),
    ("Lance Brightwater", 33, 1, 265),
)

# name, date of birth, mother, minutes after start
CHILDREN = (
    ("Nevaeh Tillery", date(2022, 3, 9), "Shawna Tillery", 135),
    ("Jayden Harlan", date(2023, 6, 30), "Destiny Harlan", 95),
    ("Luna Escarcega", date(2025, 7, 12), "Maribel Escarcega", 110),
)


def build(b: Builder) -> dict:
    officer, caseworker = b.user("officer.sjpd"), b.user("caseworker.cd")
    op = b.operation(
        officer,
        name=NAME,
        lead="SJPD",
        lead_staff=18,
        participants={
            "BCSO": (P.SUPPORT, 6),
            "MSHP": (P.SUPPORT, 4),
            "FBI-KC": (P.SUPPORT, 3),
            "HARBOR": (P.VICTIM_SERVICES, 5),
            "NORTHLAND": (P.VICTIM_SERVICES, 3),
            "RIVERBEND": (P.VICTIM_SERVICES, 3),
            "MO-CD": (P.CHILD_WELFARE, 3),
            "BCPA": (P.PROSECUTION, 1),
        },
        kind=OperationKind.STING,
        trafficking_type=TraffickingType.SEX,
        starts_at=STARTS,
        ends_at=local(2026, 8, 22, 2, 30),
        summary="Undercover officers answered online advertisements and arranged meetings at two motels on the "
        "Belt Highway; buyers were detained on arrival and the women were met by advocates.",
        expected_victims=10,
        expected_genders="female",
        expected_languages="English, Spanish, Ukrainian",
        minors_expected=True,
        briefing_notes="Onsite medical care in the clinic's mobile unit in the east lot. Expect young children with "
        "some of the women; a caseworker is on call from 20:00.",
    )
    motels = (
        b.location(
            officer,
            op,
            venue_name="Eastbelt Inn",
            venue_type=VenueType.HOTEL,
            address="Belt Highway",
            city="St. Joseph",
            county="Buchanan",
            state="MO",
            latitude="39.771200",
            longitude="-94.804500",
        ),
        b.location(
            officer,
            op,
            venue_name="Prairie Rest Motor Lodge",
            venue_type=VenueType.HOTEL,
            address="Frederick Avenue",
            city="St. Joseph",
            county="Buchanan",
            state="MO",
            latitude="39.768900",
            longitude="-94.813100",
        ),
    )

    women = {}
    for name, age, where, minutes, indicators, factors, accepted in WOMEN:
        at = STARTS + timedelta(minutes=minutes)
        foreign = name in FOREIGN_LANGUAGES
        person = b.person(
            officer,
            legal_name=name,
            recorded_at=at,
            age=age,
            gender=Gender.FEMALE,
            citizenship=Citizenship.FOREIGN if foreign else Citizenship.US,
            languages=FOREIGN_LANGUAGES.get(name, "English"),
            interpreter_needed=foreign,
            factors=factors,
        )
        contact = b.contact(
            officer,
            person,
            operation=op,
            agency="SJPD",
            occurred_at=at,
            location=motels[where],
            role=R.CONFIRMED_VICTIM if len(indicators) >= 2 else R.POTENTIAL_VICTIM,
            outcome=Out.OFFERED_SERVICES,
            indicators=indicators,
            narrative="Met in the room by an undercover officer, then by an advocate.",
        )
        for service in OFFERED:
            response = "accepted" if service in accepted else "declined"
            medical = service == "medical"
            provider = "RIVERBEND" if medical else "NORTHLAND" if service == "substance_use" else None
            b.offer(
                officer,
                contact,
                service,
                offered_by="RIVERBEND" if medical else "HARBOR",
                response=response,
                provider=provider,
                delivered_at=at + timedelta(minutes=45)
                if response == "accepted" and service in ("food", "medical")
                else None,
                notes="Seen in the clinic's mobile unit on site." if medical else "",
            )
        women[name] = contact

    buyers = {}
    for index, (name, age, where, minutes) in enumerate(BUYERS):
        at = STARTS + timedelta(minutes=minutes)
        agency = "SJPD" if index % 2 == 0 else "BCSO"
        person = b.person(
            officer, legal_name=name, recorded_at=at, age=age, gender=Gender.MALE, citizenship=Citizenship.US
        )
        contact = b.contact(
            officer,
            person,
            operation=op,
            agency=agency,
            occurred_at=at,
            location=motels[where],
            role=R.BUYER,
            outcome=Out.DETAINED,
            narrative="Arrived at the room with cash after arranging a meeting online.",
        )
        b.detention(
            officer,
            contact,
            outcome=DetentionOutcome.CITED,
            charges=(("RSMo 567.030", "Patronizing prostitution", ChargeClass.MISDEMEANOR, False),),
            notes="Summons issued; released at the scene.",
        )
        buyers[name] = contact

    children = {}
    for name, born, mother, minutes in CHILDREN:
        at = STARTS + timedelta(minutes=minutes)
        child = b.person(
            officer,
            legal_name=name,
            recorded_at=at,
            date_of_birth=born,
            gender=Gender.MALE if name == "Jayden Harlan" else Gender.FEMALE,
            citizenship=Citizenship.US,
        )
        contact = b.contact(
            officer,
            child,
            operation=op,
            agency="SJPD",
            occurred_at=at,
            location=women[mother].location,
            role=R.ACCOMPANYING_CHILD,
            outcome=Out.PROTECTIVE_CUSTODY,
            narrative="Found in the adjoining room while the mother was being sold.",
        )
        handed = at + timedelta(hours=1, minutes=30)
        b.custody(
            officer,
            contact,
            reason="Young child left unattended at the scene of a commercial sex offence.",
            handed_over_at=handed,
            caseworker=caseworker,
            acknowledged_at=handed + timedelta(minutes=15),
            events=(
                (
                    CustodyEventKind.TRANSPORTED,
                    at + timedelta(minutes=50),
                    "Driven to the Children's Division office in a patrol car with a car seat.",
                ),
            ),
        )
        children[name] = contact

    b.note(
        b.user("supervisor.sjpd"),
        agency="SJPD",
        operation=op,
        written_at=local(2026, 8, 22, 3, 10),
        text="Debrief held at 02:45. Buyers' phones logged as evidence; advocates stayed until the last client left.",
    )
    b.note(
        caseworker,
        agency="MO-CD",
        person=children["Luna Escarcega"].person,
        written_at=local(2026, 8, 24, 10, 0),
        text="Placed with a licensed foster family; weekly supervised visits with the mother to begin.",
    )
    b.conclude(officer, op)
    return {"operation": op, "women": women, "buyers": buyers, "children": children}
