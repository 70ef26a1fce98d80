"""Finding a person however their name was written, and the records that may be one person.

Every function takes a queryset the caller narrowed with `visible_to(user)` (or narrows it
itself), so nothing here ever reaches a person outside the viewer's scope.

A name matches when
  - it is the reference (or a merged-away record's reference: the survivor is found),
  - the text is part of the name (or of an alias, for who may read aliases),
  - every word of the text sounds like a word of the name, or of the aliases
    (sound-alike keys, cases/models/sounds.py: Destny/Destiny, Jesús/Jesus), or
  - on PostgreSQL, the text is close to a part of the name by trigram word similarity
    (pg_trgm, on the indexed upper-cased name: Guadelupe/Guadalupe, Destinee/Destiny).
Matches are ranked: reference, then the text itself, then all words sounding alike,
then how close the spelling is (PostgreSQL), then the newest record.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, Upper
from django.utils import timezone

from .models import Gender, NotSamePerson, Person
from .models.sounds import keys_of, plain_letters

# Scores of each kind of match (higher first).
REFERENCE, SPELLED, SOUNDS, SOUNDS_ALIAS = 1000, 300, 200, 150
# How close a spelling must be to count on PostgreSQL (pg_trgm's word similarity, 0–1).
CLOSE_SPELLING = 0.5
# How many people a duplicate check and the review list offer at most.
CANDIDATES = 5
# Groups of records sharing a sound-alike name larger than this are too common a name to
# propose every pair of (John Smith); they are left to a search.
LARGEST_GROUP = 12


def _reference(text: str) -> str | None:
    upper = text.strip().upper()
    if upper.isdigit():
        return f"P-{int(upper):06d}"
    if upper.startswith("P-") and upper[2:].isdigit():
        return f"P-{int(upper[2:]):06d}"
    return None


def _all_keys(column: str, keys: list[str]) -> Q:
    match = Q()
    for key in keys:
        match &= Q(**{f"{column}__contains": f" {key} "})
    return match


def _on_postgresql(qs: QuerySet) -> bool:
    return connections[qs.db].vendor == "postgresql"


def forgiving_search(qs: QuerySet, text: str, *, aliases: bool) -> QuerySet:
    """People of `qs` matching `text`, best first, annotated with `match_score`.

    `aliases`: may the viewer search aliases (not the advocates' minimum view)?
    """
    text = " ".join(text.split())
    if not text:
        return qs
    reference = _reference(text) or text
    # Read first, as ids: a subquery in the OR would stop PostgreSQL combining the indexes.
    by_old_reference = list(
        Person.objects.filter(reference__iexact=reference, merged_into__isnull=False).values_list(
            "merged_into_id", flat=True
        )
    )
    exact = Q(reference__iexact=reference) | Q(pk__in=by_old_reference)
    spelled = Q(legal_name__icontains=text)
    keys = keys_of(text)
    sounds = _all_keys("name_keys", keys) if keys else Q(pk__in=[])
    sounds_alias = Q(pk__in=[])
    if aliases:
        spelled |= Q(aliases__icontains=text)
        if keys:
            sounds_alias = _all_keys("alias_keys", keys)
    match = exact | spelled | sounds | sounds_alias
    score = (
        Case(When(exact, then=Value(REFERENCE)), default=Value(0), output_field=IntegerField())
        + Case(When(spelled, then=Value(SPELLED)), default=Value(0), output_field=IntegerField())
        + Case(When(sounds, then=Value(SOUNDS)), default=Value(0), output_field=IntegerField())
        + Case(When(sounds_alias, then=Value(SOUNDS_ALIAS)), default=Value(0), output_field=IntegerField())
    )
    if _on_postgresql(qs) and len(plain_letters(text).replace(" ", "")) >= 3:
        # The upper-cased name, as its trigram index (migration 0007) is built.
        qs = qs.annotate(upper_name=Upper("legal_name"))
        close = TrigramWordSimilar(F("upper_name"), Value(text.upper()))
        match |= Q(close)
        closeness = TrigramWordSimilarity(Value(text.upper()), F("upper_name"))
        score = ExpressionWrapper(score + closeness * 100, output_field=FloatField())
    return qs.filter(match).annotate(match_score=score).order_by("-match_score", "-created_at", "-id")


def born_in(qs: QuerySet, year: int) -> QuerySet:
    """Born in `year`: by the date of birth, or within a year by the estimated age."""
    qs = qs.alias(estimated_birth_year=ExtractYear("age_estimated_on") - F("estimated_age"))
    return qs.filter(
        Q(date_of_birth__year=year)
        | Q(date_of_birth__isnull=True, estimated_birth_year__gte=year - 1, estimated_birth_year__lte=year + 1)
    )


# --- possible duplicates ------------------------------------------------------------


@dataclass
class Candidate:
    person: Person
    score: int
    reasons: list[str]


def _birth_year(person: Person) -> int | None:
    if person.date_of_birth:
        return person.date_of_birth.year
    if person.estimated_age is not None:
        on = person.age_estimated_on or timezone.localdate()
        return on.year - person.estimated_age
    return None


def _plain_name(person: Person) -> str:
    return " ".join(plain_letters(person.legal_name).split())


def likeness(a: Person, b: Person) -> Candidate | None:
    """How likely two records are one person (0–100), with the reasons; None when they cannot be."""
    if a.gender != b.gender and Gender.UNKNOWN not in (a.gender, b.gender):
        return None
    year_a, year_b = _birth_year(a), _birth_year(b)
    if year_a is not None and year_b is not None and abs(year_a - year_b) > 3:
        return None
    if a.date_of_birth and b.date_of_birth and a.date_of_birth != b.date_of_birth and year_a == year_b:
        exact_birth = False
    else:
        exact_birth = bool(a.date_of_birth and a.date_of_birth == b.date_of_birth)
    name_a, name_b = _plain_name(a), _plain_name(b)
    spelling = difflib.SequenceMatcher(None, name_a, name_b).ratio() if name_a and name_b else 0.0
    score = round(spelling * 60)
    reasons = [("Same name" if name_a == name_b else "The name sounds the same") + f" ({round(spelling * 100)}% alike)"]
    if exact_birth:
        score += 30
        reasons.append("Same date of birth")
    elif year_a is not None and year_b is not None:
        score += 20 - 5 * abs(year_a - year_b)
        reasons.append("Same year of birth" if year_a == year_b else "Born within three years")
    if a.gender == b.gender and a.gender != Gender.UNKNOWN:
        score += 10
        reasons.append("Same gender")
    return Candidate(b, min(score, 100), reasons)


def _decided_apart(person_ids) -> set[tuple[int, int]]:
    rows = NotSamePerson.objects.filter(Q(first_id__in=person_ids) | Q(second_id__in=person_ids))
    return set(rows.values_list("first_id", "second_id"))


def _undecided(a: Person, b: Person, apart: set[tuple[int, int]]) -> bool:
    if a.pk is None or b.pk is None:
        return True
    return (min(a.pk, b.pk), max(a.pk, b.pk)) not in apart


def candidates_for(visible: QuerySet, draft: Person, limit: int = CANDIDATES) -> list[Candidate]:
    """Recorded people (of `visible`) who may be the one being recorded or edited, best first."""
    keys = keys_of(draft.legal_name)
    if not keys:
        return []
    found = Q()
    for key in keys:
        found &= Q(name_keys__contains=f" {key} ") | Q(alias_keys__contains=f" {key} ")
    qs = visible.active().filter(found, merged_into__isnull=True)
    if draft.pk:
        qs = qs.exclude(pk=draft.pk)
    people = list(qs.order_by("-created_at")[:50])
    apart = _decided_apart([draft.pk]) if draft.pk else set()
    found_people = [c for p in people if _undecided(draft, p, apart) and (c := likeness(draft, p)) is not None]
    return sorted(found_people, key=lambda c: -c.score)[:limit]


@dataclass
class Pair:
    first: Person
    second: Person
    score: int
    reasons: list[str]


def likely_pairs(visible: QuerySet, min_score: int = 50) -> list[Pair]:
    """Pairs of records (of `visible`) that are likely one person, best first.

    Records are grouped by the sound of their whole name; a pair is proposed when ages and
    genders agree and nobody has found them to be two people.
    """
    live = visible.active().filter(merged_into__isnull=True).exclude(name_keys="")
    shared = (
        live.order_by()
        .values("name_keys")
        .annotate(n=Count("id"))
        .filter(n__gt=1, n__lte=LARGEST_GROUP)
        .values("name_keys")
    )
    people = list(live.filter(name_keys__in=shared).order_by("name_keys", "id"))
    apart = _decided_apart([p.pk for p in people])
    pairs = []
    for _keys, group in itertools.groupby(people, key=lambda p: p.name_keys):
        for a, b in itertools.combinations(list(group), 2):
            if not _undecided(a, b, apart):
                continue
            found = likeness(a, b)
            if found is not None and found.score >= min_score:
                pairs.append(Pair(a, b, found.score, found.reasons))
    return sorted(pairs, key=lambda p: (-p.score, p.first.pk, p.second.pk))
