"""A role's `Within` for the hand-written report SQL: the policy's own SQL of what the user may see.

Built from `visible_to` (cases/access), never written a second time by hand, so a role's
statements (bench/report_sql.py) count what its report counts; the parts of the report the
role is not shown (contacts, custody, enforcement) come from the same `report_scope`.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection

from cases import models as m
from cases.reports import report_scope

from .report_sql import Within

TABLES = {
    "contact": m.Contact,
    "offer": m.ServiceOffer,
    "referral": m.Referral,
    "handoff": m.CustodyHandoff,
    "detention": m.Detention,
    "operation": m.Operation,
}


def within(user) -> Within:
    scope = report_scope(user)
    visible = {}
    if not scope.suppressed:  # the analyst counts the whole task force (its small counts hidden)
        for table, model in TABLES.items():
            ids = model.objects.visible_to(user).order_by().values("id")
            if not ids.query.where:  # a role that sees every record is not restricted
                continue
            try:
                sql, params = ids.query.sql_with_params()
            except EmptyResultSet:  # a role that sees none of these records
                visible[table] = ""
                continue
            # Inlined, then escaped for the statements' own %(name)s parameters.
            visible[table] = connection.ops.compose_sql(sql, params).replace("%", "%%")
    return Within(visible, contacts=scope.sees_contacts, custody=scope.sees_custody, enforcement=scope.sees_enforcement)
