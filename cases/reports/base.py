"""A report: titled tables of counts, charts drawn from them, and maybe a paragraph."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from .tables import SUPPRESSION_NOTE, Table, suppress


@dataclass
class Chart:
    key: str
    title: str
    table: str  # key of the table it is drawn from (shown beside it for screen readers)
    kind: str  # "bar" or "line"
    labels: list[str]
    datasets: list[dict]
    horizontal: bool = False
    percent: bool = False

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "table": self.table,
            "type": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "horizontal": self.horizontal,
            "percent": self.percent,
        }


@dataclass
class Report:
    kind: str  # "operation", "summary", "performance-measures"
    title: str
    subtitle: str
    parameters: dict
    suppressed: bool
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    paragraph: str | None = None
    generated_at: datetime = field(default_factory=timezone.now)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def has(self, key: str) -> bool:
        return any(t.key == key for t in self.tables)

    def finish(self) -> Report:
        for t in self.tables:
            t.finish()
        if self.suppressed:
            suppress(self.tables)
        return self

    def chart(
        self,
        key: str,
        title: str,
        table_key: str,
        columns: list[str] | None = None,
        *,
        kind: str = "bar",
        horizontal: bool = False,
        percent: bool = False,
    ) -> None:
        """A chart of some columns of a table; hidden cells are gaps (None), never numbers."""
        t = self.table(table_key)
        wanted = columns or [c.key for c in t.columns]
        datasets = []
        for col_key in wanted:
            index = [c.key for c in t.columns].index(col_key)
            datasets.append(
                {
                    "label": t.columns[index].label,
                    "data": [None if r.cells[index].is_hidden else r.cells[index].value for r in t.rows],
                }
            )
        self.charts.append(Chart(key, title, table_key, kind, [r.label for r in t.rows], datasets, horizontal, percent))

    @property
    def note(self) -> str:
        return SUPPRESSION_NOTE if self.suppressed else ""

    def as_dict(self) -> dict:
        return {
            "report": self.kind,
            "title": self.title,
            "subtitle": self.subtitle,
            "parameters": self.parameters,
            "generated_at": self.generated_at.isoformat(),
            "suppressed": self.suppressed,
            "suppression_note": self.note,
            "paragraph": self.paragraph,
            "tables": [t.as_dict() for t in self.tables],
            "charts": [c.as_dict() for c in self.charts],
        }
