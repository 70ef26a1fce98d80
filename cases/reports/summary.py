"""The task-force dashboard for a period, and the grant performance measures by quarter."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from cases.models import (
    AgeGroup,
    Charge,
    ChargeClass,
    Citizenship,
    Contact,
    CustodyHandoff,
    Detention,
    Gender,
    Operation,
    Participation,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ServiceOffer,
    TraffickingType,
)
from cases.models.people import MINOR_AGE_GROUPS

from . import lifecycle
from .base import Report
from .counting import victim_status
from .grouped import Grouping, grouped
from .medians import median_hours
from .queries import (
    contact_groupings,
    enforcement_by_agency,
    fill_rates,
    people_by_role,
    scope_note,
    services_by_type,
    victims_by_dimension,
)
from .scope import ReportScope, reading
from .tables import THRESHOLD, Column, Table


def _reached(status: str) -> Exists:
    """The referral has an event moving it to this status."""
    return Exists(ReferralEvent.objects.filter(referral_id=OuterRef("pk"), to_status=status))


ADULT_MINOR = [("adult", "Adults"), ("minor", "Minors (under 18)"), ("unknown", "Age not known")]
FUNNEL = [
    ("sent", "Sent", Q(sent_at__isnull=False)),
    # The status says how far a referral got; its events say whether a closed one was in service.
    (
        "acknowledged",
        "Acknowledged",
        Q(acknowledged_at__isnull=False)
        | Q(
            status__in=[
                ReferralStatus.ACKNOWLEDGED,
                ReferralStatus.ACCEPTED,
                ReferralStatus.DECLINED,
                ReferralStatus.IN_SERVICE,
                ReferralStatus.CLOSED,
            ]
        ),
    ),
    (
        "accepted",
        "Accepted",
        Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.CLOSED])
        | Q(_reached(ReferralStatus.ACCEPTED)),
    ),
    ("in_service", "In service", Q(status=ReferralStatus.IN_SERVICE) | Q(_reached(ReferralStatus.IN_SERVICE))),
    ("closed", "Closed", Q(status=ReferralStatus.CLOSED)),
    ("declined", "Declined (left the funnel)", Q(status=ReferralStatus.DECLINED)),
    ("revoked", "Revoked (left the funnel)", Q(status=ReferralStatus.REVOKED)),
]


# Longer periods are refused: months are listed one by one.
MAX_PERIOD_DAYS = 3660


def default_period(end: date | None = None) -> tuple[date, date]:
    """The last twelve months and this one, to today."""
    end = end or timezone.localdate()
    return (end - timedelta(days=365)).replace(day=1), end


def period_problem(start: date, end: date) -> dict[str, str] | None:
    """What is wrong with a chosen period, as {field: message}, or None."""
    if start > end:
        return {"end": "The end of the period must not be before its start."}
    if (end - start).days > MAX_PERIOD_DAYS:
        return {"start": "Choose a period of at most ten years."}
    return None


class Period:
    """From the start of `start` to the end of `end`, in the task force's time zone."""

    def __init__(self, start: date, end: date, agency: Agency | None = None):
        self.start, self.end, self.agency = start, end, agency
        zone = timezone.get_current_timezone()
        self.begins = timezone.make_aware(datetime.combine(start, time.min), zone)
        self.ends = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone)

    def within(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.begins, f"{field}__lt": self.ends})

    def months(self) -> list[tuple[int, int]]:
        out, (y, m) = [], (self.start.year, self.start.month)
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def by_agency(self, **lookups: str) -> Q:
        """Records the agency made, or that belong to an operation it took part in."""
        if self.agency is None:
            return Q()
        operations = Participation.objects.filter(agency=self.agency).values("operation_id")
        q = Q()
        for kind, field in lookups.items():
            q |= Q(**{field: self.agency}) if kind != "operation" else Q(**{f"{field}__in": operations})
        return q

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "agency": self.agency.pk if self.agency else None,
        }


def _records(scope: ReportScope, period: Period):
    """The period's records, narrowed to the agency filter."""
    p = period
    return {
        "operations": scope.records(Operation).filter(p.within("starts_at")).filter(p.by_agency(operation="id")),
        "contacts": scope.records(Contact)
        .filter(p.within("occurred_at"))
        .filter(p.by_agency(agency="agency", operation="operation_id")),
        "offers": scope.records(ServiceOffer)
        .filter(p.within("offered_at"))
        .filter(p.by_agency(a="offered_by", b="provider", operation="contact__operation_id")),
        "referrals": scope.records(Referral)
        .filter(p.within("sent_at"))
        .filter(p.by_agency(a="from_agency", b="to_agency", operation="operation_id")),
        "handoffs": scope.records(CustodyHandoff)
        .filter(p.within("taken_at"))
        .filter(p.by_agency(a="custody_agency", b="receiving_agency", operation="operation_id")),
        "detentions": scope.records(Detention)
        .filter(p.within("detained_at"))
        .filter(p.by_agency(a="agency", operation="operation_id")),
    }


def _adult_minor():
    return Case(
        When(age_group=AgeGroup.ADULT, then=Value("adult")),
        When(age_group__in=[str(a) for a in MINOR_AGE_GROUPS], then=Value("minor")),
        default=Value("unknown"),
        output_field=CharField(),
    )


VICTIM_DIMENSIONS = ("r_type", "r_age", "r_citizenship", "r_gender")


def _contact_counts(contacts, age_detail: bool, summary: bool) -> dict[str, list[dict]]:
    """People by role and by agency (dashboard), victims by each dimension: one query."""
    base = contacts.values(
        r_person=F("person_id"),
        r_role=F("role"),
        r_victim=victim_status(),
        r_agency=F("agency_id"),
        r_type=Coalesce("operation__trafficking_type", Value(TraffickingType.UNKNOWN.value)),
        r_age=F("age_group") if age_detail else _adult_minor(),
        r_citizenship=F("person__citizenship"),
        r_gender=F("person__gender"),
    )
    return grouped(
        base,
        contact_groupings(list(VICTIM_DIMENSIONS), roles=summary, agencies=summary),
        victim_columns=VICTIM_DIMENSIONS,
    )


def _victim_tables(people: dict, age_detail: bool) -> list[Table]:
    ages = ADULT_MINOR if not age_detail else AgeGroup.choices
    return [
        victims_by_dimension(
            people["victims_r_type"],
            "r_type",
            "victims_by_type",
            "Victims, by type of trafficking",
            "Type of trafficking",
            TraffickingType.choices,
        ),
        victims_by_dimension(
            people["victims_r_age"], "r_age", "victims_by_age", "Victims, by age group", "Age group", ages
        ),
        victims_by_dimension(
            people["victims_r_citizenship"],
            "r_citizenship",
            "victims_by_citizenship",
            "Victims, by citizenship",
            "Citizenship",
            Citizenship.choices,
        ),
        victims_by_dimension(
            people["victims_r_gender"], "r_gender", "victims_by_gender", "Victims, by gender", "Gender", Gender.choices
        ),
    ]


def _offer_counts(offers) -> dict[str, list[dict]]:
    """Offers by service type and by offering agency: one query."""
    base = offers.values(
        r_id=F("id"),
        r_type=F("service_type_id"),
        r_type_name=F("service_type__name"),
        r_type_order=F("service_type__order"),
        r_offered_by=F("offered_by_id"),
        r_accepted=_flag(Q(response="accepted")),
        r_delivered=_flag(Q(delivered_at__isnull=False)),
    )
    # One row per offer (every join is to the one record an offer points to): plain sums.
    return grouped(
        base,
        [
            Grouping(
                "services",
                ("r_type", "r_type_name", "r_type_order"),
                {
                    "offered": "COUNT(*)",
                    "accepted": "SUM(r_accepted)",
                    "delivered": "SUM(r_delivered)",
                },
            ),
            Grouping("agencies", ("r_offered_by",), {"n": "COUNT(*)"}),
        ],
    )


def _referral_counts(referrals) -> dict[str, list[dict]]:
    """The funnel, referrals by partner, by sender and by kind of sender: one query."""
    steps = {f"r_{key}": _flag(q) for key, _label, q in FUNNEL}
    base = referrals.values(
        r_id=F("id"),
        r_to=F("to_agency_id"),
        r_to_name=F("to_agency__name"),
        r_from=F("from_agency_id"),
        r_from_kind=F("from_agency__kind"),
        **steps,
    )
    # One row per referral (events are looked up by EXISTS, not joined): plain sums.
    return grouped(
        base,
        [
            Grouping("funnel", (), {key: f"SUM(r_{key})" for key, _l, _q in FUNNEL}),
            Grouping("partners", ("r_to", "r_to_name"), {"n": "COUNT(*)"}),
            Grouping("senders", ("r_from",), {"n": "COUNT(*)"}),
            Grouping("sender_kinds", ("r_from_kind",), {"n": "COUNT(*)"}),
        ],
    )


def _handoff_counts(handoffs) -> dict[str, list[dict]]:
    """Children taken into custody, by receiving agency and by custody agency: one query."""
    base = handoffs.values(
        r_id=F("id"),
        r_receiving=F("receiving_agency_id"),
        r_receiving_name=F("receiving_agency__name"),
        r_custody=F("custody_agency_id"),
    )
    return grouped(
        base,
        [
            Grouping("receiving", ("r_receiving", "r_receiving_name"), {"n": "COUNT(*)"}),
            Grouping("custody", ("r_custody",), {"n": "COUNT(*)"}),
        ],
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def summary_report(scope: ReportScope, start: date, end: date, agency: Agency | None = None) -> Report:
    period = Period(start, end, agency)
    where = f" — {agency.name}" if agency else ""
    report = Report(
        kind="summary",
        title="Task-force dashboard",
        subtitle=f"{start:%B %-d, %Y} to {end:%B %-d, %Y}{where}",
        parameters=period.as_dict(),
        suppressed=scope.suppressed,
    )
    r = _records(scope, period)
    with reading():
        report.tables.append(_operations_by_month(r["operations"], period))
        people = None
        if scope.sees_contacts:
            people = _contact_counts(r["contacts"], age_detail=False, summary=True)
            report.tables.append(people_by_role(people["roles"]))
            report.tables.extend(_victim_tables(people, age_detail=False))
        offers = _offer_counts(r["offers"])
        report.tables.append(services_by_type(offers["services"], unit="offers"))
        referrals = _referral_counts(r["referrals"])
        report.tables.append(_funnel(referrals["funnel"]))
        report.tables.append(_acknowledgement(referrals["partners"], r["referrals"]))
        handoffs = None
        if scope.sees_custody:
            handoffs = _handoff_counts(r["handoffs"])
            report.tables.append(_custody_times(handoffs["receiving"], r["handoffs"]))
        if scope.sees_enforcement:
            report.tables.append(enforcement_by_agency(r["detentions"]))
        report.tables.extend(lifecycle.lifecycle_tables(scope, period))
        report.tables.append(_activity_by_agency(r["operations"], people, offers, referrals, handoffs))
    report.finish()
    _after_suppression(report, scope)
    lifecycle.after_suppression(report, scope)
    report.chart("operations", "Operations per month", "operations_by_month", [t.value for t in TraffickingType])
    for key, title in (
        ("people_by_role", "People contacted, by role"),
        ("victims_by_type", "Victims, by type"),
        ("victims_by_age", "Victims, adults and minors"),
        ("victims_by_citizenship", "Victims, by citizenship"),
        ("victims_by_gender", "Victims, by gender"),
    ):
        if report.has(key):
            report.chart(key, title, key, horizontal=key != "victims_by_age")
    report.chart("acceptance", "Service acceptance rate, by type", "services", ["rate"], horizontal=True, percent=True)
    report.chart("funnel", "Referral funnel", "referral_funnel", ["referrals"])
    report.chart(
        "acknowledge",
        "Median hours to acknowledge a referral, by partner",
        "acknowledgement",
        ["median_hours"],
        horizontal=True,
    )
    if report.has("custody_times"):
        report.chart(
            "custody", "Median hours from custody to hand-off", "custody_times", ["median_hours"], horizontal=True
        )
    if report.has("enforcement"):
        report.chart(
            "enforcement",
            "Arrests and charges, by agency",
            "enforcement",
            ["arrests", "trafficking", "other"],
            horizontal=True,
        )
    lifecycle.chart(report)
    report.parameters["scope"] = scope_note(scope)
    return report


def _after_suppression(report: Report, scope: ReportScope) -> None:
    """Rates and medians are filled in once we know which counts are hidden."""
    fill_rates(report.table("services"))
    funnel = report.table("referral_funnel")
    sent = funnel.cell("sent", "referrals")
    for row in funnel.rows:
        cell, share = funnel.cell(row.key, "referrals"), funnel.cell(row.key, "share")
        share.value = (
            None if (cell.is_hidden or sent.is_hidden or not sent.value) else round(100 * cell.value / sent.value, 1)
        )
    for key, count_column in (("acknowledgement", "acknowledged"), ("custody_times", "handed_over")):
        if not report.has(key):
            continue
        table = report.table(key)
        for row in table.rows:
            count, med = table.cell(row.key, count_column), table.cell(row.key, "median_hours")
            # A median of fewer than five records says too much about each of them.
            if scope.suppressed and (count.is_hidden or (count.value or 0) < THRESHOLD):
                med.value = None


def _operations_by_month(operations, period: Period) -> Table:
    rows = (
        operations.annotate(month=TruncMonth("starts_at"))
        .values("month", "trafficking_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict = {}
    for r in rows:
        month = timezone.localtime(r["month"]) if timezone.is_aware(r["month"]) else r["month"]
        counts[(month.year, month.month, r["trafficking_type"])] = r["n"]
    table = Table(
        "operations_by_month",
        "Operations started, by month and type of trafficking",
        "Month",
        [Column(t.value, t.label) for t in TraffickingType],
        row_totals=True,
        column_totals=True,
    )
    for y, m in period.months():
        table.add(
            f"{y}-{m:02d}", date(y, m, 1).strftime("%B %Y"), [counts.get((y, m, t.value), 0) for t in TraffickingType]
        )
    return table


def _funnel(rows: list[dict]) -> Table:
    counts = rows[0]
    table = Table(
        "referral_funnel",
        "Referral funnel: referrals sent in the period, by furthest step reached",
        "Step",
        [Column("referrals", "Referrals"), Column("share", "Share of sent", derived=True, unit="%")],
        note="A referral that reached a step also counts in every step before it.",
    )
    for key, label, _q in FUNNEL:
        table.add(key, label, [counts[key], None])
    return table


def _by_name(rows: list[dict], name: str) -> list[dict]:
    return sorted(rows, key=lambda r: r[name])


def _acknowledgement(partners: list[dict], referrals) -> Table:
    medians = median_hours(referrals, "to_agency_id", "sent_at", "acknowledged_at")
    table = Table(
        "acknowledgement",
        "Time to acknowledge a referral, by partner",
        "Partner",
        [
            Column("sent", "Referrals sent"),
            Column("acknowledged", "Acknowledged"),
            Column("median_hours", "Median hours to acknowledge", derived=True, unit="hours"),
        ],
    )
    for r in _by_name(partners, "r_to_name"):
        acknowledged, hours = medians.get(int(r["r_to"]), (0, None))
        table.add(r["r_to"], r["r_to_name"], [r["n"], acknowledged, hours])
    return table


def _custody_times(receiving: list[dict], handoffs) -> Table:
    medians = median_hours(handoffs, "receiving_agency_id", "taken_at", "handed_over_at")
    table = Table(
        "custody_times",
        "Children in protective custody: time to hand-off, by receiving agency",
        "Receiving agency",
        [
            Column("taken", "Children taken into custody"),
            Column("handed_over", "Handed over"),
            Column("median_hours", "Median hours to hand-off", derived=True, unit="hours"),
        ],
    )
    for r in _by_name(receiving, "r_receiving_name"):
        handed, hours = medians.get(int(r["r_receiving"]), (0, None))
        table.add(r["r_receiving"], r["r_receiving_name"], [r["n"], handed, hours])
    return table


def _activity_by_agency(operations, people, offers, referrals, handoffs) -> Table:
    columns = [("operations", "Operations taken part in")]
    found: dict = {}
    taking_part = (
        Participation.objects.filter(operation__in=operations)
        .values("agency_id")
        .annotate(n=Count("operation", distinct=True))
        .order_by()
    )
    for row in taking_part:
        found.setdefault(row["agency_id"], {})["operations"] = row["n"]
    measures = [("offers", offers["agencies"], "r_offered_by", "n"), ("referrals", referrals["senders"], "r_from", "n")]
    if people is not None:
        measures.append(("contacts", people["agencies"], "r_agency", "people"))
        columns.append(("contacts", "People contacted"))
    columns += [("offers", "Services offered"), ("referrals", "Referrals sent")]
    if handoffs is not None:
        measures.append(("custody", handoffs["custody"], "r_custody", "n"))
        columns.append(("custody", "Children taken into custody"))
    for key, rows, agency, count in measures:
        for row in rows:
            found.setdefault(int(row[agency]), {})[key] = row[count]
    names = dict(Agency.objects.filter(pk__in=found).values_list("pk", "name"))
    table = Table(
        "activity_by_agency",
        "Activity, by agency",
        "Agency",
        [Column(k, label) for k, label in columns],
        note="An operation counts for every agency that took part in it.",
    )
    for pk in sorted(found, key=lambda p: names.get(p, "")):
        table.add(str(pk), names.get(pk, ""), [found[pk].get(k, 0) for k, _label in columns])
    return table


# --- grant performance measures ---------------------------------------------------


def quarter_dates(year: int, quarter: int | None) -> tuple[date, date]:
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, 3 * quarter - 2, 1)
    last_month_end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return first, last_month_end


def performance_measures(scope: ReportScope, year: int, quarter: int | None = None) -> Report:
    start, end = quarter_dates(year, quarter)
    period = Period(start, end)
    label = f"Quarter {quarter} of {year}" if quarter else f"Year {year}"
    report = Report(
        kind="performance-measures",
        title="Grant performance measures",
        subtitle=f"{label} ({start:%B %-d} to {end:%B %-d, %Y})",
        parameters={"year": year, "quarter": quarter, "start": start.isoformat(), "end": end.isoformat()},
        suppressed=scope.suppressed,
    )
    r = _records(scope, period)
    with reading():
        if scope.sees_contacts:
            report.tables.extend(
                _victim_tables(_contact_counts(r["contacts"], age_detail=True, summary=False), age_detail=True)
            )
        report.tables.append(services_by_type(_offer_counts(r["offers"])["services"], unit="offers"))
        report.tables.append(_referral_sources(_referral_counts(r["referrals"])["sender_kinds"]))
        if scope.sees_enforcement:
            report.tables.append(enforcement_by_agency(r["detentions"]))
            report.tables.append(_charges_by_class(scope.records(Charge).filter(detention__in=r["detentions"])))
        report.tables.extend(lifecycle.lifecycle_tables(scope, period))
    report.finish()
    fill_rates(report.table("services"))
    lifecycle.after_suppression(report, scope)
    if report.has("victims_by_type"):
        report.chart(
            "victims_by_type",
            "Victims identified, by type of trafficking",
            "victims_by_type",
            ["potential", "confirmed"],
            horizontal=True,
        )
        # Victims by gender too: children under five in custody make small cells that can hide
        # every bar of the chart by type from an analyst; women and men are usually many.
        report.chart(
            "victims_by_gender",
            "Victims identified, by gender",
            "victims_by_gender",
            ["potential", "confirmed"],
            horizontal=True,
        )
    report.chart(
        "services", "Services offered and accepted, by category", "services", ["offered", "accepted"], horizontal=True
    )
    report.parameters["scope"] = scope_note(scope)
    return report


def _referral_sources(rows: list[dict]) -> Table:
    counts = {r["r_from_kind"]: r["n"] for r in rows}
    table = Table(
        "referral_sources",
        "Referrals sent, by source",
        "Referring agency type",
        [Column("referrals", "Referrals")],
        column_totals=True,
    )
    for kind in AgencyKind:
        table.add(kind.value, kind.label, [counts.get(kind.value, 0)])
    return table


def _charges_by_class(charges) -> Table:
    counts = {
        (r["charge_class"], r["is_trafficking"]): r["n"]
        for r in charges.values("charge_class", "is_trafficking").annotate(n=Count("id")).order_by()
    }
    table = Table(
        "charges_by_class",
        "Charges, by class, trafficking charges apart",
        "Class of charge",
        [Column("trafficking", "Trafficking charges"), Column("other", "Other charges")],
        row_totals=True,
        column_totals=True,
    )
    for cls in ChargeClass:
        table.add(cls.value, cls.label, [counts.get((cls.value, True), 0), counts.get((cls.value, False), 0)])
    return table
