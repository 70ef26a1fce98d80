"""Report tables, and small-count suppression for analysts.

A report is a list of `Table`s of counts. Every table knows which of its cells add
up to a total ("lines"), which is what the suppression rule needs.

Suppression rule (applied to analysts only, see `suppress`):

1. Primary: every count from 1 to 4 is shown as "<5". Zero is shown as 0.
2. Complementary: a reader knows equations between cells: a line with a total cell
   shown adds up to that total, and two lines that add up to the same number (for
   example "victims by gender" and "victims by citizenship", both all victims, in this
   or another table of the same report) are equal. A hidden count can be worked out
   when these equations, with every shown cell filled in, pin its value down
   (`recoverable`: linear algebra over the hidden cells). Complementary cells are
   hidden until no count from 1 to 4 can be worked out, and then each is shown again
   if the small counts stay protected without it, so the fewest cells are hidden, not
   every cell an equation touches. A zero reveals nothing and is never chosen.
   Cells hidden this way show "hidden", because they are not necessarily small.
3. Derived figures (rates, medians) are withheld when a count they are built from is
   hidden, or when they describe fewer than five records.
4. Charts draw hidden cells as gaps, never as numbers; the plain-language paragraph
   is written from the shown cells only, so it says "fewer than five" and never
   reveals more than the tables.

Totals are always the sum of their row or column, so the tables are additive.

Known limits: the rule protects the equations inside one report. Two reports over
overlapping periods or agencies can still be subtracted from one another; analysts'
requests are recorded in the audit trail for that reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from typing import Any

SMALL = "<5"
HIDDEN = "hidden"
THRESHOLD = 5
EXACT_LIMIT = 60  # complementary cells up to which each is re-shown only after an exact check
SUPPRESSION_NOTE = (
    "Small counts are hidden: “<5” means a count from 1 to 4, and “hidden” marks a count "
    "withheld so that a small count cannot be worked out from a total."
)


@dataclass
class Cell:
    value: int | float | None
    # "", "small" (1 to 4) or "hidden" (complementary suppression)
    suppressed: str = ""
    # Rates and medians are not counts: they are never primary-suppressed or summed.
    derived: bool = False

    @property
    def shown(self) -> Any:
        if self.suppressed == "small":
            return SMALL
        if self.suppressed == "hidden":
            return HIDDEN
        return self.value

    @property
    def is_hidden(self) -> bool:
        return bool(self.suppressed)


@dataclass
class Column:
    key: str
    label: str
    derived: bool = False  # a rate or median, not a count
    unit: str = ""  # "%" or "hours", for display


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Table:
    key: str
    title: str
    row_header: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    row_totals: bool = False  # a "Total" column summing the count columns of each row
    column_totals: bool = False  # a "Total" row summing each count column
    note: str = ""
    # Columns that are the sum of other columns in every row: (parts, total) keys,
    # e.g. (["trafficking", "other"], "charges").
    row_sums: list[tuple[list[str], str]] = field(default_factory=list)
    total_row: Row | None = None
    total_col: list[Cell] = field(default_factory=list)
    grand_total: Cell | None = None

    def add(self, key: str, label: str, values: list) -> Row:
        cells = [Cell(v, derived=c.derived) for v, c in zip(values, self.columns)]
        row = Row(key, label, cells)
        self.rows.append(row)
        return row

    @property
    def count_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if not c.derived]

    def finish(self) -> Table:
        """Compute the totals (sums of the cells) once every row is in."""
        counts = self.count_columns
        if self.row_totals:
            self.total_col = [Cell(sum(r.cells[i].value or 0 for i in counts)) for r in self.rows]
        if self.column_totals:
            cells = [
                Cell(sum(r.cells[i].value or 0 for r in self.rows)) if not c.derived else Cell(None, derived=True)
                for i, c in enumerate(self.columns)
            ]
            self.total_row = Row("total", "Total", cells)
            if self.row_totals:
                self.grand_total = Cell(sum(c.value or 0 for c in self.total_col))
        return self

    # --- lines: the equations a reader can form ---------------------------------

    def lines(self) -> list[tuple[list[Cell], Cell | None]]:
        """(parts, total) pairs: the parts add up to the total (None: no total shown)."""
        counts = self.count_columns
        found: list[tuple[list[Cell], Cell | None]] = []
        if len(counts) > 1 and self.row_totals:
            for row, total in zip(self.rows, self.total_col):
                found.append(([row.cells[i] for i in counts], total))
            if self.total_row is not None:
                found.append(([self.total_row.cells[i] for i in counts], self.grand_total))
        if self.column_totals:
            for i in counts:
                found.append(([r.cells[i] for r in self.rows], self.total_row.cells[i]))
            if self.row_totals:
                found.append((list(self.total_col), self.grand_total))
        keys = [c.key for c in self.columns]
        every_row = self.rows + ([self.total_row] if self.total_row is not None else [])
        for parts, total in self.row_sums:
            for row in every_row:
                found.append(([row.cells[keys.index(k)] for k in parts], row.cells[keys.index(total)]))
        if not self.column_totals and len(self.rows) > 1:
            # No total shown, but a column still adds up to something another table may
            # show (whether or not the rows are parts of one whole: linking is by value).
            for i in counts:
                found.append(([r.cells[i] for r in self.rows], None))
            if self.row_totals:
                found.append((list(self.total_col), None))
        return found

    def all_cells(self) -> list[Cell]:
        cells = [c for r in self.rows for c in r.cells] + list(self.total_col)
        if self.total_row is not None:
            cells += self.total_row.cells
            if self.row_totals:
                cells.append(self.grand_total)
        return cells

    # --- output ------------------------------------------------------------------

    def header(self) -> list[str]:
        labels = [self.row_header] + [c.label for c in self.columns]
        return labels + (["Total"] if self.row_totals else [])

    def body(self) -> list[list[Any]]:
        """Rows as shown: the label, then each cell (hidden ones as "<5" or "hidden")."""
        out = []
        for i, row in enumerate(self.rows):
            values = [row.label] + [c.shown for c in row.cells]
            if self.row_totals:
                values.append(self.total_col[i].shown)
            out.append(values)
        if self.total_row is not None:
            # A derived total (a median of every row) is shown when a table computed one.
            values = ["Total"] + [c.shown for c in self.total_row.cells]
            if self.row_totals:
                values.append(self.grand_total.shown)
            out.append(values)
        return out

    def as_dict(self) -> dict:
        def row_dict(key, label, cells, total):
            d = {"key": key, "label": label, "values": {c.key: cell.shown for c, cell in zip(self.columns, cells)}}
            if total is not None:
                d["total"] = total.shown
            return d

        rows = [
            row_dict(r.key, r.label, r.cells, self.total_col[i] if self.row_totals else None)
            for i, r in enumerate(self.rows)
        ]
        out = {
            "key": self.key,
            "title": self.title,
            "row_header": self.row_header,
            "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in self.columns],
            "rows": rows,
            "totals": None,
            "note": self.note,
        }
        if self.total_row is not None:
            out["totals"] = row_dict(
                "total", "Total", self.total_row.cells, self.grand_total if self.row_totals else None
            )
        return out

    def cell(self, row_key: str, column_key: str) -> Cell:
        index = [c.key for c in self.columns].index(column_key)
        if row_key == "total":
            return self.total_row.cells[index]
        for row in self.rows:
            if row.key == row_key:
                return row.cells[index]
        raise KeyError(row_key)

    def value(self, row_key: str, column_key: str) -> Any:
        """The value as shown (an int, or "<5"/"hidden" for analysts)."""
        return self.cell(row_key, column_key).shown


# --- suppression -------------------------------------------------------------------

Equation = dict[int, tuple[Cell, int]]  # id(cell) → (cell, coefficient); the terms add up to zero


def _line_equation(parts: list[Cell], total: Cell | None, sign: int = 1) -> Equation:
    terms: Equation = {}
    for cell, coefficient in [(c, sign) for c in parts] + ([(total, -sign)] if total is not None else []):
        _, before = terms.get(id(cell), (cell, 0))
        terms[id(cell)] = (cell, before + coefficient)
    return terms


def _equations(tables: list[Table]) -> list[Equation]:
    """Linear equations a reader knows: parts − total = 0, or parts of one line − parts of another = 0."""
    lines = [line for t in tables for line in t.lines()]
    equations = [_line_equation(parts, total) for parts, total in lines if total is not None]
    # Two lines with the same true sum give an equation between them: the reader may
    # know they describe the same people. Comparing by value over-protects a little
    # when two sums are equal by chance, which is the safe side. Lines adding up to
    # zero hold only zeros, which are never hidden, so they are left out.
    by_sum: dict[int, list[list[Cell]]] = defaultdict(list)
    for parts, _total in lines:
        value = sum(c.value or 0 for c in parts)
        if value:
            by_sum[value].append(parts)
    for group in by_sum.values():
        # a = b and b = c already give a = c: neighbours are enough for the span.
        for cells_a, cells_b in pairwise(group):
            if {id(c) for c in cells_a} != {id(c) for c in cells_b}:
                equation = _line_equation(cells_a, None)
                for key, (cell, coefficient) in _line_equation(cells_b, None, sign=-1).items():
                    equation[key] = (cell, equation.get(key, (cell, 0))[1] + coefficient)
                equations.append(equation)
    return equations


def recoverable(equations: list[Equation]) -> set[int]:
    """ids of the hidden cells whose value follows from the shown cells and the equations.

    Each equation, with its shown cells moved to the other side, is a linear equation in
    the hidden ones. A hidden cell is pinned down exactly when its unit vector lies in the
    span of those equations: in the reduced row echelon form, its column is a pivot whose
    row has no other hidden cell left in it.
    """
    rows: list[dict[int, Fraction]] = []
    for equation in equations:
        row = {key: Fraction(k) for key, (cell, k) in equation.items() if cell.is_hidden and k}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, Fraction]] = {}  # pivot cell → its reduced row
    for row in rows:
        for key, pivot_row in pivots.items():
            if key in row:
                factor = row[key]
                for k, v in pivot_row.items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
                row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        key = min(row)
        scale = row[key]
        row = {k: v / scale for k, v in row.items()}
        for other in pivots.values():  # keep every pivot row reduced
            if key in other:
                factor = other[key]
                for k, v in row.items():
                    other[k] = other.get(k, Fraction(0)) - factor * v
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        pivots[key] = row
    return {key for key, row in pivots.items() if len(row) == 1}


def _next_to_hide(equations: list[Equation], target: int) -> Cell | None:
    """The smallest non-zero shown count in the equations around a recoverable cell.

    The target's own equations first; if every cell there is already hidden or zero, the
    equations reached through their hidden cells, and so on outwards.
    """
    reached, frontier, seen = {target}, {target}, set()
    while frontier:
        around = [i for i, e in enumerate(equations) if i not in seen and frontier & e.keys()]
        seen.update(around)
        candidates = [
            cell
            for i in around
            for cell, k in equations[i].values()
            if k and not cell.is_hidden and (cell.value or 0) > 0
        ]
        if candidates:
            return min(candidates, key=lambda c: c.value)
        frontier = {key for i in around for key, (cell, _k) in equations[i].items() if cell.is_hidden} - reached
        reached |= frontier
    return None


def _one_hidden(equation: Equation) -> bool:
    return sum(cell.is_hidden for cell, k in equation.values() if k) == 1


def _hide(cell: Cell, added: list[Cell]) -> None:
    if not cell.is_hidden:
        cell.suppressed = "hidden"
        added.append(cell)


def _protect(equations: list[Equation], small: dict[int, Cell], added: list[Cell]) -> None:
    """While a small count can be worked out, hide one more cell around each such count."""
    while exposed := sorted(recoverable(equations) & small.keys()):
        chosen = [cell for cell in (_next_to_hide(equations, target) for target in exposed) if cell is not None]
        if not chosen:
            break  # every cell around them is zero and shown: nothing would hide them
        for cell in chosen:
            _hide(cell, added)


def suppress(tables: list[Table]) -> None:
    """Apply the primary and complementary suppression rule to a report's tables, in place.

    1. Every equation with exactly one hidden cell gets a second one (the smallest
       non-zero count shown in it): fast, and enough in almost every table.
    2. Each cell hidden that way is shown again, largest first, when no equation is left
       with exactly one hidden cell without it: the fewest cells, not every cell an
       equation touched.
    3. The linear algebra check (`recoverable`) has the last word: while a small count
       can still be worked out from a combination of equations, one more cell around it
       is hidden.
    """
    small: dict[int, Cell] = {}
    for table in tables:
        for cell in table.all_cells():
            if not cell.derived and isinstance(cell.value, int) and 1 <= cell.value < THRESHOLD:
                cell.suppressed = "small"
                small[id(cell)] = cell
    if not small:
        return
    equations = _equations(tables)
    touching: dict[int, list[Equation]] = defaultdict(list)
    for equation in equations:
        for key, (_cell, k) in equation.items():
            if k:
                touching[key].append(equation)
    added: list[Cell] = []
    changed = True
    while changed:
        changed = False
        for equation in equations:
            if _one_hidden(equation):
                candidates = [c for c, k in equation.values() if k and not c.is_hidden and (c.value or 0) > 0]
                if candidates:  # else every other cell is a shown zero: the hidden one is their sum, 0
                    _hide(min(candidates, key=lambda c: c.value), added)
                    changed = True
    _protect(equations, small, added)
    # Small reports are checked exactly at each step; in large ones (an analyst's table of
    # every agency) the exact check would cost seconds per cell, so it runs once, below.
    exact = len(added) <= EXACT_LIMIT
    for cell in sorted(added, key=lambda c: -(c.value or 0)):
        cell.suppressed = ""
        if recoverable(equations) & small.keys() if exact else any(_one_hidden(e) for e in touching[id(cell)]):
            cell.suppressed = "hidden"
    _protect(equations, small, added)


def is_small(value: Any) -> bool:
    return value in (SMALL, HIDDEN)
