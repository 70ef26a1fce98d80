"""The audit trail cannot be changed or erased from the application's database role.

The test runner owns the tables as the superuser, as the owner role does in production
(docs/DEPLOYMENT.md). Each test switches its connection to an application role that
owns nothing but holds every privilege a careless grant could give it, then attacks
the access log and every history table; only `archive_audit`, through the owner's
function, may remove rows, and only rows past retention that it has written out.
"""

from __future__ import annotations

import gzip
import json
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from audit import db
from audit.log import record_access
from audit.management.commands.archive_audit import Command as ArchiveCommand
from audit.management.commands.archive_audit import audit_tables
from audit.models import AccessLog, Action
from cases import merging
from cases import models as m

from . import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database guards exist on PostgreSQL only"
)

# Roles are cluster-wide and other test databases run beside this one: the role is
# created inside the test's transaction, so it and its grants vanish at rollback.
APP_ROLE = "taskforce_app_audit_test"

NOT_OWNER = "must be owner|permission denied"
TABLES = [model._meta.db_table for _label, model, _field in audit_tables()]
DATE_COLUMN = {model._meta.db_table: field for _label, model, field in audit_tables()}


def _execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@contextmanager
def app_role():
    """Run the block as the application role (SELECT, INSERT and more; no ownership)."""
    assert all(_execute(f'SELECT count(*) FROM "{table}"')[0][0] for table in TABLES), "every table needs a row"
    schema = _execute("SELECT current_schema()")[0][0]
    _execute(f"""DO $$ BEGIN CREATE ROLE {APP_ROLE} NOLOGIN;
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;""")
    _execute(f'GRANT USAGE ON SCHEMA "{schema}" TO {APP_ROLE}')
    _execute(f'GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA "{schema}" TO {APP_ROLE}')
    _execute(f'GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA "{schema}" TO {APP_ROLE}')
    _execute(
        f"GRANT EXECUTE ON FUNCTION {db.ARCHIVE_FUNCTION}(regclass, timestamptz, bigint, text, text) TO {APP_ROLE}"
    )
    _execute(f"SET LOCAL ROLE {APP_ROLE}")
    assert _execute("SELECT current_user")[0][0] == APP_ROLE
    try:
        yield
    finally:
        _execute("RESET ROLE")


@pytest.fixture(autouse=True)
def every_history_has_a_row(world):
    """The persona world holds no merge and no "not the same person" decision: one of each, so
    their history tables are among those the application role is tried against."""
    coordinator = world.users.coordinator
    one, two, three, four = (f.person_met(world, f"Testaudit Number{n}") for n in ("One", "Two", "Three", "Four"))
    merging.merge_people(coordinator, one, two)
    merging.mark_not_same(coordinator, three, four)


@pytest.fixture
def as_app(world):
    with app_role():
        yield


def _refused(sql, params=None, match=None):
    """Run `sql` in a savepoint; it must fail, and leave the application role in place."""
    with pytest.raises(DatabaseError, match=match):
        with transaction.atomic():
            _execute(sql, params)
    assert _execute("SELECT current_user")[0][0] == APP_ROLE


def _counts():
    return {table: _execute(f'SELECT count(*) FROM "{table}"')[0][0] for table in TABLES}


def _guards_in_place():
    rows = _execute(
        "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname IN (%s, %s, %s)",
        [db.TRIGGER, db.TRUNCATE_TRIGGER, db.ROWS_TRIGGER],
    )
    return {(table, name) for table, name, enabled in rows if enabled == "O"}


def _old_access(user, days):
    row = AccessLog(user=user, username=user.username, action=Action.LOGIN, at=timezone.now() - timedelta(days=days))
    row.save()
    return row


# --- attacks ------------------------------------------------------------------------------


def test_application_cannot_update_audit_rows(as_app):
    before = _counts()
    for table in TABLES:
        column = DATE_COLUMN[table]
        _refused(f'UPDATE "{table}" SET "{column}" = "{column}" - interval \'2 years\'', match="append-only")
    assert _counts() == before
    assert not _execute("SELECT 1 FROM audit_accesslog WHERE at < now() - interval '1 year'")


@pytest.mark.parametrize(
    "setting",
    [
        None,
        "SET LOCAL audit.archiving = 'on'",
        "SET LOCAL audit.archive_run = '1'",
        "SET LOCAL search_path = pg_temp, public",
    ],
)
def test_application_cannot_delete_audit_rows_whatever_the_session_says(world, as_app, setting):
    old = _old_access(world.users.officer_sjpd, 800)
    before = _counts()
    for table in TABLES:
        statements = ([setting] if setting else []) + [f'DELETE FROM "{table}"']
        _refused("; ".join(statements), match="append-only")
    _refused("DELETE FROM audit_accesslog WHERE id = %s", [old.pk], match="append-only")
    assert _counts() == before


def test_application_cannot_forge_an_archive_manifest_or_skip_triggers(world, as_app):
    old = _old_access(world.users.officer_sjpd, 800)
    _refused(
        f"INSERT INTO {db.MANIFEST} (table_oid, table_name, cutoff, row_count, checksum, archive_file, xact) "
        "VALUES ('audit_accesslog'::regclass, 'audit_accesslog', now() - interval '2 years', 1, 'x', 'x', "
        "pg_current_xact_id()::text::bigint)",
        match="append-only",
    )
    _refused("SET LOCAL session_replication_role = replica", match="permission denied")
    assert AccessLog.objects.filter(pk=old.pk).exists()


def test_application_cannot_truncate_audit_tables(as_app):
    # Check the test's deferred foreign keys now: TRUNCATE refuses to run while any are pending.
    _execute("SET CONSTRAINTS ALL IMMEDIATE")
    before = _counts()
    for table in TABLES:
        _refused(f'TRUNCATE "{table}"', match="append-only")
        _refused(f'TRUNCATE "{table}" CASCADE', match="append-only")
    _refused(f"TRUNCATE {db.MANIFEST}", match="append-only")
    assert _counts() == before


@pytest.mark.parametrize(
    "sql",
    [
        'ALTER TABLE "{table}" DISABLE TRIGGER {trigger}',
        'ALTER TABLE "{table}" DISABLE TRIGGER ALL',
        'DROP TRIGGER {trigger} ON "{table}"',
        'DROP TABLE "{table}"',
        'DROP TABLE "{table}" CASCADE',
        'ALTER TABLE "{table}" RENAME TO "{table}_gone"',
    ],
)
def test_application_cannot_disable_or_drop_the_guards(as_app, sql):
    guards = _guards_in_place()
    for table in TABLES:
        _refused(sql.format(table=table, trigger=db.TRIGGER), match=NOT_OWNER)
    assert _guards_in_place() == guards
    assert {(table, db.TRIGGER) for table in TABLES} <= guards


@pytest.mark.parametrize(
    "sql",
    [
        "DROP FUNCTION audit_refuse_change() CASCADE",
        "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql",
        f"DROP FUNCTION {db.ARCHIVE_FUNCTION}",
        f"ALTER FUNCTION {db.ARCHIVE_FUNCTION} SECURITY INVOKER",
        f"DROP TABLE {db.MANIFEST}",
    ],
)
def test_application_cannot_replace_the_guard_functions(as_app, sql):
    _refused(sql, match=NOT_OWNER)
    assert {(table, db.TRIGGER) for table in TABLES} <= _guards_in_place()


def test_even_the_owner_deletes_only_rows_before_a_manifest_cutoff_of_its_transaction(world):
    # The superuser owns the tables here, as the owner role does in production.
    old = _old_access(world.users.officer_sjpd, 800)
    recent = record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _execute("DELETE FROM audit_accesslog WHERE id = %s", [old.pk])
    _execute(
        f"INSERT INTO {db.MANIFEST} (table_oid, table_name, cutoff, row_count, checksum, archive_file) "
        "VALUES ('audit_accesslog'::regclass, 'audit_accesslog', now() - interval '400 days', 1, '-', 'by hand')"
    )
    with pytest.raises(DatabaseError, match="not past the archive cutoff"), transaction.atomic():
        _execute("DELETE FROM audit_accesslog WHERE id IN (%s, %s)", [old.pk, recent.pk])
    assert AccessLog.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
    # What the owner removes by hand stays on record in the manifest.
    _execute("DELETE FROM audit_accesslog WHERE id = %s", [old.pk])
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert _execute(f"SELECT archive_file FROM {db.MANIFEST}") == [("by hand",)]
    for sql in (f"TRUNCATE {db.MANIFEST}", f"DELETE FROM {db.MANIFEST}", f"UPDATE {db.MANIFEST} SET archive_file = ''"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _execute(sql)
    assert _execute(f"SELECT archive_file FROM {db.MANIFEST}") == [("by hand",)]


# --- the archive path ---------------------------------------------------------------------


def _old_change(obj, days):
    obj._history_date = timezone.now() - timedelta(days=days)
    obj.summary = f"Changed {days} days ago"
    obj.save()
    del obj._history_date
    return obj.history.filter(summary=obj.summary).get()


def _archive_lines(directory):
    (path,) = directory.glob("audit-*.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as archive:
        return path, archive.read().splitlines()


@override_settings(AUDIT_RETENTION_DAYS=500)
def test_archive_as_the_application_removes_exactly_the_rows_past_retention(world, tmp_path):
    officer = world.users.officer_sjpd
    past = [_old_access(officer, 600), _old_access(officer, 501)]
    kept = [_old_access(officer, 499), _old_access(officer, 400), record_access(None, Action.LOGOUT, user=officer)]
    history = m.Operation.history.model
    past_change = _old_change(world.records.op_kcpd, 700)
    kept_change = _old_change(world.records.op_kcpd, 450)
    counts = _counts()
    with app_role():
        call_command("archive_audit", output=str(tmp_path))

    path, lines = _archive_lines(tmp_path)
    rows = [json.loads(line) for line in lines]
    assert sorted((r["table"], r.get("history_id", r["id"])) for r in rows) == sorted(
        [("audit.accesslog", row.pk) for row in past] + [(history._meta.label_lower, past_change.pk)]
    )
    assert not AccessLog.objects.filter(pk__in=[row.pk for row in past]).exists()
    assert AccessLog.objects.filter(pk__in=[row.pk for row in kept]).count() == len(kept)
    assert not history.objects.filter(pk=past_change.pk).exists()
    assert history.objects.filter(pk=kept_change.pk).exists()
    # The access log lost two rows and gained the record of this run; no other table changed.
    after = _counts()
    assert after.pop("audit_accesslog") == counts.pop("audit_accesslog") - 2 + 1
    assert after.pop(history._meta.db_table) == counts.pop(history._meta.db_table) - 1
    assert after == counts
    manifest = sorted(_execute(f"SELECT table_name, row_count, checksum, archive_file FROM {db.MANIFEST}"))
    hashes = ArchiveCommand._read_back(path)
    assert manifest == sorted(
        (model._meta.db_table, len(hashes[label]), db.rows_checksum(hashes[label]), path.name)
        for label, model, _f in audit_tables()
        if label in hashes
    )


@pytest.mark.parametrize("damage", ["lose", "alter"])
def test_archive_removes_nothing_unless_the_file_holds_every_row(world, tmp_path, monkeypatch, damage):
    old = [_old_access(world.users.officer_sjpd, 400), _old_access(world.users.officer_sjpd, 401)]
    read_back = ArchiveCommand._read_back

    def damaged(path):
        # As if the file on disk had lost or garbled a row after it was written.
        hashes = read_back(path)
        lost = hashes["audit.accesslog"].pop()
        if damage == "alter":
            hashes["audit.accesslog"].append(db.row_hash(lost))
        return hashes

    monkeypatch.setattr(ArchiveCommand, "_read_back", staticmethod(damaged))
    with app_role(), pytest.raises(CommandError, match="Nothing was removed"):
        call_command("archive_audit", output=str(tmp_path))
    assert AccessLog.objects.filter(pk__in=[row.pk for row in old]).count() == 2
    assert not list(tmp_path.iterdir())
    assert _execute(f"SELECT count(*) FROM {db.MANIFEST}")[0][0] == 0


def test_archive_function_refuses_a_wrong_checksum_or_a_recent_cutoff(world, as_app):
    recent = record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    old = _old_access(world.users.officer_sjpd, 400)
    old_text = _execute("SELECT row_to_json(t)::text FROM audit_accesslog t WHERE id = %s", [old.pk])[0][0]
    call = f"SELECT {db.ARCHIVE_FUNCTION}('audit_accesslog'::regclass, %s, %s, %s, 'audit-test.jsonl.gz')"
    year_ago = _execute("SELECT clock_timestamp() - interval '365 days'")[0][0]
    every_row = [
        db.row_hash(text)
        for (text,) in _execute(
            "SELECT row_to_json(t)::text FROM audit_accesslog t WHERE at < %s", [timezone.now() + timedelta(days=1)]
        )
    ]

    _refused(call, [year_ago, 0, db.rows_checksum([])], match="does not match")
    _refused(call, [year_ago, 1, db.rows_checksum([db.row_hash(old_text + " ")])], match="does not match")
    _refused(
        call,
        [timezone.now() + timedelta(days=1), len(every_row), db.rows_checksum(every_row)],
        match="kept at least 365 days",
    )
    _refused(
        f"SELECT {db.ARCHIVE_FUNCTION}('{db.MANIFEST}'::regclass, %s, 0, %s, 'x')",
        [year_ago, db.rows_checksum([])],
        match="not an audit table",
    )
    assert AccessLog.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
    assert _execute(f"SELECT count(*) FROM {db.MANIFEST}")[0][0] == 0


def test_guards_cover_every_audit_table_and_reinstall_cleanly(world):
    expected = {(table, name) for table in TABLES for name in (db.TRIGGER, db.TRUNCATE_TRIGGER, db.ROWS_TRIGGER)}
    assert expected <= _guards_in_place()
    # As the migrations do: installing again changes nothing and breaks nothing.
    with connection.schema_editor() as editor:
        db.install(editor, DATE_COLUMN)
    assert expected <= _guards_in_place()
    old = _old_access(world.users.officer_sjpd, 800)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _execute("DELETE FROM audit_accesslog WHERE id = %s", [old.pk])


def test_statements_that_touch_no_audit_row_still_run(world, django_user_model):
    # Deleting an account that changed nothing makes Django clear history_user on every
    # history table: UPDATEs of no row, which must not count as changing the trail.
    account = django_user_model.objects.create_user("invented.temp", password="a long enough passphrase")
    account.delete()
    assert not django_user_model.objects.filter(username="invented.temp").exists()
    _execute("DELETE FROM audit_accesslog WHERE id < 0")
