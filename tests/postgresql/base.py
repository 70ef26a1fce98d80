"""PostgreSQL for the test suite: Django's backend, with a faster way to empty the database.

After each test that commits (the browser tests, `transaction=True`), Django empties every table
with one `TRUNCATE` of all ~100 of them. PostgreSQL gives each truncated table and index a new
file, so that takes seconds (5-6 s on the CI machine, on tables holding a few hundred rows) where
deleting the rows takes milliseconds. Here the rows are deleted, with the session's triggers and
foreign-key checks off for that transaction (`session_replication_role = replica`): the tables
are emptied in any order, and the append-only audit tables' triggers, which refuse a DELETE from
the application, let the test database be emptied as TRUNCATE did.

Switching the triggers off takes a superuser (CI's `postgres`); as another user, or when the
sequences are to be reset too, it is Django's TRUNCATE as before.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not self._may_switch_triggers_off():
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [
            "SET LOCAL session_replication_role = replica;",
            *(f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables),
            "SET LOCAL session_replication_role = DEFAULT;",
        ]

    def _may_switch_triggers_off(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        return bool(row and row[0])


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
