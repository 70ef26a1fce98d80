"""The test suite's PostgreSQL backend empties the database by deleting rows (tests/postgresql/base.py):
after a committing test, nothing of it is left, audit history included."""

import pytest
from django.core.management import call_command
from django.db import connection

from cases import models as m

pytestmark = pytest.mark.django_db(transaction=True)

# Filled again by Django after every flush (its post_migrate signal), as after TRUNCATE.
REFILLED = {"django_content_type", "auth_permission"}


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def test_flush_leaves_no_row_of_a_committed_test(world):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's flush")
    assert connection.ops.sql_flush.__func__.__module__ == "tests.postgresql.base"
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    filled = [t for t in tables if _rows(t)]
    # The world fills the case tables and the append-only history that refuses a DELETE from the app.
    assert m.Contact._meta.db_table in filled
    assert any(t.startswith("cases_historical") for t in filled), filled

    call_command("flush", verbosity=0, interactive=False)

    assert [t for t in tables if t not in REFILLED and _rows(t)] == []
    assert all(_rows(t) for t in REFILLED)
    # The session is back to firing triggers: the audit history refuses a DELETE again.
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
