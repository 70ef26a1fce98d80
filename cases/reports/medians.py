"""Median durations per group, computed by the database where it can.

PostgreSQL computes the median itself (percentile_cont over the interval). SQLite has
no percentile function: there the durations are read back in one query, ordered, and
the middle taken in Python. Either way it is one query, whatever the number of groups.
"""

from __future__ import annotations

from datetime import timedelta
from statistics import median

from django.db import connections
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, QuerySet


class Median(Aggregate):
    """PostgreSQL's continuous median."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def median_hours(qs: QuerySet, group: str, start: str, end: str) -> dict:
    """{group value: (count, median hours)} over rows where both times are known."""
    qs = qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    duration = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    if connections[qs.db].vendor == "postgresql":
        rows = qs.values(group).annotate(n=Count("id", distinct=True), median=Median(duration)).order_by()
        return {r[group]: (r["n"], _hours(r["median"])) for r in rows}
    durations: dict = {}
    for _pk, key, began, ended in qs.values_list("id", group, start, end).order_by(group).distinct():
        durations.setdefault(key, []).append(ended - began)
    return {key: (len(values), _hours(median(values))) for key, values in durations.items()}


def _hours(value: timedelta | None) -> float | None:
    if value is None:
        return None
    return round(value.total_seconds() / 3600, 1)
