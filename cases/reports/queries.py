"""Database aggregates shared by the reports. Each function is one or two queries."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from cases.models import AgeGroup, ContactRole, DetentionOutcome, Gender
from cases.models.people import MINOR_AGE_GROUPS

from .scope import ReportScope
from .tables import Column, Table

ARREST_OUTCOMES = (DetentionOutcome.ARRESTED, DetentionOutcome.REFERRED)

# People described the way a press release does: adult men, adult women, girls, boys…
GROUPS = [
    # key, table label, singular, plural
    ("adult_male", "Adult men", "adult man", "adult men"),
    ("adult_female", "Adult women", "adult woman", "adult women"),
    ("adult_other", "Adults, other or unrecorded gender", "adult of another or unrecorded gender",
     "adults of another or unrecorded gender"),
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


def people_by_role(contacts: QuerySet) -> Table:
    counts = {r["role"]: r["n"] for r in contacts.values("role").annotate(n=Count("person", distinct=True)).order_by()}
    table = Table("people_by_role", "People contacted, by role", "Role", [Column("people", "People")],
                  column_totals=True,
                  note="A person contacted in two roles is counted in each.")
    for role in ContactRole:
        table.add(role.value, role.label, [counts.get(role.value, 0)])
    return table


def victims_split(contacts: QuerySet, fields: list[str]) -> dict[str, dict[tuple, int]]:
    """Distinct victims by `fields`, potential and confirmed apart.

    A person confirmed as a victim in any of these contacts counts as confirmed only,
    so each victim is counted once.
    """
    confirmed = contacts.filter(role=ContactRole.CONFIRMED_VICTIM)
    potential = contacts.filter(role=ContactRole.POTENTIAL_VICTIM).exclude(
        person_id__in=confirmed.values("person_id")
    )
    out = {}
    for key, qs in (("potential", potential), ("confirmed", confirmed)):
        rows = qs.values(*fields).annotate(n=Count("person", distinct=True)).order_by()
        out[key] = {tuple(r[f] for f in fields): r["n"] for r in rows}
    return out


def victims_by_age_and_gender(contacts: QuerySet) -> list[Table]:
    split = victims_split(contacts, ["age_group", "person__gender"])
    tables = []
    for status, title in (("potential", "Potential victims"), ("confirmed", "Confirmed victims")):
        table = Table(f"{status}_victims", f"{title}, by age group and gender", "Age group",
                      [Column(g.value, g.label) for g in Gender], row_totals=True, column_totals=True)
        for age in AgeGroup:
            table.add(age.value, age.label, [split[status].get((age.value, g.value), 0) for g in Gender])
        tables.append(table)
    return tables


def victims_by_dimension(contacts: QuerySet, key: str, title: str, header: str, expression, choices) -> Table:
    """Potential and confirmed victims by one attribute (type, age, citizenship, gender)."""
    split = victims_split(contacts.annotate(dimension=expression), ["dimension"])
    table = Table(key, title, header, [Column("potential", "Potential victims"), Column("confirmed", "Confirmed victims")],
                  row_totals=True, column_totals=True)
    for value, label in choices:
        table.add(value, label, [split["potential"].get((value,), 0), split["confirmed"].get((value,), 0)])
    return table


def services_by_type(offers: QuerySet, unit: str = "people") -> Table:
    """Offered and accepted, by service type: people (operation) or offers (period)."""
    measure = "person" if unit == "people" else "id"
    rows = (
        offers.values("service_type_id", "service_type__name", "service_type__order")
        .annotate(
            offered=Count(measure, distinct=True),
            accepted=Count(measure, distinct=True, filter=Q(response="accepted")),
            delivered=Count(measure, distinct=True, filter=Q(delivered_at__isnull=False)),
        )
        .order_by("service_type__order", "service_type__name")
    )
    noun = "People" if unit == "people" else "Offers"
    columns = [Column("offered", f"{noun} offered"), Column("accepted", f"{noun} accepted")]
    if unit != "people":
        columns.append(Column("delivered", "Delivered"))
    columns.append(Column("rate", "Acceptance rate", derived=True, unit="%"))
    table = Table("services", f"Services offered and accepted, by type ({unit})", "Service", columns)
    for r in rows:
        values = [r["offered"], r["accepted"]] + ([r["delivered"]] if unit != "people" else [])
        table.add(str(r["service_type_id"]), r["service_type__name"], values + [None])
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
            n_arrests=Count("id", distinct=True, filter=Q(outcome__in=ARREST_OUTCOMES)),
            n_charges=Count("charges", distinct=True),
            n_trafficking=Count("charges", distinct=True, filter=Q(charges__is_trafficking=True)),
        )
        .order_by("agency__name")
    )
    table = Table(
        "enforcement", "Detentions, arrests and charges, by agency", "Agency",
        [Column("detentions", "Detentions"), Column("arrests", "Arrests"), Column("charges", "All charges"),
         Column("trafficking", "Trafficking charges"), Column("other", "Other charges")],
        column_totals=True,
        row_sums=[(["trafficking", "other"], "charges")],
        note="Arrests include people referred for prosecution. Trafficking charges are counted apart from other charges.",
    )
    for r in rows:
        table.add(str(r["agency_id"]), r["agency__name"],
                  [r["n_detentions"], r["n_arrests"], r["n_charges"], r["n_trafficking"],
                   r["n_charges"] - r["n_trafficking"]])
    return table


def scope_note(scope: ReportScope) -> str:
    if scope.suppressed:
        return "Whole task force, small counts hidden."
    return "Counts cover the records you are allowed to see."
