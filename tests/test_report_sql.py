"""The harness's hand-written SQL (bench/report_sql.py) gives each role's report numbers.

Otherwise the benchmark's ratio (endpoint time / SQL time) compares different work. On
Operation Lantern (tests/test_reports_support.py) with a voided person, referral and
detention added, every number of the three reports is compared, as the coordinator and as
each other role that reads reports (its statements kept to what it may see by
bench/scoped.py; the tables its report does not show are not compared, and their statements
return nothing). The analyst is not here: its report hides small counts, which is
presentation, and its statements are the coordinator's. PostgreSQL only: the statements use
FILTER, percentile_cont and casts that SQLite lacks.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection

from bench.report_sql import measures_sql, operation_sql, summary_sql
from bench.scoped import within
from cases import models as m
from cases import reports
from tests import factories as f

from .test_reports_support import T0, build_lantern

# Who reads reports, each within its scope: the lead agency's officer, a participating federal
# agent, an officer of an agency outside the operation, the participating advocate and
# caseworker, the prosecutor, the supervisor.
ROLES = [
    "coordinator",
    "officer_sjpd",
    "agent_fbi",
    "officer_kcpd",
    "advocate_harbor",
    "caseworker",
    "prosecutor",
    "supervisor_sjpd",
]

# Roles the operation's page (and report) is not open to: no part in the operation.
NOT_IN_LANTERN = {"officer_kcpd", "caseworker", "prosecutor"}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the harness's SQL is for PostgreSQL"),
]


@pytest.fixture
def lantern(world):
    lantern = build_lantern(world)
    c = world.users.coordinator
    # A voided person takes their contact (and its offers) out of every count; so does a voided referral.
    lantern.women[4].person.mark_voided(c, "Entered twice.")
    lantern.referrals[1].mark_voided(c, "Sent by mistake.")
    lantern.men[5].detentions.get().mark_voided(c, "Wrong person.")
    # A walk-in victim outside the operation, in the same month.
    f.ContactFactory(
        operation=None,
        agency=world.agencies.sjpd,
        role="confirmed_victim",
        occurred_at=T0 + timedelta(days=2),
        person__created_by_agency=world.agencies.sjpd,
        person__estimated_age=15,
    )
    return lantern


def _run(statements) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        out = []
        for sql, params in statements:
            cursor.execute(sql, params)
            out.append(cursor.fetchall())
    return out[1:-1]  # without the settings and their reset


def _nonzero(table, columns=None) -> dict:
    """{(row label, column key): value} of the non-zero count cells."""
    keys = columns or [c.key for c in table.columns if not c.derived]
    out = {}
    for row in table.rows:
        for key in keys:
            value = table.cell(row.key, key).value
            if value:
                out[(row.label if table.key not in ("outcomes",) else row.key, key)] = value
    return out


@pytest.mark.parametrize("role", ROLES)
def test_operation_sql_gives_the_report_numbers(world, lantern, role):
    user = getattr(world.users, role)
    scope = reports.report_scope(user)
    try:
        operation = scope.operation(lantern.operation.pk)
    except m.Operation.DoesNotExist:
        assert role in NOT_IN_LANTERN, f"{role} should report on Operation Lantern"
        return
    report = reports.operation_report(scope, operation)
    contacts, offers, referrals, custody, enforcement = _run(operation_sql(lantern.operation.pk, within(user)))
    assert bool(contacts) == scope.sees_contacts

    outcomes = {}
    for kind, key, _a, _b, contacted, detained, arrested, in_custody, cited in contacts:
        if kind == "outcomes":
            for column, value in (
                ("contacted", contacted),
                ("detained", detained),
                ("cited", cited),
                ("arrested", arrested),
                ("custody", in_custody),
            ):
                if value:
                    outcomes[(key, column)] = value
    offered = {
        (key, column): n
        for kind, key, _t, off, acc in offers
        if kind == "groups"
        for column, n in (("offered", off), ("accepted", acc))
        if n
    }
    assert outcomes | offered == _nonzero(report.table("outcomes"))
    if report.has("people_by_role"):
        roles = {r.key: r.cells[0].value for r in report.table("people_by_role").rows if r.cells[0].value}
        assert {key: n for kind, key, _a, _b, n, *_ in contacts if kind == "roles"} == roles
    for status in ("potential", "confirmed") if scope.sees_contacts else ():
        table = report.table(f"{status}_victims")
        expected = {
            (age, gender): table.cell(age, gender).value
            for age in (r.key for r in table.rows)
            for gender in (c.key for c in table.columns)
            if table.cell(age, gender).value
        }
        assert {
            (age, gender): n for kind, age, gender, s, n, *_ in contacts if kind == "victims" and s == status
        } == expected
    assert {
        (name, k): v
        for kind, name, _t, off, acc in offers
        if kind == "services"
        for k, v in (("offered", off), ("accepted", acc))
        if v
    } == _nonzero(report.table("services"), ["offered", "accepted"])
    assert {(name, status): n for name, status, n in referrals} == _nonzero(report.table("referrals"))
    custody_by_age = {
        (name, k): v for name, *values in custody for k, v in zip(("under_5", "5_to_12", "13_to_17"), values) if v
    }
    assert custody_by_age == (_nonzero(report.table("custody")) if scope.sees_custody else {})
    assert _enforcement(enforcement) == _enforcement_table(report, scope)
    if role == "coordinator":
        assert report.table("outcomes").value("adult_female", "contacted") == 6  # the voided person is left out


def _enforcement(rows) -> dict:
    return {
        (name, k): v
        for name, *values in rows
        for k, v in zip(("detentions", "arrests", "charges", "trafficking"), values)
        if v
    }


def _enforcement_table(report, scope) -> dict:
    if not scope.sees_enforcement:
        return {}
    return _nonzero(report.table("enforcement"), ["detentions", "arrests", "charges", "trafficking"])


def _victims(rows) -> dict:
    return {
        (dimension, value, status): n for dimension, value, status, n in rows if dimension not in ("roles", "agencies")
    }


def _victim_tables(report) -> dict:
    out = {}
    for dimension in ("type", "age", "citizenship", "gender"):
        table = report.table(f"victims_by_{dimension}")
        for row in table.rows:
            for status in ("potential", "confirmed"):
                if table.cell(row.key, status).value:
                    out[(dimension, row.key, status)] = table.cell(row.key, status).value
    return out


@pytest.mark.parametrize("role", ROLES)
def test_summary_sql_gives_the_report_numbers(world, lantern, role):
    user = getattr(world.users, role)
    scope = reports.report_scope(user)
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    report = reports.summary_report(scope, start, end)
    operations, contacts, offers, referrals, custody, enforcement, taking_part = _run(
        summary_sql(start, end, within(user))
    )

    assert sum(n for *_k, n in operations) == report.table("operations_by_month").grand_total.value
    assert _victims(contacts) == (_victim_tables(report) if scope.sees_contacts else {})
    if report.has("people_by_role"):
        roles = {r.key: r.cells[0].value for r in report.table("people_by_role").rows if r.cells[0].value}
        assert {value: n for dimension, value, _s, n in contacts if dimension == "roles"} == roles
    services = {
        (name, k): v
        for kind, _pk, name, *values in offers
        if kind == "services"
        for k, v in zip(("offered", "accepted", "delivered"), values)
        if v
    }
    assert services == _nonzero(report.table("services"), ["offered", "accepted", "delivered"])
    funnel = next(row for row in referrals if row[0] == "funnel")[2:9]
    assert list(funnel) == [r.cells[0].value for r in report.table("referral_funnel").rows]
    acknowledgement = report.table("acknowledgement")
    assert {
        name: (sent, acknowledged, round(seconds / 3600, 1) if seconds is not None else None)
        for kind, name, sent, acknowledged, *_x, seconds in referrals
        if kind == "partners"
    } == {row.label: tuple(c.value for c in row.cells) for row in acknowledgement.rows}
    assert {
        name: (taken, handed, round(seconds / 3600, 1) if seconds is not None else None)
        for kind, name, taken, handed, seconds in custody
        if kind == "receiving"
    } == (
        {row.label: tuple(c.value for c in row.cells) for row in report.table("custody_times").rows}
        if scope.sees_custody
        else {}
    )
    assert _enforcement(enforcement) == _enforcement_table(report, scope)
    activity = report.table("activity_by_agency")
    by_agency = {(str(pk), "operations"): n for pk, _name, n in taking_part}
    by_agency |= {(pk, "contacts"): n for dimension, pk, _s, n in contacts if dimension == "agencies"}
    by_agency |= {(str(pk), "offers"): n for kind, pk, _name, n, *_x in offers if kind == "agencies"}
    by_agency |= {(pk, "referrals"): n for kind, pk, n, *_x in referrals if kind == "senders"}
    by_agency |= {(pk, "custody"): n for kind, pk, n, *_x in custody if kind == "custody"}
    assert by_agency == {
        (row.key, c.key): cell.value
        for row in activity.rows
        for c, cell in zip(activity.columns, row.cells)
        if cell.value
    }


@pytest.mark.parametrize("role", ROLES)
def test_measures_sql_gives_the_report_numbers(world, lantern, role):
    user = getattr(world.users, role)
    scope = reports.report_scope(user)
    report = reports.performance_measures(scope, 2025)
    contacts, offers, sources, enforcement, charges = _run(measures_sql(2025, within(user)))

    assert _victims(contacts) == (_victim_tables(report) if scope.sees_contacts else {})
    services = {
        (name, k): v
        for kind, _pk, name, *values in offers
        if kind == "services"
        for k, v in zip(("offered", "accepted", "delivered"), values)
        if v
    }
    assert services == _nonzero(report.table("services"), ["offered", "accepted", "delivered"])
    assert dict(sources) == {r.key: r.cells[0].value for r in report.table("referral_sources").rows if r.cells[0].value}
    assert _enforcement(enforcement) == _enforcement_table(report, scope)
    by_class = {(cls, "trafficking" if trafficking else "other"): n for cls, trafficking, n in charges}
    if scope.sees_enforcement:
        table = report.table("charges_by_class")
        assert by_class == {
            (row.key, c.key): cell.value
            for row in table.rows
            for c, cell in zip(table.columns, row.cells)
            if cell.value
        }
    else:
        assert by_class == {}
