"""An operation's headline figures, for its page, counted by the report's own definitions.

The operation page once counted potential victims per contact while the report counted
each person once, so one operation showed two different figures. The page now asks this
module, which reads the same records (`operation_records`) and the same groupings as the
operation report; tests/test_reports_demo.py checks that both agree on every demo
operation.
"""

from __future__ import annotations

from cases.models import Operation

from .operation import (
    agencies_by_role,
    contact_counts,
    custody_by_agency,
    offer_counts,
    operation_records,
    referrals_by_partner,
    rescued_by_group,
)
from .queries import enforcement_by_agency
from .scope import ReportScope, reading
from .tables import Table


def _total(table: Table, column: str | None = None) -> int:
    """A table's total (of one column, or of all), 0 when the table has no row."""
    table.finish()
    if not table.rows:
        return 0
    return table.cell("total", column).value if column else table.grand_total.value


def operation_figures(scope: ReportScope, operation: Operation) -> list[tuple[str, int]]:
    """(label, count) pairs: who was contacted and what happened, as far as the user may see."""
    figures: list[tuple[str, int]] = []
    with reading():
        records = operation_records(scope, operation)
        agencies = _total(agencies_by_role(records.participations), "agencies")
        if agencies:
            figures.append(("Agencies taking part", agencies))
        if scope.sees_contacts:
            people = contact_counts(records)
            totals = people["totals"][0]
            # Summed over the cells of the report's tables of victims by age and gender.
            victims = {
                status: sum(r["people"] for r in people["victims"] if r["r_status"] == status)
                for status in ("potential", "confirmed")
            }
            figures += [
                ("People contacted", totals["people"]),
                ("People rescued", _total(rescued_by_group(people["rescued"]), "people")),
                ("Potential victims", victims["potential"]),
                ("Confirmed victims", victims["confirmed"]),
                ("Minors contacted", totals["minors"]),
            ]
        offered = offer_counts(records.offers)["totals"][0]
        figures += [
            ("People offered services", offered["offered"]),
            ("People who accepted a service", offered["accepted"]),
            ("Referrals sent", _total(referrals_by_partner(records.referrals))),
        ]
        if scope.sees_custody:
            figures.append(("Children taken into protective custody", _total(custody_by_agency(records.handoffs))))
        if scope.sees_enforcement:
            enforcement = enforcement_by_agency(records.detentions)
            figures.append(("Detentions", _total(enforcement, "detentions")))
            # How detentions ended, each line only when it happened: "Arrests: 0" beside five
            # charges reads as a contradiction when the five were cited.
            for label, column in (
                ("Detained and cited", "cited"),
                ("Arrests (including referrals for prosecution)", "arrests"),
                ("Charges brought", "charges"),
            ):
                if count := _total(enforcement, column):
                    figures.append((label, count))
    return figures


def operation_services(scope: ReportScope, operation: Operation) -> list[dict]:
    """Per service type: people offered it, who accepted it and who declined it (the report's counts)."""
    with reading():
        rows = offer_counts(operation_records(scope, operation).offers)["services"]
    return [
        {"name": r["r_type_name"], "offered": r["offered"], "accepted": r["accepted"], "declined": r["declined"]}
        for r in sorted(rows, key=lambda r: (int(r["r_type_order"]), r["r_type_name"]))
    ]
