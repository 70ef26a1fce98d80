"""The task-force dashboard for a period, and the grant performance measures by quarter."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, Q, Value, When
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
    ReferralStatus,
    ServiceOffer,
    TraffickingType,
)
from cases.models.people import MINOR_AGE_GROUPS

from .base import Report
from .medians import median_hours
from .queries import enforcement_by_agency, fill_rates, people_by_role, scope_note, services_by_type, victims_by_dimension
from .scope import ReportScope
from .tables import THRESHOLD, Column, Table

ADULT_MINOR = [("adult", "Adults"), ("minor", "Minors (under 18)"), ("unknown", "Age not known")]
FUNNEL = [
    ("sent", "Sent", Q(sent_at__isnull=False)),
    # The status says how far a referral got; its events say whether a closed one was in service.
    ("acknowledged", "Acknowledged", Q(acknowledged_at__isnull=False) | Q(status__in=[
        ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.IN_SERVICE,
        ReferralStatus.CLOSED])),
    ("accepted", "Accepted", Q(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.CLOSED])
     | Q(events__to_status=ReferralStatus.ACCEPTED)),
    ("in_service", "In service", Q(status=ReferralStatus.IN_SERVICE) | Q(events__to_status=ReferralStatus.IN_SERVICE)),
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
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "agency": self.agency.pk if self.agency else None}


def _records(scope: ReportScope, period: Period):
    """The period's records, narrowed to the agency filter."""
    p = period
    return {
        "operations": scope.records(Operation).filter(p.within("starts_at")).filter(
            p.by_agency(operation="id")),
        "contacts": scope.records(Contact).filter(p.within("occurred_at")).filter(
            p.by_agency(agency="agency", operation="operation_id")),
        "offers": scope.records(ServiceOffer).filter(p.within("offered_at")).filter(
            p.by_agency(a="offered_by", b="provider", operation="contact__operation_id")),
        "referrals": scope.records(Referral).filter(p.within("sent_at")).filter(
            p.by_agency(a="from_agency", b="to_agency", operation="contact__operation_id")),
        "handoffs": scope.records(CustodyHandoff).filter(p.within("taken_at")).filter(
            p.by_agency(a="custody_agency", b="receiving_agency", operation="operation_id")),
        "detentions": scope.records(Detention).filter(p.within("detained_at")).filter(
            p.by_agency(a="agency", operation="contact__operation_id")),
    }


def _adult_minor():
    return Case(
        When(age_group=AgeGroup.ADULT, then=Value("adult")),
        When(age_group__in=[str(a) for a in MINOR_AGE_GROUPS], then=Value("minor")),
        default=Value("unknown"), output_field=CharField(),
    )


def _victim_tables(contacts, age_detail: bool) -> list[Table]:
    ages = (_adult_minor(), ADULT_MINOR) if not age_detail else (F("age_group"), AgeGroup.choices)
    return [
        victims_by_dimension(contacts, "victims_by_type", "Victims, by type of trafficking", "Type of trafficking",
                             Coalesce("operation__trafficking_type", Value(TraffickingType.UNKNOWN.value)),
                             TraffickingType.choices),
        victims_by_dimension(contacts, "victims_by_age", "Victims, by age group", "Age group", *ages),
        victims_by_dimension(contacts, "victims_by_citizenship", "Victims, by citizenship", "Citizenship",
                             F("person__citizenship"), Citizenship.choices),
        victims_by_dimension(contacts, "victims_by_gender", "Victims, by gender", "Gender",
                             F("person__gender"), Gender.choices),
    ]


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
    report.tables.append(_operations_by_month(r["operations"], period))
    if scope.sees_contacts:
        report.tables.append(people_by_role(r["contacts"]))
        report.tables.extend(_victim_tables(r["contacts"], age_detail=False))
    report.tables.append(services_by_type(r["offers"], unit="offers"))
    report.tables.append(_funnel(r["referrals"]))
    report.tables.append(_acknowledgement(r["referrals"]))
    if scope.sees_custody:
        report.tables.append(_custody_times(r["handoffs"]))
    if scope.sees_enforcement:
        report.tables.append(enforcement_by_agency(r["detentions"]))
    report.tables.append(_activity_by_agency(scope, r))
    report.finish()
    _after_suppression(report, scope)
    report.chart("operations", "Operations per month", "operations_by_month",
                 [t.value for t in TraffickingType])
    for key, title in (("people_by_role", "People contacted, by role"), ("victims_by_type", "Victims, by type"),
                       ("victims_by_age", "Victims, adults and minors"),
                       ("victims_by_citizenship", "Victims, by citizenship"),
                       ("victims_by_gender", "Victims, by gender")):
        if report.has(key):
            report.chart(key, title, key, horizontal=key != "victims_by_age")
    report.chart("acceptance", "Service acceptance rate, by type", "services", ["rate"], horizontal=True, percent=True)
    report.chart("funnel", "Referral funnel", "referral_funnel", ["referrals"])
    report.chart("acknowledge", "Median hours to acknowledge a referral, by partner", "acknowledgement",
                 ["median_hours"], horizontal=True)
    if report.has("custody_times"):
        report.chart("custody", "Median hours from custody to hand-off", "custody_times", ["median_hours"],
                     horizontal=True)
    if report.has("enforcement"):
        report.chart("enforcement", "Arrests and charges, by agency", "enforcement",
                     ["arrests", "trafficking", "other"], horizontal=True)
    report.parameters["scope"] = scope_note(scope)
    return report


def _after_suppression(report: Report, scope: ReportScope) -> None:
    """Rates and medians are filled in once we know which counts are hidden."""
    fill_rates(report.table("services"))
    funnel = report.table("referral_funnel")
    sent = funnel.cell("sent", "referrals")
    for row in funnel.rows:
        cell, share = funnel.cell(row.key, "referrals"), funnel.cell(row.key, "share")
        share.value = None if (cell.is_hidden or sent.is_hidden or not sent.value) else round(
            100 * cell.value / sent.value, 1)
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
        operations.annotate(month=TruncMonth("starts_at")).values("month", "trafficking_type")
        .annotate(n=Count("id")).order_by()
    )
    counts: dict = {}
    for r in rows:
        month = timezone.localtime(r["month"]) if timezone.is_aware(r["month"]) else r["month"]
        counts[(month.year, month.month, r["trafficking_type"])] = r["n"]
    table = Table("operations_by_month", "Operations started, by month and type of trafficking", "Month",
                  [Column(t.value, t.label) for t in TraffickingType], row_totals=True, column_totals=True)
    for y, m in period.months():
        table.add(f"{y}-{m:02d}", date(y, m, 1).strftime("%B %Y"), [counts.get((y, m, t.value), 0) for t in TraffickingType])
    return table


def _funnel(referrals) -> Table:
    counts = referrals.aggregate(**{key: Count("id", distinct=True, filter=q) for key, _label, q in FUNNEL})
    table = Table("referral_funnel", "Referral funnel: referrals sent in the period, by furthest step reached",
                  "Step", [Column("referrals", "Referrals"), Column("share", "Share of sent", derived=True, unit="%")],
                  note="A referral that reached a step also counts in every step before it.")
    for key, label, _q in FUNNEL:
        table.add(key, label, [counts[key], None])
    return table


def _acknowledgement(referrals) -> Table:
    sent = {
        r["to_agency_id"]: (r["to_agency__name"], r["n"])
        for r in referrals.values("to_agency_id", "to_agency__name").annotate(n=Count("id")).order_by("to_agency__name")
    }
    medians = median_hours(referrals, "to_agency_id", "sent_at", "acknowledged_at")
    table = Table("acknowledgement", "Time to acknowledge a referral, by partner", "Partner",
                  [Column("sent", "Referrals sent"), Column("acknowledged", "Acknowledged"),
                   Column("median_hours", "Median hours to acknowledge", derived=True, unit="hours")])
    for pk, (name, n) in sent.items():
        acknowledged, hours = medians.get(pk, (0, None))
        table.add(str(pk), name, [n, acknowledged, hours])
    return table


def _custody_times(handoffs) -> Table:
    taken = {
        r["receiving_agency_id"]: (r["receiving_agency__name"], r["n"])
        for r in handoffs.values("receiving_agency_id", "receiving_agency__name").annotate(
            n=Count("id")).order_by("receiving_agency__name")
    }
    medians = median_hours(handoffs, "receiving_agency_id", "taken_at", "handed_over_at")
    table = Table("custody_times", "Children in protective custody: time to hand-off, by receiving agency",
                  "Receiving agency",
                  [Column("taken", "Children taken into custody"), Column("handed_over", "Handed over"),
                   Column("median_hours", "Median hours to hand-off", derived=True, unit="hours")])
    for pk, (name, n) in taken.items():
        handed, hours = medians.get(pk, (0, None))
        table.add(str(pk), name, [n, handed, hours])
    return table


def _activity_by_agency(scope: ReportScope, r: dict) -> Table:
    columns = [("operations", "Operations taken part in")]
    measures = {
        "operations": Participation.objects.filter(operation__in=r["operations"]).values("agency_id")
        .annotate(n=Count("operation", distinct=True)),
        "offers": r["offers"].values(agency_id=F("offered_by_id")).annotate(n=Count("id")),
        "referrals": r["referrals"].values(agency_id=F("from_agency_id")).annotate(n=Count("id")),
    }
    if scope.sees_contacts:
        measures["contacts"] = r["contacts"].values("agency_id").annotate(n=Count("person", distinct=True))
        columns.append(("contacts", "People contacted"))
    columns += [("offers", "Services offered"), ("referrals", "Referrals sent")]
    if scope.sees_custody:
        measures["custody"] = r["handoffs"].values(agency_id=F("custody_agency_id")).annotate(n=Count("id"))
        columns.append(("custody", "Children taken into custody"))
    found: dict = {}
    for key, qs in measures.items():
        for row in qs.order_by():
            found.setdefault(row["agency_id"], {})[key] = row["n"]
    names = dict(Agency.objects.filter(pk__in=found).values_list("pk", "name"))
    table = Table("activity_by_agency", "Activity, by agency", "Agency", [Column(k, label) for k, label in columns],
                  note="An operation counts for every agency that took part in it.")
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
    if scope.sees_contacts:
        report.tables.extend(_victim_tables(r["contacts"], age_detail=True))
    report.tables.append(services_by_type(r["offers"], unit="offers"))
    report.tables.append(_referral_sources(r["referrals"]))
    if scope.sees_enforcement:
        report.tables.append(enforcement_by_agency(r["detentions"]))
        report.tables.append(_charges_by_class(scope.records(Charge).filter(detention__in=r["detentions"])))
    report.finish()
    fill_rates(report.table("services"))
    if report.has("victims_by_type"):
        report.chart("victims_by_type", "Victims identified, by type of trafficking", "victims_by_type",
                      ["potential", "confirmed"], horizontal=True)
    report.chart("services", "Services offered and accepted, by category", "services", ["offered", "accepted"],
                 horizontal=True)
    report.parameters["scope"] = scope_note(scope)
    return report


def _referral_sources(referrals) -> Table:
    counts = dict(referrals.values_list("from_agency__kind").annotate(n=Count("id")).order_by())
    table = Table("referral_sources", "Referrals sent, by source", "Referring agency type",
                  [Column("referrals", "Referrals")], column_totals=True)
    for kind in AgencyKind:
        table.add(kind.value, kind.label, [counts.get(kind.value, 0)])
    return table


def _charges_by_class(charges) -> Table:
    counts = {(r["charge_class"], r["is_trafficking"]): r["n"]
              for r in charges.values("charge_class", "is_trafficking").annotate(n=Count("id")).order_by()}
    table = Table("charges_by_class", "Charges, by class, trafficking charges apart", "Class of charge",
                  [Column("trafficking", "Trafficking charges"), Column("other", "Other charges")],
                  row_totals=True, column_totals=True)
    for cls in ChargeClass:
        table.add(cls.value, cls.label, [counts.get((cls.value, True), 0), counts.get((cls.value, False), 0)])
    return table
