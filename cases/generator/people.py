"""Invented people, and the pools that bring some of them back for repeat contacts.

A person's age is held the way the Person model holds it (a date of birth, or an age
estimated on a day), and age groups are worked out with the model's own functions, so
the stored Person.age_group / is_minor and Contact.age_group match what save() computes.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cases.models import Person
from cases.models.contacts import ContactRole
from cases.models.people import (
    ADULT_AGE,
    ALIAS_KEYS,
    MINOR_AGE_GROUPS,
    NAME_KEYS,
    AgeGroup,
    Citizenship,
    Gender,
    _years_between,
    age_group_for,
)
from cases.models.sounds import stored_keys

from . import names

VICTIM, OFFENDER, WITNESS, CHILD = "victim", "offender", "witness", "child"
KIND_OF_ROLE = {
    ContactRole.POTENTIAL_VICTIM: VICTIM,
    ContactRole.CONFIRMED_VICTIM: VICTIM,
    ContactRole.SUSPECTED_TRAFFICKER: OFFENDER,
    ContactRole.BUYER: OFFENDER,
    ContactRole.WITNESS: WITNESS,
    ContactRole.ACCOMPANYING_CHILD: CHILD,
}
# Chance that a contact in this role is with someone already on record. Victims come
# back most: services are often accepted only after the fifth or tenth offer.
REPEAT_CHANCE = {VICTIM: 0.7, OFFENDER: 0.3, WITNESS: 0.2, CHILD: 0.3}
POOL_SIZE = 5_000  # bounded whatever the scale

GENDERS = {
    VICTIM: (
        (Gender.FEMALE, 75),
        (Gender.MALE, 18),
        (Gender.TRANSGENDER, 4),
        (Gender.NON_BINARY, 1),
        (Gender.UNKNOWN, 2),
    ),
    OFFENDER: ((Gender.MALE, 88), (Gender.FEMALE, 10), (Gender.UNKNOWN, 2)),
    WITNESS: ((Gender.FEMALE, 50), (Gender.MALE, 48), (Gender.UNKNOWN, 2)),
    CHILD: ((Gender.FEMALE, 50), (Gender.MALE, 50)),
}
CITIZENSHIP = ((Citizenship.US, 60), (Citizenship.FOREIGN, 30), (Citizenship.UNKNOWN, 10))


def _weighted(pairs):
    values = [v for v, _ in pairs]
    cum, total = [], 0
    for _, w in pairs:
        total += w
        cum.append(total)
    return values, cum


def pick(rng: random.Random, table):
    """One value from a _weighted table."""
    values, cum = table
    return rng.choices(values, cum_weights=cum)[0]


_GENDERS = {k: _weighted(v) for k, v in GENDERS.items()}
_CITIZENSHIP = _weighted(CITIZENSHIP)
_LANGUAGES = _weighted(names.LANGUAGES)


@dataclass(slots=True)
class Known:
    """What the generator remembers about a person it may contact again."""

    id: int
    kind: str
    dob: date | None
    estimated_age: int | None
    estimated_on: date | None
    first_seen: datetime
    contacts: int = 1
    foreign: bool = False  # a foreign national: may need immigration relief

    def age_on(self, day: date) -> int | None:
        # The same arithmetic as Person.age_on.
        if self.dob:
            return _years_between(self.dob, day)
        if self.estimated_age is not None:
            return self.estimated_age + max(0, _years_between(self.estimated_on, day))
        return None


class People:
    def __init__(self, rng: random.Random, writer, world, today: date):
        self.rng = rng
        self.today = today
        self.person_t = writer.table(Person)
        self.vuln_t = writer.table(Person.vulnerabilities.through)
        self.world = world
        self.pools = {kind: deque(maxlen=POOL_SIZE) for kind in REPEAT_CHANCE}
        self.created = 0

    def for_contact(self, role: str, at: datetime, day: date, agency_id: int, user_id: int | None) -> Known:
        """Someone already on record (first seen before `at`), or a new person."""
        kind = KIND_OF_ROLE[role]
        pool = self.pools[kind]
        if pool and self.rng.random() < REPEAT_CHANCE[kind]:
            known = pool[int(len(pool) * self.rng.random() ** 0.5)]  # recent people more likely
            if known.first_seen <= at:
                known.contacts += 1
                return known
        known = self._new(kind, at, day, agency_id, user_id)
        pool.append(known)
        return known

    def _age_at_first_contact(self, kind: str) -> int | None:
        r = self.rng.random()
        if kind == CHILD:
            return self.rng.randint(0, 12)
        if kind == VICTIM:
            if r < 0.03:
                return None
            if r < 0.15:
                return self.rng.randint(12, 17)
            return min(70, 18 + int(self.rng.expovariate(1 / 9)))
        if r < 0.12:
            return None
        return self.rng.randint(18, 30) if kind == WITNESS and r < 0.5 else self.rng.randint(19, 64)

    def _new(self, kind: str, at: datetime, day: date, agency_id: int, user_id: int | None) -> Known:
        rng = self.rng
        age = self._age_at_first_contact(kind)
        dob = estimated = estimated_on = None
        if age is not None:
            if rng.random() < 0.6:
                dob = day - timedelta(days=age * 365 + rng.randint(10, 355))
                dob = dob.replace(day=min(dob.day, 28))
            else:
                estimated, estimated_on = age, day
        known = Known(self.person_t.new_id(), kind, dob, estimated, estimated_on, at)
        group = age_group_for(known.age_on(self.today))
        then = known.age_on(day)
        is_minor = group in MINOR_AGE_GROUPS or (then is not None and then < ADULT_AGE)
        languages = pick(rng, _LANGUAGES)
        if languages != "English" and rng.random() < 0.5:
            languages += ", English"
        victim = kind in (VICTIM, CHILD)
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        legal_name = "" if rng.random() < 0.05 else f"{first} {last}"
        aliases = rng.choice(names.FIRST_NAMES) if victim and rng.random() < 0.3 else ""
        self.person_t.add(
            id=known.id,
            reference=f"P-{known.id:06d}",
            legal_name=legal_name,
            aliases=aliases,
            # Written in bulk, without Person.save: the sound-alike keys as it would store them.
            name_keys=stored_keys(legal_name, NAME_KEYS),
            alias_keys=stored_keys(aliases, ALIAS_KEYS),
            date_of_birth=dob,
            estimated_age=estimated,
            age_estimated_on=estimated_on,
            age_group=group,
            is_minor=is_minor,
            gender=pick(rng, _GENDERS[kind]),
            citizenship=(citizenship := pick(rng, _CITIZENSHIP)),
            languages=languages,
            interpreter_needed=not languages.startswith("English") and rng.random() < 0.7,
            phone=f"(555) 01{rng.randrange(10)}-{rng.randrange(10000):04d}" if victim and rng.random() < 0.4 else "",
            created_by_agency_id=agency_id,
            created_by_id=user_id,
            created_at=at,
            updated_at=at,
        )
        known.foreign = citizenship == Citizenship.FOREIGN
        if victim:
            for factor in rng.sample(
                self.world.vulnerabilities, k=min(len(self.world.vulnerabilities), rng.choice((0, 0, 1, 1, 2, 3)))
            ):
                self.vuln_t.add(person_id=known.id, vulnerabilityfactor_id=factor)
        self.created += 1
        return known

    @staticmethod
    def age_group_on(known: Known, day: date) -> str:
        return age_group_for(known.age_on(day)) if known else AgeGroup.UNKNOWN
