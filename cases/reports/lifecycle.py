"""After the operation: investigations, suspects, prosecutions, convictions, sentences and
immigration relief, for a period (the dashboard) or a quarter (the grant measures).

The one definition of each number:

- **Investigations opened**: opened on a day of the period; **closed**: closed on a day
  of the period, whenever opened, by its closing reason. A reopened investigation is
  open again and no longer counts as closed.
- **Suspects identified**: distinct people with the role suspect in the investigations
  opened in the period (a person suspected in two of them counts once).
- **Prosecutions filed**: filed on a day of the period. **Defendants charged**: distinct
  defendants of those prosecutions; with a trafficking offence when any count cites a
  statute of the catalogue marked as trafficking.
- **Defendants convicted**: distinct defendants with a count disposed of in the period
  by a guilty plea or a conviction at trial, whenever filed; of a trafficking offence
  when such a count cites a trafficking statute.
- **Sentences**: the convicted counts of the period with a sentence (custody, probation
  or restitution) recorded; the custody months summed and their median over the counts
  with custody, the restitution summed. A sentence is dated by its count's disposition
  (the model keeps no separate sentencing date).
- **Immigration relief**: requests made in the period (a renewal is a new request), by
  kind; granted and declined: decided in the period, whenever asked; days to decision:
  from the request to the decision, their median over the decisions of the period.

Each number is within the viewer's report scope (cases/reports/scope.py): records the
viewer may see, or the whole task force with small counts hidden for the analyst; voided
records and the records of voided investigations, prosecutions or people are never
counted. Investigation and prosecution numbers are for the roles that see
investigations (the policy's report parts, cases/access/screens.py); relief for every
working role within its own view. The analyst gets no median or sum of fewer than five
records (they would say too much about each of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from django.db.models import Count, Q, QuerySet, Sum

from cases.models import (
    ClosingReason,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    InvestigationPersonRole,
    InvestigationStatus,
    Prosecution,
    ReliefKind,
    ReliefRequest,
    ReliefStatus,
    TraffickingType,
)
from cases.models import Count as CountRecord
from cases.models.prosecutions import CONVICTIONS

from .base import Report
from .scope import ReportScope
from .tables import THRESHOLD, Column, Table


def _on_days(field: str, period) -> Q:
    """A date field falling on a day of the period."""
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _agency_investigations(period) -> QuerySet | None:
    if period.agency is None:
        return None
    return InvestigationAgency.objects.filter(agency=period.agency).values("investigation_id")


def _of_agency(period, **paths: str) -> Q:
    """Records of the agency filter: those of an investigation it works on, or naming the agency."""
    investigations = _agency_investigations(period)
    if investigations is None:
        return Q()
    q = Q()
    for kind, path in paths.items():
        q |= Q(**{f"{path}__in": investigations}) if kind == "investigation" else Q(**{path: period.agency})
    return q


def lifecycle_tables(scope: ReportScope, period) -> list[Table]:
    """The tables of the case lifecycle this viewer's report shows, in order."""
    tables: list[Table] = []
    if scope.sees_investigations:
        tables.extend(investigation_tables(scope, period))
        tables.append(prosecution_measures(scope, period))
        tables.append(sentences(scope, period))
    if scope.sees_relief:
        tables.append(relief(scope, period))
    return tables


@dataclass
class MeasuredTable(Table):
    """A table whose total row also shows medians and sums over every row (`totals`, by column).

    `basis` names the count columns whose records a row's medians and sums are taken over.
    """

    totals: dict = field(default_factory=dict)
    basis: tuple[str, ...] = ()

    def finish(self) -> MeasuredTable:
        super().finish()
        keys = [c.key for c in self.columns]
        for key, value in self.totals.items():
            self.total_row.cells[keys.index(key)].value = value
        return self


def after_suppression(report: Report, scope: ReportScope) -> None:
    """Medians and sums of fewer than five records are withheld from the analyst."""
    if not scope.suppressed:
        return
    for table in report.tables:
        if not isinstance(table, MeasuredTable):
            continue
        derived = [i for i, c in enumerate(table.columns) if c.derived]
        for row in [*table.rows, table.total_row]:
            basis = [table.cell(row.key, key) for key in table.basis]
            if any(c.is_hidden for c in basis) or sum(c.value or 0 for c in basis) < THRESHOLD:
                for i in derived:
                    row.cells[i].value = None


def chart(report: Report) -> None:
    if report.has("investigations"):
        report.chart(
            "investigations",
            "Investigations opened and closed, by type of trafficking",
            "investigations",
            ["opened", "closed"],
            horizontal=True,
        )


# --- investigations -----------------------------------------------------------------


def investigations_from(scope: ReportScope, operation) -> list[dict]:
    """The investigations opened from the operation that the viewer may see: id, reference, title.

    Asked of the viewer's own view, not of the report's: the analyst, who reads the whole
    task force's numbers, sees no investigation. The page and the PDF link each one.
    """
    if not scope.sees_investigations:
        return []
    return list(
        Investigation.objects.visible_to(scope.user)
        .filter(operations=operation, voided_at__isnull=True)
        .order_by("opened_on", "id")
        .values("id", "reference", "title")
    )


def investigation_tables(scope: ReportScope, period) -> list[Table]:
    opened, closed = _on_days("opened_on", period), Q(status=InvestigationStatus.CLOSED) & _on_days("closed_on", period)
    rows = (
        scope.records(Investigation)
        .filter(_of_agency(period, investigation="id"))
        .filter(opened | closed)
        .values("trafficking_type", "closing_reason")
        .annotate(n_opened=Count("id", filter=opened), n_closed=Count("id", filter=closed))
        .order_by()
    )
    by_type: dict[str, list[int]] = {}
    by_reason: dict[tuple[str, str], int] = {}
    for r in rows:
        counts = by_type.setdefault(r["trafficking_type"], [0, 0])
        counts[0] += r["n_opened"]
        counts[1] += r["n_closed"]
        if r["n_closed"]:
            key = (r["closing_reason"], r["trafficking_type"])
            by_reason[key] = by_reason.get(key, 0) + r["n_closed"]
    investigations = Table(
        "investigations",
        "Investigations opened and closed, by type of trafficking",
        "Type of trafficking",
        [Column("opened", "Opened"), Column("closed", "Closed")],
        column_totals=True,
        note="Opened: opened in the period. Closed: closed in the period, whenever opened.",
    )
    for t in TraffickingType:
        investigations.add(t.value, t.label, by_type.get(t.value, [0, 0]))
    reasons = Table(
        "investigations_closed",
        "Investigations closed, by reason and type of trafficking",
        "Reason closed",
        [Column(t.value, t.label) for t in TraffickingType],
        row_totals=True,
        column_totals=True,
    )
    for reason in ClosingReason:
        reasons.add(reason.value, reason.label, [by_reason.get((reason.value, t.value), 0) for t in TraffickingType])
    return [investigations, reasons]


# --- suspects, prosecutions, convictions ---------------------------------------------

MEASURES = [
    ("suspects", "Suspects identified (distinct people, in investigations opened in the period)"),
    ("filed", "Prosecutions filed"),
    ("charged", "Defendants charged (distinct people), any offence"),
    ("charged_trafficking", "Defendants charged with a trafficking offence"),
    ("convicted", "Defendants convicted (guilty plea or verdict on any count)"),
    ("convicted_trafficking", "Defendants convicted of a trafficking offence"),
]


def _convicted_counts(scope: ReportScope, period) -> QuerySet:
    return (
        scope.records(CountRecord)
        .filter(disposition__in=CONVICTIONS)
        .filter(_on_days("disposition_on", period))
        .filter(_of_agency(period, a="prosecution__prosecuting_agency", investigation="prosecution__investigation_id"))
    )


def prosecution_measures(scope: ReportScope, period) -> Table:
    suspects = (
        scope.records(InvestigationPerson)
        .filter(role=InvestigationPersonRole.SUSPECT)
        .filter(_on_days("investigation__opened_on", period))
        .filter(_of_agency(period, investigation="investigation_id"))
        .aggregate(n=Count("person_id", distinct=True))
    )
    trafficking = Q(counts__statute__is_trafficking=True)
    filed = (
        scope.records(Prosecution)
        .filter(_on_days("filed_on", period))
        .filter(_of_agency(period, a="prosecuting_agency", investigation="investigation_id"))
        .aggregate(
            filed=Count("id", distinct=True),
            charged=Count("defendant_id", distinct=True),
            charged_trafficking=Count("defendant_id", distinct=True, filter=trafficking),
        )
    )
    convicted = _convicted_counts(scope, period).aggregate(
        convicted=Count("prosecution__defendant_id", distinct=True),
        convicted_trafficking=Count("prosecution__defendant_id", distinct=True, filter=Q(statute__is_trafficking=True)),
    )
    values = {"suspects": suspects["n"], **filed, **convicted}
    table = Table(
        "prosecutions",
        "Suspects, prosecutions and defendants",
        "Measure",
        [Column("number", "Number")],
        note="Each person is counted once in each line. Convictions: counts disposed of in the period by a "
        "guilty plea or a verdict, whenever the prosecution was filed; trafficking offences are counted apart.",
    )
    for key, label in MEASURES:
        table.add(key, label, [values[key]])
    return table


# --- sentences ------------------------------------------------------------------------

OFFENCES = [(True, "trafficking", "Trafficking offences"), (False, "other", "Other offences")]


def _sentenced() -> Q:
    return Q(custody_months__isnull=False) | Q(probation_months__isnull=False) | Q(restitution__isnull=False)


def _money(value) -> float | None:
    return None if value is None else float(Decimal(value).quantize(Decimal("0.01")))


def sentences(scope: ReportScope, period) -> Table:
    counts = _convicted_counts(scope, period).filter(_sentenced())
    rows = {
        r["statute__is_trafficking"]: r
        for r in counts.values("statute__is_trafficking")
        .annotate(n=Count("id"), months=Sum("custody_months"), restitution=Sum("restitution"))
        .order_by()
    }
    # The custody terms themselves, for the medians: the few sentenced counts of a period.
    months: dict[bool, list[int]] = {True: [], False: []}
    for is_trafficking, custody in counts.filter(custody_months__isnull=False).values_list(
        "statute__is_trafficking", "custody_months"
    ):
        months[is_trafficking].append(custody)
    table = MeasuredTable(
        "sentences",
        "Sentences, trafficking offences apart",
        "Offence",
        [
            Column("sentenced", "Counts sentenced"),
            Column("custody_months", "Custody, total months", derived=True, unit="months"),
            Column("median_custody", "Median months of custody", derived=True, unit="months"),
            Column("restitution", "Restitution ordered (US$)", derived=True, unit="US$"),
        ],
        column_totals=True,
        note="Counts convicted in the period with a sentence recorded. The median is over the counts with "
        "custody; medians and sums of fewer than five counts are not shown to analysts.",
        basis=("sentenced",),
    )
    for flag, key, label in OFFENCES:
        r = rows.get(flag, {})
        table.add(
            key,
            label,
            [
                r.get("n", 0),
                r.get("months"),
                median(months[flag]) if months[flag] else None,
                _money(r.get("restitution")),
            ],
        )
    every = months[True] + months[False]
    restitution = [r["restitution"] for r in rows.values() if r["restitution"] is not None]
    table.totals = {
        "custody_months": sum(every) if every else None,
        "median_custody": median(every) if every else None,
        "restitution": _money(sum(restitution)) if restitution else None,
    }
    return table


# --- immigration relief -----------------------------------------------------------------


def relief(scope: ReportScope, period) -> Table:
    asked = _on_days("requested_on", period)
    decided = _on_days("decided_on", period)
    declined = Q(status=ReliefStatus.DECLINED)
    requests = (
        scope.records(ReliefRequest)
        .filter(_of_agency(period, a="requested_by_agency", b="requested_of_agency", investigation="investigation_id"))
        .filter(asked | decided)
    )
    counts = {
        r["kind"]: r
        for r in requests.values("kind")
        .annotate(
            requested=Count("id", filter=asked),
            granted=Count("id", filter=decided & ~declined),
            declined=Count("id", filter=decided & declined),
        )
        .order_by()
    }
    days: dict[str, list[int]] = {}
    for kind, requested_on, decided_on in requests.filter(decided).values_list("kind", "requested_on", "decided_on"):
        days.setdefault(kind, []).append((decided_on - requested_on).days)
    table = MeasuredTable(
        "relief",
        "Immigration relief requested, granted and declined, by kind",
        "Kind of relief",
        [
            Column("requested", "Requested"),
            Column("granted", "Signed or granted"),
            Column("declined", "Declined"),
            Column("median_days", "Median days to decision", derived=True, unit="days"),
        ],
        column_totals=True,
        note="Requested: asked in the period (a renewal is a new request). Signed or granted, and declined: "
        "decided in the period, whenever asked. Days from the request to the decision.",
        basis=("granted", "declined"),
    )
    for kind in ReliefKind:
        r = counts.get(kind.value, {})
        found = days.get(kind.value)
        table.add(
            kind.value,
            kind.label,
            [r.get("requested", 0), r.get("granted", 0), r.get("declined", 0), median(found) if found else None],
        )
    every = [d for values in days.values() for d in values]
    table.totals = {"median_days": median(every) if every else None}
    return table
