"""Second records of women already on record, as officers typed them in later: the
possible duplicates a supervisor finds on "Possible duplicates" and merges.

Each is a bare person record made by a St. Joseph officer from a partner's intake list a
week after the sting, the name spelled as heard ("Destny"), transliterated from Ukrainian
("Nadiya") or with the Spanish accent of a Z ("Escarsega"). St. Joseph's supervisor sees
both records of each woman and everything recorded about them, so it may merge them.
"""

from __future__ import annotations

from datetime import timedelta

from cases.models import Citizenship, Gender

from .builder import Builder
from .sting import STARTS

# (as typed the second time, estimated age, languages, phone)
SECOND_RECORDS = (
    ("Destny Harlan", 23, "English", "816-555-0142"),
    ("Nadiya Petrenko", 22, "Ukrainian", ""),
    ("Maribel Escarsega", 29, "Spanish", ""),
)


def build(b: Builder) -> list:
    officer = b.user("officer.sjpd")
    at = STARTS + timedelta(days=7, hours=-4)
    people = []
    for name, age, languages, phone in SECOND_RECORDS:
        foreign = languages != "English"
        people.append(
            b.person(
                officer,
                legal_name=name,
                recorded_at=at,
                age=age,
                gender=Gender.FEMALE,
                citizenship=Citizenship.FOREIGN if foreign else Citizenship.UNKNOWN,
                languages=languages,
                interpreter_needed=foreign,
                phone=phone,
            )
        )
    return people
