"""PostgreSQL guards that keep the audit tables append-only, even from the application.

Two database roles (docs/DEPLOYMENT.md): the owner role runs the migrations and owns
every table and function; the application role serves requests and runs commands and
owns nothing, so it cannot drop, alter or disable what is installed here.

- `audit_refuse_change(date_column)` refuses UPDATE of any row of the access log or a
  history table, whoever asks, and TRUNCATE to roles without the table owner's rights
  (the test runner empties tables as the superuser).
- `audit_check_deleted_rows(date_column)`, after each DELETE, undoes it unless the
  current role has the owner's rights, this transaction wrote an archive manifest row
  for the table, and every row removed is older than that row's cutoff. No session
  setting counts. Per statement, not per row: a per-row check ran the function once
  for every archived row, several times slower (figures in docs/PERFORMANCE.md).
- `audit_archive_rows(...)`, owned by the owner and run with its rights (SECURITY
  DEFINER), is the one way the application removes rows. It refuses a cutoff less
  than MIN_RETENTION_DAYS old and deletes only if the caller hands over the exact
  count and checksum of the rows before the cutoff, which archive_audit computes
  from the file it has written and read back (see `ROW_TEXT_SQL`).
- `audit_archive_manifest` keeps one row per table per run (who, when, cutoff,
  count, checksum, file); only the owner's rights may add to it, nobody may change,
  delete or truncate it.

SQLite has no such guards; there the models, the admin and the API refuse.
"""

from __future__ import annotations

import hashlib

MIN_RETENTION_DAYS = 365
TRIGGER = "audit_append_only"
TRUNCATE_TRIGGER = "audit_append_only_truncate"
ROWS_TRIGGER = "audit_deleted_rows_checked"
MANIFEST = "audit_archive_manifest"
ARCHIVE_FUNCTION = "audit_archive_rows"

# How a row is rendered for its checksum: the same text the archive file holds.
ROW_TEXT_SQL = "row_to_json(t)::text"


def _owner_rights() -> str:
    # Members of the owner role, the superuser, and SECURITY DEFINER code owned by the owner.
    return (
        "pg_catalog.pg_has_role(current_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID), 'USAGE')"
    )


def _function_sql(schema: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND TG_TABLE_NAME <> '{MANIFEST}' AND {_owner_rights()} THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' AND TG_TABLE_NAME = '{MANIFEST}' AND {_owner_rights()} THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_check_deleted_rows() RETURNS trigger AS $$
DECLARE
    cutoff timestamptz;
    too_young bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM gone) THEN
        RETURN NULL;
    END IF;
    IF {_owner_rights()} THEN
        SELECT max(m.cutoff) INTO cutoff FROM "{schema}".{MANIFEST} m
         WHERE m.table_oid = TG_RELID AND m.xact = pg_catalog.pg_current_xact_id()::text::bigint;
    END IF;
    IF cutoff IS NULL THEN
        RAISE EXCEPTION 'Audit records are append-only: DELETE on % refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('SELECT count(*) FROM gone WHERE NOT (%I < $1)', TG_ARGV[0]) INTO too_young USING cutoff;
    IF too_young > 0 THEN
        RAISE EXCEPTION 'Audit records are append-only: % rows of % are not past the archive cutoff', too_young, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE IF NOT EXISTS "{schema}".{MANIFEST} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    archived_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    archived_by text NOT NULL DEFAULT session_user,
    table_oid oid NOT NULL,
    table_name text NOT NULL,
    cutoff timestamptz NOT NULL,
    row_count bigint NOT NULL,
    checksum text NOT NULL,
    archive_file text NOT NULL,
    xact bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    CONSTRAINT audit_archive_manifest_retention
        CHECK (cutoff <= archived_at - interval '{MIN_RETENTION_DAYS} days')
);
CREATE INDEX IF NOT EXISTS audit_archive_manifest_xact ON "{schema}".{MANIFEST} (xact);

CREATE OR REPLACE FUNCTION {ARCHIVE_FUNCTION}(
    p_table regclass, p_cutoff timestamptz, p_rows bigint, p_checksum text, p_file text
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, "{schema}", pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    date_column text;
    found_checksum text;
    removed bigint;
BEGIN
    SELECT split_part(encode(tr.tgargs, 'escape'), '\\000', 1) INTO date_column
      FROM pg_trigger tr JOIN pg_class c ON c.oid = tr.tgrelid
     WHERE tr.tgrelid = p_table AND tr.tgname = '{TRIGGER}' AND c.relpersistence = 'p';
    IF date_column IS NULL OR date_column = '' THEN
        RAISE EXCEPTION '% is not an audit table', p_table USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_cutoff IS NULL OR p_cutoff > clock_timestamp() - interval '{MIN_RETENTION_DAYS} days' THEN
        RAISE EXCEPTION 'Audit rows are kept at least {MIN_RETENTION_DAYS} days; cutoff % refused', p_cutoff
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- The manifest row first: the DELETE below passes its trigger only because of it.
    INSERT INTO {MANIFEST} (table_oid, table_name, cutoff, row_count, checksum, archive_file)
        VALUES (p_table, p_table::text, p_cutoff, p_rows, p_checksum, p_file);
    -- Delete, and checksum what was deleted, in one statement: no row can slip in between
    -- a check and the delete. A mismatch raises, which undoes the delete and the manifest row.
    EXECUTE format(
        'WITH removed_rows AS (DELETE FROM %s t WHERE %I < $1'
        '    RETURNING encode(sha256(convert_to({ROW_TEXT_SQL}, ''UTF8'')), ''hex'') AS h)'
        ' SELECT count(*), encode(sha256(convert_to(coalesce('
        '    string_agg(h, E''\\n'' ORDER BY h COLLATE "C"), ''''), ''UTF8'')), ''hex'') FROM removed_rows',
        p_table, date_column) INTO removed, found_checksum USING p_cutoff;
    IF removed <> p_rows OR found_checksum IS DISTINCT FROM p_checksum THEN
        RAISE EXCEPTION 'The archive of % does not match the table: % rows before the cutoff, % archived; nothing removed',
            p_table, removed, p_rows USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION {ARCHIVE_FUNCTION}(regclass, timestamptz, bigint, text, text) FROM PUBLIC;
"""


def _trigger_sql(table: str, date_column: str) -> str:
    # UPDATE per row, so that Django's empty UPDATEs (SET_NULL on a user's deletion)
    # still pass; DELETE per statement, with the removed rows in a transition table.
    return (
        f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"; '
        f'CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION audit_refuse_change('{date_column}'); "
        f'DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON "{table}"; '
        f'CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change('{date_column}'); "
        f'DROP TRIGGER IF EXISTS {ROWS_TRIGGER} ON "{table}"; '
        f'CREATE TRIGGER {ROWS_TRIGGER} AFTER DELETE ON "{table}" REFERENCING OLD TABLE AS gone '
        f"FOR EACH STATEMENT EXECUTE FUNCTION audit_check_deleted_rows('{date_column}');"
    )


def _manifest_trigger_sql(schema: str) -> str:
    return (
        f'DROP TRIGGER IF EXISTS audit_manifest_append_only ON "{schema}".{MANIFEST}; '
        f"CREATE TRIGGER audit_manifest_append_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f'ON "{schema}".{MANIFEST} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change(); '
    )


def _schema(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def install(schema_editor, tables: dict[str, str]) -> None:
    """Install or refresh every guard; `tables` maps each audit table to its date column.

    Idempotent, so each migration that adds audit tables can run it again.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema = _schema(schema_editor)
    schema_editor.execute(_function_sql(schema), params=None)
    schema_editor.execute(_manifest_trigger_sql(schema), params=None)
    for table, date_column in tables.items():
        schema_editor.execute(_trigger_sql(table, date_column), params=None)


def uninstall(schema_editor, tables) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(
            f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"; DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON "{table}"; '
            f'DROP TRIGGER IF EXISTS {ROWS_TRIGGER} ON "{table}";',
            params=None,
        )
    # The manifest table stays: it is the record of what earlier archive runs removed.
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS audit_manifest_append_only ON {MANIFEST}; "
        f"DROP FUNCTION IF EXISTS {ARCHIVE_FUNCTION}(regclass, timestamptz, bigint, text, text); "
        f"DROP FUNCTION IF EXISTS audit_check_deleted_rows(); DROP FUNCTION IF EXISTS audit_refuse_change();",
        params=None,
    )


def row_hash(row_text: str) -> str:
    return hashlib.sha256(row_text.encode("utf-8")).hexdigest()


def rows_checksum(row_hashes: list[str]) -> str:
    """The checksum `audit_archive_rows` expects: of the sorted row hashes, one a line."""
    return hashlib.sha256("\n".join(sorted(row_hashes)).encode("utf-8")).hexdigest()
