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
    Operation,
    Referral,
    ReferralStatus,
    ServiceOffer,
)
from cases.models.people import MINOR_AGE_GROUPS

from . import words as w
from .base import Report
from .grouped import Grouping, grouped, one_of
from .queries import (
    ARREST_OUTCOMES,
    GROUP_NOUNS,
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

AGE_BANDS = [
    # key, column label, phrase for the paragraph, filter on the age at custody
    ("under_5", "Under 5", "under five", Q(child_age_at_custody__lt=5)),
    ("5_to_12", "5 to 12", "aged five to twelve", Q(child_age_at_custody__gte=5, child_age_at_custody__lt=13)),
    ("13_to_17", "13 to 17", "aged thirteen to seventeen", Q(child_age_at_custody__gte=13)),
]
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
    )


def _operation_report(scope: ReportScope, operation: Operation, report: Report) -> Report:
    records = operation_records(scope, operation)
    people = contact_counts(records) if scope.sees_contacts else None
    offered = offer_counts(records.offers)
    report.tables.append(_outcomes_by_group(scope, people, offered))
    if people is not None:
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
    report.chart(
        "services", "Services offered and accepted, by type", "services", ["offered", "accepted"], horizontal=True
    )
    report.paragraph = paragraph(report, _services_per_group(offered["per_group"]))
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
    custody = Q(outcome=ContactOutcome.PROTECTIVE_CUSTODY) | Q(id__in=handoffs.values("contact_id"))
    base = contacts.values(
        r_person=F("person_id"),
        r_role=F("role"),
        r_age=F("age_group"),
        r_gender=F("person__gender"),
        r_group=group_of("age_group", "person__gender"),
        r_detained=_flag(detained),
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
        ],
        victim_columns=("r_age", "r_gender"),
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
            Grouping("groups", ("r_group",), {"people": PERSON}),
            Grouping("per_group", ("r_group", "r_type_name", "r_type_order"), {"people": PERSON}),
        ],
    )


def _outcomes_by_group(scope, people: dict | None, offered: dict) -> Table:
    """People by group (adult men, adult women, girls…) and what happened to them."""
    columns = [Column("contacted", "Contacted"), Column("offered", "Offered services")]
    contact_counts: dict = {}
    if people is not None:
        contact_counts = {r["r_group"]: r for r in people["outcomes"]}
        if scope.sees_enforcement:
            columns += [Column("detained", "Detained"), Column("arrested", "Arrested")]
        columns.append(Column("custody", "Protective custody"))
    offered_to = {r["r_group"]: r["people"] for r in offered["groups"]}
    table = Table(
        "outcomes",
        "What happened, by group of people",
        "People",
        columns,
        note="Each person is counted once per column; a person may appear in several columns.",
    )
    for key, label, _singular, _plural in GROUPS:
        counts = contact_counts.get(key, {})
        values = [counts.get(c.key, 0) if c.key != "offered" else offered_to.get(key, 0) for c in columns]
        table.add(key, label, values)
    return table


def _services_per_group(rows: list[dict]) -> dict[str, list[str]]:
    """The service types offered to each group, most offered first."""
    out: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: (r["r_group"], -r["people"], int(r["r_type_order"]), r["r_type_name"])):
        out.setdefault(r["r_group"], []).append(r["r_type_name"])
    return out


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


# --- the paragraph -------------------------------------------------------------


def _zero(value) -> bool:
    return value == 0 or value is None


def paragraph(report: Report, services: dict[str, list[str]]) -> str:
    """A press-release paragraph written only from the cells shown in the report."""
    sentences: list[str] = []
    outcomes = report.table("outcomes")
    keys = [c.key for c in outcomes.columns]
    for row in outcomes.rows:
        shown = dict(zip(keys, (c.shown for c in row.cells)))
        singular, plural = GROUP_NOUNS[row.key]
        detained, arrested = shown.get("detained", 0), shown.get("arrested", 0)
        offered, custody = shown.get("offered", 0), shown.get("custody", 0)
        if not _zero(detained):
            text = f"{w.counted(detained, singular, plural)} {w.be(detained)} contacted and "
            if isinstance(arrested, int) and arrested == detained:
                text += "arrested"
            else:
                text += "detained"
                if not _zero(arrested):
                    text += f", and {w.count_words(arrested)} of them {w.be(arrested)} arrested"
            sentences.append(w.sentence(text))
        if not _zero(offered):
            names = [w.lower_name(n) for n in services.get(row.key, [])]
            sentences.append(
                w.sentence(
                    f"{w.counted(offered, singular, plural)} {w.be(offered)} offered {w.join_list(names) or 'services'}"
                )
            )
        contacted = shown.get("contacted", 0)
        if _zero(detained) and _zero(offered) and _zero(custody) and not _zero(contacted):
            sentences.append(w.sentence(f"{w.counted(contacted, singular, plural)} {w.be(contacted)} contacted"))
    if report.has("referrals"):
        sentences.extend(_referral_sentences(report.table("referrals")))
    if report.has("custody"):
        sentences.extend(_custody_sentences(report.table("custody")))
    if report.has("enforcement"):
        sentences.extend(_enforcement_sentences(report.table("enforcement")))
    if not sentences:
        return "No outcomes have been recorded for this operation yet."
    return " ".join(sentences)


def _referral_sentences(table: Table) -> list[str]:
    if not table.rows:
        return []
    total = table.grand_total.shown
    partners = len(table.rows)
    return [
        w.sentence(
            f"{w.counted(total, 'referral', 'referrals')} {w.be(total)} sent to "
            f"{w.counted(partners, 'partner agency', 'partner agencies')}"
        )
    ]


def _custody_sentences(table: Table) -> list[str]:
    out = []
    for i, row in enumerate(table.rows):
        bands = [(phrase, cell.shown) for (_k, _l, phrase, _q), cell in zip(AGE_BANDS, row.cells)]
        bands = [(phrase, v) for phrase, v in bands if not _zero(v)]
        agency = f"the {row.label}" if not row.label.lower().startswith("the ") else row.label
        if len(bands) == 1:
            phrase, value = bands[0]
            who = f"{w.counted(value, 'child', 'children')} {phrase}"
            verb = w.be(value)
        elif bands:
            total = table.total_col[i].shown
            parts = w.join_list([f"{w.count_words(v)} {phrase}" for phrase, v in bands])
            who, verb = f"{w.counted(total, 'child', 'children')} ({parts})", w.be(total)
        else:
            continue
        out.append(w.sentence(f"{who} {verb} placed in protective custody with {agency}"))
    return out


def _enforcement_sentences(table: Table) -> list[str]:
    if table.total_row is None:
        return []
    arrests, charges, trafficking = (table.value("total", k) for k in ("arrests", "charges", "trafficking"))
    if _zero(arrests) and _zero(charges):
        return []
    if _zero(trafficking):
        of_them = ""
    elif isinstance(charges, int) and trafficking == charges:
        of_them = " for human trafficking" if charges == 1 else ", all of them for human trafficking"
    else:
        of_them = f", {w.count_words(trafficking)} of them for human trafficking"
    arrests_text = f"{w.counted(arrests, 'arrest', 'arrests')} {w.be(arrests)} made"
    if _zero(charges):
        return [w.sentence(arrests_text)]
    charges_text = f"{w.counted(charges, 'charge', 'charges')} {w.be(charges)} brought{of_them}"
    if _zero(arrests):
        return [w.sentence(charges_text)]
    return [w.sentence(f"{arrests_text} and {charges_text}")]
