"""Several tables counted from one read of the records: one query per kind of record.

A report counts the same records several ways (people by role, victims by type, by age,
by citizenship, by gender, by agency…). Asked one table at a time, the database read,
joined and scope-checked the records once per table. Here the records are selected once
(the ORM queryset, scope and voided parents included) as the `base` of a WITH clause,
and every table is a GROUP BY over it, joined by UNION ALL: PostgreSQL materialises
`base` once; SQLite gives the same answer.

    rows = grouped(records.values(r_person=F("person_id"), r_role=F("role")), [
        Grouping("roles", by=("r_role",), counts={"people": "COUNT(DISTINCT r_person)"}),
    ])
    rows["roles"]  # [{"r_role": "buyer", "people": 6}, …]; keys come back as text

Column names of the base are prefixed `r_` so they never clash with model fields.
Only constants of this package are written into the SQL (`literal`); values chosen by
users reach the database as parameters of the base queryset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# The victims among the base's contacts, by the rule of cases/reports/counting.py (the
# base's `r_victim`: "confirmed", "potential" or NULL). A person confirmed as a victim in
# any of them counts as confirmed only, so each victim is counted once.
VICTIMS = """victims AS (
    SELECT r_person, r_status, {columns} FROM (
        SELECT base.*, CASE WHEN r_victim = 'confirmed' THEN 'confirmed'
                            WHEN r_person NOT IN (
                                SELECT r_person FROM base WHERE r_victim = 'confirmed') THEN 'potential'
                       END AS r_status
        FROM base WHERE r_victim IS NOT NULL
    ) AS v
)"""


@dataclass(frozen=True)
class Grouping:
    key: str
    by: tuple[str, ...]
    counts: dict[str, str]  # output name: SQL aggregate over the base's columns
    where: str = ""  # SQL condition over the base's columns
    source: str = "base"  # "base", or "victims" (see VICTIMS)
    # Count distinct values of this column as rows of a SELECT DISTINCT: hashed, where
    # COUNT(DISTINCT …) makes PostgreSQL sort every row. `counts` then names one count.
    distinct: str = ""


def literal(value: str) -> str:
    """A constant of this package (a choice value) as an SQL string."""
    if not re.fullmatch(r"[a-z0-9_]+", str(value)):
        raise ValueError(f"not a plain constant: {value!r}")
    return f"'{value}'"


def one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(literal(v) for v in values)})"


def grouped(base: QuerySet, groupings: list[Grouping], victim_columns: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """{grouping key: rows}; each row maps the `by` columns (as text) and the counts."""
    out: dict[str, list[dict]] = {g.key: [] for g in groupings}
    try:
        sql, params = base.order_by().query.sql_with_params()
    except EmptyResultSet:  # nothing in scope: counts over no rows
        return {g.key: [] if g.by else [dict.fromkeys(g.counts, 0)] for g in groupings}
    width_by = max(len(g.by) for g in groupings)
    width_counts = max(len(g.counts) for g in groupings)
    parts = []
    for g in groupings:
        keys = [f"CAST({b} AS TEXT)" for b in g.by] + ["CAST(NULL AS TEXT)"] * (width_by - len(g.by))
        counts = list(g.counts.values()) + ["NULL"] * (width_counts - len(g.counts))
        where = f" WHERE {g.where}" if g.where else ""
        group_by = f" GROUP BY {', '.join(g.by)}" if g.by else ""
        source = g.source
        if g.distinct:
            source = f"(SELECT DISTINCT {', '.join(g.by + (g.distinct,))} FROM {g.source}{where}) AS d"
            where, counts = "", ["COUNT(*)"] + counts[1:]
        parts.append(f"SELECT {literal(g.key)}, {', '.join(keys + counts)} FROM {source}{where}{group_by}")
    ctes = [f"base AS ({sql})"]
    if any(g.source == "victims" for g in groupings):
        ctes.append(VICTIMS.format(columns=", ".join(victim_columns) or "r_role"))
    statement = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(parts)
    by_key = {g.key: g for g in groupings}
    with connections[base.db].cursor() as cursor:
        cursor.execute(statement, params)
        for row in cursor.fetchall():
            g = by_key[row[0]]
            values = row[1:]
            item = dict(zip(g.by, values[: len(g.by)]))
            # Counts are whole numbers whatever type the database sums them in (a SUM may be numeric).
            item.update({name: int(values[width_by + i] or 0) for i, name in enumerate(g.counts)})
            out[g.key].append(item)
    return out
