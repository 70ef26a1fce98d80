"""Report tables ready for a template: every cell as the text a person reads."""

from __future__ import annotations

from .base import Report
from .tables import Cell, Column, Table


def cell_text(cell: Cell, column: Column | None = None) -> str:
    if cell.is_hidden:
        return str(cell.shown)
    if cell.value is None:
        return "—"
    if column is not None and column.unit == "%":
        return f"{cell.value:.1f}%"
    if column is not None and column.unit == "hours":
        return f"{cell.value:.1f}"
    if isinstance(cell.value, int):
        return f"{cell.value:,}"
    return str(cell.value)


def _cells(table: Table, cells: list[Cell], total: Cell | None) -> list[dict]:
    out = [{"text": cell_text(c, col), "hidden": c.is_hidden, "key": col.key} for c, col in zip(cells, table.columns)]
    if total is not None:
        out.append({"text": cell_text(total), "hidden": total.is_hidden, "key": "total"})
    return out


def table_for_display(table: Table, shown: range | None = None) -> dict:
    """The table as text; only the rows of `shown` (a page of a long table) when given."""
    shown = shown if shown is not None else range(len(table.rows))
    rows = [
        {
            "key": r.key,
            "label": r.label,
            "cells": _cells(table, r.cells, table.total_col[i] if table.row_totals else None),
            # Rows with nothing in them are left out of the printout to keep it to one page.
            "zero": all(not c.is_hidden and not c.value for c in r.cells),
        }
        for i, r in ((i, table.rows[i]) for i in shown)
    ]
    total = None
    if table.total_row is not None:
        total = {
            "label": "Total",
            "cells": _cells(table, table.total_row.cells, table.grand_total if table.row_totals else None),
        }
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "header": table.header(),
        "rows": rows,
        "total": total,
    }


def sections(report: Report, rows_of=None) -> list[dict]:
    """Each table with the chart drawn from it (if any), in the report's order.

    `rows_of(table)` gives the range of rows to show of a table (a page of a long one), or None for all.
    """
    charts = {}
    for chart in report.charts:
        data = chart.as_dict()
        # Nothing to draw when every bar is zero or hidden: say so rather than show empty axes.
        empty = not any(v for d in data["datasets"] for v in d["data"])
        charts.setdefault(chart.table, []).append({**data, "data_id": f"chart-data-{chart.key}", "empty": empty})
    out = []
    for t in report.tables:
        shown = [c for c in charts.get(t.key, []) if not c["empty"]]
        # A narrow table fits beside its chart on a wide screen; a wide one goes below it.
        out.append(
            {
                "table": table_for_display(t, rows_of(t) if rows_of else None),
                "charts": charts.get(t.key, []),
                "side_by_side": bool(shown) and len(t.header()) <= 3,
                "wide": len(t.header()) > 7,
            }
        )
    return out
