"""Who counts as a victim, and as rescued: the one definition every report uses.

**Victims.** A contact recorded as a potential or confirmed victim counts as one. So
does a child taken into protective custody from the operation (the contact's outcome
is protective custody, or a hand-off of the child from that contact is on record) when
the child was recorded as an accompanying child: such a child counts as a *potential*
victim, a minor. A child recorded in another role (a witness, say) counts in that role;
a child recorded as a confirmed victim is confirmed. An accompanying child left with a
safe caregiver, not taken into custody, is not counted as a victim.

Why: the task force's press releases count the children it removed among the people
rescued ("eight victims rescued: five women, a man, a two-year-old and an infant"), and
the federal task-force grant measures ask for the victims identified by age group,
minors apart. A child found where a parent was being sold and taken into protective
custody is a child the task force judged to be at risk of exploitation, which is what a
potential victim is; whether the child was a victim is for the investigation to
confirm, so the child is never counted as confirmed on custody alone.

A person confirmed as a victim in any contact of the records counted is counted as
confirmed only, and each person once (cases/reports/grouped.py, VICTIMS).

**Rescued.** The people an operation rescued, or removed from the situation, are the
people it counted as victims, potential or confirmed, children in protective custody
included; buyers, suspected traffickers and witnesses are not. A victim who declined
every service was still removed from the situation and counts, as in the press releases.
"""

from __future__ import annotations

from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When

from cases.models import AgeGroup, ContactOutcome, ContactRole, CustodyHandoff, Gender

CONFIRMED = "confirmed"
POTENTIAL = "potential"


def in_protective_custody() -> Q:
    """The contact ended in protective custody: its outcome says so, or a hand-off from it is on record."""
    handoff = CustodyHandoff.objects.filter(contact_id=OuterRef("pk"), voided_at__isnull=True)
    return Q(outcome=ContactOutcome.PROTECTIVE_CUSTODY) | Q(Exists(handoff))


def victim_status() -> Case:
    """A database expression over contacts: "confirmed", "potential", or NULL (not a victim)."""
    return Case(
        When(role=ContactRole.CONFIRMED_VICTIM, then=Value(CONFIRMED)),
        When(role=ContactRole.POTENTIAL_VICTIM, then=Value(POTENTIAL)),
        When(Q(role=ContactRole.ACCOMPANYING_CHILD) & in_protective_custody(), then=Value(POTENTIAL)),
        default=Value(None),
        output_field=CharField(),
    )


# Children in protective custody by their age when custody began (CustodyHandoff).
AGE_BANDS = [
    # key, column label, phrase for the paragraph, filter on the age at custody
    ("under_5", "Under 5", "under five", Q(child_age_at_custody__lt=5)),
    ("5_to_12", "5 to 12", "aged five to twelve", Q(child_age_at_custody__gte=5, child_age_at_custody__lt=13)),
    ("13_to_17", "13 to 17", "aged thirteen to seventeen", Q(child_age_at_custody__gte=13)),
]


# The people rescued, grouped the way a press release names them: adults by gender,
# children by age ("five women, a man, a two-year-old and an infant").
RESCUED_GROUPS = [
    # key, table label, singular, plural
    ("adult_female", "Adult women", "adult woman", "adult women"),
    ("adult_male", "Adult men", "adult man", "adult men"),
    (
        "adult_other",
        "Adults, other or unrecorded gender",
        "adult of another or unrecorded gender",
        "adults of another or unrecorded gender",
    ),
    ("teen", "Teenagers (13–17)", "teenager", "teenagers"),
    ("child", "Children (2–12)", "child", "children"),
    ("infant", "Infants (under 2)", "infant", "infants"),
    ("unknown_age", "Age not known", "person of unknown age", "people of unknown age"),
]
RESCUED_NOUNS = {key: (singular, plural) for key, _label, singular, plural in RESCUED_GROUPS}


def rescued_group(age_field: str, gender_field: str) -> Case:
    """A database expression putting each contact in one of RESCUED_GROUPS."""
    return Case(
        When(Q(**{age_field: AgeGroup.ADULT, gender_field: Gender.FEMALE}), then=Value("adult_female")),
        When(Q(**{age_field: AgeGroup.ADULT, gender_field: Gender.MALE}), then=Value("adult_male")),
        When(Q(**{age_field: AgeGroup.ADULT}), then=Value("adult_other")),
        When(Q(**{age_field: AgeGroup.TEEN}), then=Value("teen")),
        When(Q(**{age_field: AgeGroup.CHILD}), then=Value("child")),
        When(Q(**{age_field: AgeGroup.INFANT}), then=Value("infant")),
        default=Value("unknown_age"),
        output_field=CharField(),
    )
