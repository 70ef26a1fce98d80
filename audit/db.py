"""PostgreSQL triggers that make the audit tables append-only.

UPDATE and DELETE on an audit table raise an error, whoever asks, unless the
transaction has set `audit.archiving` to 'on' for a DELETE: that is what the
archive_audit command does after writing the rows to its archive file.
SQLite has no such triggers; there the models, the admin and the API refuse.
TRUNCATE is left to the table owner (the test runner empties tables with it).
"""

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.archiving', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS audit_refuse_change() CASCADE;"


def trigger_sql(table: str) -> str:
    return (
        f'DROP TRIGGER IF EXISTS audit_append_only ON "{table}"; '
        f'CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
    )


def drop_trigger_sql(table: str) -> str:
    return f'DROP TRIGGER IF EXISTS audit_append_only ON "{table}";'


def install(schema_editor, tables: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION_SQL, params=None)
    for table in tables:
        schema_editor.execute(trigger_sql(table), params=None)


def uninstall(schema_editor, tables: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(drop_trigger_sql(table), params=None)
