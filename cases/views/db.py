"""Database helpers that keep a page's query count flat: several figures or a short list
folded into one column of another query, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from django.db.models import Aggregate, JSONField, Subquery, Value
from django.db.models.functions import JSONObject


def Tally(queryset, **aggregates) -> Subquery:
    """Several aggregates over a queryset in one scalar subquery, as a JSON object.

    Grouped by a constant (which Django leaves out of GROUP BY): always one row, so
    counts over no rows are 0. No ORDER BY: it would only cost a sort.
    """
    return Subquery(
        queryset.order_by()
        .annotate(tally_all=Value(1))
        .values("tally_all")
        .annotate(tally=JSONObject(**aggregates))
        .values("tally"),
        output_field=JSONField(),
    )


class JSONList(Aggregate):
    """The values of a group as a JSON array (NULL when the group is empty)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def ListOf(queryset, value) -> Subquery:
    """A scalar subquery: `value` (a field or expression) for every row, as a JSON array."""
    return Subquery(
        queryset.order_by()
        .annotate(list_all=Value(1))
        .values("list_all")
        .annotate(items=JSONList(value))
        .values("items"),
        output_field=JSONField(),
    )
