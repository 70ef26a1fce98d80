"""The operation outcome summary: what happened to whom, and the press-release paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from cases.models import (
    Contact,
    ContactOutcome,
    CustodyHandoff,
    Detention,
    DetentionOutcome,
    Operation,
    Participation,
    ParticipationRole,
    Referral,
    ReferralStatus,
    ServiceOffer,
)
from cases.models.people import MINOR_AGE_GROUPS

from .base import Report
from .counting import AGE_BANDS, RESCUED_GROUPS, rescued_group, victim_status
from .grouped import Grouping, grouped, one_of
from .lifecycle import investigations_from
from .paragraph import paragraph
from .queries import (
    ARREST_OUTCOMES,
    GROUPS,
    PERSON,
    enforcement_by_agency,
    fill_rates,
    group_of,
    people_by_role,
    person_where,
    scope_note,
    services_by_type,
    victims_by_age_and_gender,
)
from .scope import ReportScope, any_of, reading
from .tables import Column, Table

REFERRAL_STATUSES = [s for s in ReferralStatus if s != ReferralStatus.DRAFT]


def operation_report(scope: ReportScope, operation: Operation) -> Report:
    report = Report(
        kind="operation",
        title=f"Outcome of {operation.name}",
        subtitle=f"{operation.code} · {operation.get_kind_display()} · led by {operation.lead_agency.name}",
        parameters={"operation": operation.pk, "code": operation.code},
        suppressed=scope.suppressed,
    )
    with reading():
        return _operation_report(scope, operation, report)


@dataclass(frozen=True)
class OperationRecords:
    """The records of one operation that its report (and its page's figures) count."""

    contacts: QuerySet
    offers: QuerySet
    handoffs: QuerySet
    detentions: QuerySet
    referrals: QuerySet
    participations: QuerySet


def operation_records(scope: ReportScope, operation: Operation) -> OperationRecords:
    # The operation's contacts and referrals are read first (their ids, through
    # indexes), so that every other record is found by index from them, and the user's
    # scope is checked on those rows only. Written as ORs across joins ("its contact's
    # operation, or its referral's contact's operation"), PostgreSQL read every offer in
    # the task force (docs/PERFORMANCE.md, finding 8).
    contact_ids, referral_ids = _contact_and_referral_ids(operation)
    return OperationRecords(
        contacts=scope.records(Contact).filter(operation=operation),
        offers=scope.records(ServiceOffer).filter(
            any_of("contact_id", contact_ids) | any_of("referral_id", referral_ids)
        ),
        handoffs=scope.records(CustodyHandoff).filter(Q(operation=operation) | any_of("contact_id", contact_ids)),
        detentions=scope.records(Detention).filter(operation=operation),
        referrals=scope.records(Referral).filter(operation=operation),
        participations=(
            Participation.objects.all() if scope.suppressed else Participation.objects.visible_to(scope.user)
        ).filter(operation=operation),
    )


def _operation_report(scope: ReportScope, operation: Operation, report: Report) -> Report:
    records = operation_records(scope, operation)
    people = contact_counts(records) if scope.sees_contacts else None
    offered = offer_counts(records.offers)
    agencies = agencies_by_role(records.participations)
    if agencies.rows:
        report.tables.append(agencies)
    report.tables.append(_outcomes_by_group(scope, people, offered))
    if people is not None:
        report.tables.append(rescued_by_group(people["rescued"]))
        report.tables.append(people_by_role(people["roles"]))
        report.tables.extend(victims_by_age_and_gender(people["victims"]))
    report.tables.append(services_by_type(offered["services"], unit="people"))
    report.tables.append(referrals_by_partner(records.referrals))
    if scope.sees_custody:
        report.tables.append(custody_by_agency(records.handoffs))
    if scope.sees_enforcement:
        report.tables.append(enforcement_by_agency(records.detentions))
    report.finish()
    fill_rates(report.table("services"))
    if report.has("rescued"):
        report.chart("rescued", "People rescued, by group", "rescued", ["people"], horizontal=True)
    report.chart(
        "services", "Services offered and accepted, by type", "services", ["offered", "accepted"], horizontal=True
    )
    report.paragraph = paragraph(report, operation)
    report.parameters["investigations"] = investigations_from(scope, operation)
    report.parameters["scope"] = scope_note(scope)
    return report


def _contact_and_referral_ids(operation: Operation) -> tuple[list[int], list[int]]:
    """Ids of every contact in the operation and of every referral out of them."""
    # Two index reads (referrals store their contact's operation); as a join or an
    # IN-subquery under the offers' OR, PostgreSQL read every referral.
    contact_ids = list(Contact.objects.filter(operation=operation).order_by().values_list("id", flat=True))
    referral_ids = list(Referral.objects.filter(operation=operation).order_by().values_list("id", flat=True))
    return contact_ids, referral_ids


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def contact_counts(records: OperationRecords) -> dict[str, list[dict]]:
    """People by group and outcome, by role, victims by age and gender, and the totals: one query."""
    contacts, detentions, handoffs = records.contacts, records.detentions, records.handoffs
    detained = Q(outcome__in=(ContactOutcome.DETAINED, ContactOutcome.ARRESTED)) | Q(
        id__in=detentions.values("contact_id")
    )
    arrested = Q(outcome=ContactOutcome.ARRESTED) | Q(
        id__in=detentions.filter(outcome__in=ARREST_OUTCOMES).values("contact_id")
    )
    cited = Q(id__in=detentions.filter(outcome=DetentionOutcome.CITED).values("contact_id"))
    custody = Q(outcome=ContactOutcome.PROTECTIVE_CUSTODY) | Q(id__in=handoffs.values("contact_id"))
    base = contacts.values(
        r_person=F("person_id"),
        r_role=F("role"),
        r_victim=victim_status(),
        r_age=F("age_group"),
        r_gender=F("person__gender"),
        r_group=group_of("age_group", "person__gender"),
        r_rescue=rescued_group("age_group", "person__gender"),
        r_detained=_flag(detained),
        r_cited=_flag(cited),
        r_arrested=_flag(arrested),
        r_custody=_flag(custody),
    )
    return grouped(
        base,
        [
            Grouping(
                "outcomes",
                ("r_group",),
                {
                    "contacted": PERSON,
                    "detained": person_where("r_detained = 1"),
                    "cited": person_where("r_cited = 1"),
                    "arrested": person_where("r_arrested = 1"),
                    "custody": person_where("r_custody = 1"),
                },
            ),
            Grouping("totals", (), {"people": PERSON, "minors": person_where(one_of("r_age", MINOR_AGE_GROUPS))}),
            Grouping("roles", ("r_role",), {"people": PERSON}),
            Grouping(
                "victims",
                ("r_age", "r_gender", "r_status"),
                {"people": PERSON},
                where="r_status IS NOT NULL",
                source="victims",
            ),
            Grouping("rescued", ("r_rescue",), {"people": PERSON}, source="victims"),
        ],
        victim_columns=("r_age", "r_gender", "r_rescue"),
    )


def offer_counts(offers) -> dict[str, list[dict]]:
    """People offered services: by type, by group, by group and type, and in all; one query."""
    # An offer under a referral has no contact of its own: use the referral's contact.
    age = Coalesce("contact__age_group", "referral__contact__age_group", "person__age_group")
    base = offers.annotate(offer_age=age).values(
        r_person=F("person_id"),
        r_type=F("service_type_id"),
        r_type_name=F("service_type__name"),
        r_type_order=F("service_type__order"),
        r_group=group_of("offer_age", "person__gender"),
        r_accepted=_flag(Q(response="accepted")),
        r_declined=_flag(Q(response="declined")),
        r_delivered=_flag(Q(delivered_at__isnull=False)),
    )
    service = ("r_type", "r_type_name", "r_type_order")
    return grouped(
        base,
        [
            Grouping(
                "services",
                service,
                {
                    "offered": PERSON,
                    "accepted": person_where("r_accepted = 1"),
                    "delivered": person_where("r_delivered = 1"),
                    "declined": person_where("r_declined = 1"),
                },
            ),
            Grouping("totals", (), {"offered": PERSON, "accepted": person_where("r_accepted = 1")}),
            Grouping("groups", ("r_group",), {"people": PERSON, "accepted": person_where("r_accepted = 1")}),
        ],
    )


def _outcomes_by_group(scope, people: dict | None, offered: dict) -> Table:
    """People by group (adult men, adult women, girls…) and what happened to them."""
    columns = [
        Column("contacted", "Contacted"),
        Column("offered", "Offered services"),
        Column("accepted", "Accepted a service"),
    ]
    contact_counts: dict = {}
    if people is not None:
        contact_counts = {r["r_group"]: r for r in people["outcomes"]}
        if scope.sees_enforcement:
            columns += [Column("detained", "Detained"), Column("cited", "Cited"), Column("arrested", "Arrested")]
        columns.append(Column("custody", "Protective custody"))
    else:
        columns = columns[1:]  # who was contacted is not theirs to see; who was offered services is
    offers = {r["r_group"]: r for r in offered["groups"]}
    table = Table(
        "outcomes",
        "What happened, by group of people",
        "People",
        columns,
        note="Each person is counted once per column; a person may appear in several columns.",
    )
    for key, label, _singular, _plural in GROUPS:
        counts = contact_counts.get(key, {})
        values = [
            offers.get(key, {}).get("people" if c.key == "offered" else "accepted", 0)
            if c.key in ("offered", "accepted")
            else counts.get(c.key, 0)
            for c in columns
        ]
        table.add(key, label, values)
    return table


def rescued_by_group(rows: list[dict]) -> Table:
    """People rescued (counted as victims, children in protective custody included), by group."""
    counts = {r["r_rescue"]: r["people"] for r in rows}
    table = Table(
        "rescued",
        "People rescued, by group",
        "People",
        [Column("people", "People rescued")],
        column_totals=True,
        note="Everyone counted as a potential or confirmed victim, children taken into protective custody included.",
    )
    for key, label, _singular, _plural in RESCUED_GROUPS:
        table.add(key, label, [counts.get(key, 0)])
    return table


def agencies_by_role(participations) -> Table:
    """The agencies that took part in the operation, by role."""
    rows = {
        r["role"]: r["agencies"]
        for r in participations.values("role").annotate(agencies=Count("agency", distinct=True)).order_by()
    }
    table = Table(
        "agencies",
        "Agencies that took part, by role",
        "Role",
        [Column("agencies", "Agencies")],
        column_totals=True,
    )
    for role in ParticipationRole:
        if role.value in rows:
            table.add(role.value, role.label, [rows[role.value]])
    return table


def referrals_by_partner(referrals) -> Table:
    rows = (
        referrals.exclude(status=ReferralStatus.DRAFT)
        .values("to_agency_id", "to_agency__name", "status")
        .annotate(n=Count("id"))
        .order_by("to_agency__name")
    )
    table = Table(
        "referrals",
        "Referrals, by partner and status",
        "Partner",
        [Column(s.value, s.label) for s in REFERRAL_STATUSES],
        row_totals=True,
        column_totals=True,
    )
    partners: dict = {}
    for r in rows:
        partners.setdefault((r["to_agency__name"], r["to_agency_id"]), {})[r["status"]] = r["n"]
    for (name, pk), counts in partners.items():
        table.add(str(pk), name, [counts.get(s.value, 0) for s in REFERRAL_STATUSES])
    return table


def custody_by_agency(handoffs) -> Table:
    rows = (
        handoffs.values("receiving_agency_id", "receiving_agency__name")
        .annotate(**{key: Count("person", distinct=True, filter=q) for key, _l, _p, q in AGE_BANDS})
        .order_by("receiving_agency__name")
    )
    table = Table(
        "custody",
        "Children taken into protective custody, by receiving agency and age",
        "Receiving agency",
        [Column(key, label) for key, label, _p, _q in AGE_BANDS],
        row_totals=True,
        column_totals=True,
    )
    for r in rows:
        table.add(str(r["receiving_agency_id"]), r["receiving_agency__name"], [r[key] for key, *_ in AGE_BANDS])
    return table
