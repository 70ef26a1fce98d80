"""Database aggregates shared by the reports. Each function is one or two queries."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from cases.models import AgeGroup, ContactRole, DetentionOutcome, Gender
from cases.models.people import MINOR_AGE_GROUPS

from .grouped import Grouping
from .scope import ReportScope
from .tables import Column, Table

ARREST_OUTCOMES = (DetentionOutcome.ARRESTED, DetentionOutcome.REFERRED)

# People described the way a press release does: adult men, adult women, girls, boys…
GROUPS = [
    # key, table label, singular, plural
    ("adult_male", "Adult men", "adult man", "adult men"),
    ("adult_female", "Adult women", "adult woman", "adult women"),
    (
        "adult_other",
        "Adults, other or unrecorded gender",
        "adult of another or unrecorded gender",
        "adults of another or unrecorded gender",
    ),
    ("minor_male", "Boys under 18", "boy", "boys"),
    ("minor_female", "Girls under 18", "girl", "girls"),
    ("minor_other", "Children, other or unrecorded gender", "child", "children"),
    ("unknown_age", "Age not known", "person of unknown age", "people of unknown age"),
]
GROUP_NOUNS = {key: (singular, plural) for key, _label, singular, plural in GROUPS}


def group_of(age_field: str, gender_field: str) -> Case:
    """A database expression putting each row in one of GROUPS."""
    minors = [str(a) for a in MINOR_AGE_GROUPS]
    return Case(
        When(Q(**{age_field: AgeGroup.ADULT, gender_field: Gender.MALE}), then=Value("adult_male")),
        When(Q(**{age_field: AgeGroup.ADULT, gender_field: Gender.FEMALE}), then=Value("adult_female")),
        When(Q(**{age_field: AgeGroup.ADULT}), then=Value("adult_other")),
        When(Q(**{f"{age_field}__in": minors, gender_field: Gender.MALE}), then=Value("minor_male")),
        When(Q(**{f"{age_field}__in": minors, gender_field: Gender.FEMALE}), then=Value("minor_female")),
        When(Q(**{f"{age_field}__in": minors}), then=Value("minor_other")),
        default=Value("unknown_age"),
        output_field=CharField(),
    )


PERSON = "COUNT(DISTINCT r_person)"


def person_where(condition: str) -> str:
    """Distinct people among the rows meeting an SQL condition."""
    return f"COUNT(DISTINCT CASE WHEN {condition} THEN r_person END)"


def contact_groupings(dimensions: list[str], roles: bool = False, agencies: bool = False) -> list[Grouping]:
    """People by role, by agency, and victims (potential, confirmed) by each dimension column."""
    out = [
        Grouping(
            f"victims_{d}",
            (d, "r_status"),
            {"people": PERSON},
            where="r_status IS NOT NULL",
            source="victims",
            distinct="r_person",
        )
        for d in dimensions
    ]
    if roles:
        out.append(Grouping("roles", ("r_role",), {"people": PERSON}, distinct="r_person"))
    if agencies:
        out.append(Grouping("agencies", ("r_agency",), {"people": PERSON}, distinct="r_person"))
    return out


# Said under every table of victims: who counts (cases/reports/counting.py).
VICTIMS_NOTE = (
    "Each person is counted once; a child taken into protective custody from an operation counts as a potential victim."
)


def people_by_role(rows: list[dict]) -> Table:
    counts = {r["r_role"]: r["people"] for r in rows}
    table = Table(
        "people_by_role",
        "People contacted, by role",
        "Role",
        [Column("people", "People")],
        column_totals=True,
        note="A person contacted in two roles is counted in each.",
    )
    for role in ContactRole:
        table.add(role.value, role.label, [counts.get(role.value, 0)])
    return table


def victims_split(rows: list[dict], fields: list[str]) -> dict[str, dict[tuple, int]]:
    """{"potential"/"confirmed": {values of fields: people}} from a victims grouping.

    A person confirmed as a victim in any of the contacts counts as confirmed only, so
    each victim is counted once (cases/reports/grouped.py, VICTIMS).
    """
    out: dict[str, dict[tuple, int]] = {"potential": {}, "confirmed": {}}
    for r in rows:
        out[r["r_status"]][tuple(r[f] for f in fields)] = r["people"]
    return out


def victims_by_age_and_gender(rows: list[dict]) -> list[Table]:
    split = victims_split(rows, ["r_age", "r_gender"])
    tables = []
    for status, title in (("potential", "Potential victims"), ("confirmed", "Confirmed victims")):
        table = Table(
            f"{status}_victims",
            f"{title}, by age group and gender",
            "Age group",
            [Column(g.value, g.label) for g in Gender],
            row_totals=True,
            column_totals=True,
            note=VICTIMS_NOTE,
        )
        for age in AgeGroup:
            table.add(age.value, age.label, [split[status].get((age.value, g.value), 0) for g in Gender])
        tables.append(table)
    return tables


def victims_by_dimension(rows: list[dict], column: str, key: str, title: str, header: str, choices) -> Table:
    """Potential and confirmed victims by one attribute (type, age, citizenship, gender)."""
    split = victims_split(rows, [column])
    table = Table(
        key,
        title,
        header,
        [Column("potential", "Potential victims"), Column("confirmed", "Confirmed victims")],
        row_totals=True,
        column_totals=True,
        note=VICTIMS_NOTE,
    )
    for value, label in choices:
        value = str(value)
        table.add(value, label, [split["potential"].get((value,), 0), split["confirmed"].get((value,), 0)])
    return table


def services_by_type(rows: list[dict], unit: str = "people") -> Table:
    """Offered and accepted, by service type: people (operation) or offers (period)."""
    noun = "People" if unit == "people" else "Offers"
    columns = [Column("offered", f"{noun} offered"), Column("accepted", f"{noun} accepted")]
    if unit != "people":
        columns.append(Column("delivered", "Delivered"))
    columns.append(Column("rate", "Acceptance rate", derived=True, unit="%"))
    table = Table("services", f"Services offered and accepted, by type ({unit})", "Service", columns)
    for r in sorted(rows, key=lambda r: (int(r["r_type_order"]), r["r_type_name"])):
        values = [r["offered"], r["accepted"]] + ([r["delivered"]] if unit != "people" else [])
        table.add(str(r["r_type"]), r["r_type_name"], values + [None])
    return table


def fill_rates(table: Table, numerator: str = "accepted", denominator: str = "offered", column: str = "rate") -> None:
    """Acceptance rates, after suppression: withheld when either count is hidden."""
    for row in table.rows:
        num, den, rate = (table.cell(row.key, k) for k in (numerator, denominator, column))
        if num.is_hidden or den.is_hidden or not den.value:
            rate.value = None
        else:
            rate.value = round(100 * num.value / den.value, 1)


def enforcement_by_agency(detentions: QuerySet) -> Table:
    rows = (
        detentions.values("agency_id", "agency__name")
        .annotate(
            n_detentions=Count("id", distinct=True),
            n_cited=Count("id", distinct=True, filter=Q(outcome=DetentionOutcome.CITED)),
            n_arrests=Count("id", distinct=True, filter=Q(outcome__in=ARREST_OUTCOMES)),
            n_charges=Count("charges", distinct=True),
            n_trafficking=Count("charges", distinct=True, filter=Q(charges__is_trafficking=True)),
        )
        .order_by("agency__name")
    )
    table = Table(
        "enforcement",
        "Detentions, citations, arrests and charges, by agency",
        "Agency",
        [
            Column("detentions", "Detentions"),
            Column("cited", "Cited"),
            Column("arrests", "Arrests"),
            Column("charges", "All charges"),
            Column("trafficking", "Trafficking charges"),
            Column("other", "Other charges"),
        ],
        column_totals=True,
        row_sums=[(["trafficking", "other"], "charges")],
        note="A detention ends in a release, a citation or an arrest; arrests include people referred for "
        "prosecution. Trafficking charges are counted apart from other charges.",
    )
    for r in rows:
        table.add(
            str(r["agency_id"]),
            r["agency__name"],
            [
                r["n_detentions"],
                r["n_cited"],
                r["n_arrests"],
                r["n_charges"],
                r["n_trafficking"],
                r["n_charges"] - r["n_trafficking"],
            ],
        )
    return table


def scope_note(scope: ReportScope) -> str:
    if scope.suppressed:
        return "Whole task force, small counts hidden."
    return "Counts cover the records you are allowed to see."
