"""Fast bulk writing of generated rows, in bounded batches.

Rows are plain tuples in a table's column order, with ids chosen by the generator so
that children can point at parents without reading anything back. On PostgreSQL each
batch goes in with COPY (psycopg 3), elsewhere with executemany; either way a batch is
written and forgotten, so memory stays flat whatever the scale.
"""

from __future__ import annotations

import queue
import threading

from django.core.management.color import no_style
from django.db import connection, models, transaction


class Table:
    """One table being filled: its columns, the next free id and the pending rows."""

    def __init__(self, model: type[models.Model], *, auto_id: bool = False):
        self.model = model
        self.name = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not (auto_id and f.primary_key)]
        self.fields = fields
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.defaults = [self._default(f) for f in fields]
        self.auto_id = auto_id
        self.rows: list[tuple] = []
        self.written = 0
        self.next_id = 1

    @staticmethod
    def _default(field) -> object:
        if field.null:
            return None
        if field.has_default() and not callable(field.default):
            return field.default
        if isinstance(field, (models.CharField, models.TextField)):
            return ""
        return None

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, **values) -> None:
        """Queue a row; unnamed columns take their model default."""
        row = list(self.defaults)
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(tuple(row))


class YearlyCodes:
    """References of a yearly series (OP-2026-0007, INV-2026-0003), continuing after the
    database's last one of each year, as next_yearly_code does for a single save."""

    def __init__(self, model: type[models.Model], field: str, prefix: str):
        self.model, self.field, self.prefix = model, field, prefix
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        start = f"{self.prefix}-{year}-"
        if year not in self.last:
            found = (
                self.model.objects.filter(**{f"{self.field}__startswith": start})
                .order_by(f"-{self.field}")
                .values_list(self.field, flat=True)
                .first()
            )
            self.last[year] = int(found.rsplit("-", 1)[1]) if found else 0
        self.last[year] += 1
        return f"{start}{self.last[year]:04d}"


class Writer:
    """Holds the tables and writes their pending rows parents-first, one transaction per flush."""

    def __init__(
        self, models_in_order: list[type[models.Model]], batch_rows: int = 50_000, check_foreign_keys: bool = True
    ):
        # Many-to-many link tables let the database number their rows.
        self.tables = [Table(m, auto_id=m._meta.auto_created is not False) for m in models_in_order]
        self._by_model = {t.model: t for t in self.tables}
        self.batch_rows = batch_rows
        self.postgres = connection.vendor == "postgresql"
        # The rows are built so every reference exists (the tests check it with the
        # database's checks on). At large scale the per-row foreign-key triggers double
        # the load time, so a superuser may skip them; check constraints still apply.
        self.skip_fk_triggers = self.postgres and not check_foreign_keys and self._superuser()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        for table in self.tables:
            if not table.auto_id:
                # Continue after whatever the table already holds.
                top = table.model.objects.aggregate(top=models.Max("pk"))["top"]
                table.next_id = (top or 0) + 1

    @staticmethod
    def _superuser() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            return cursor.fetchone()[0] == "on"

    def table(self, model: type[models.Model]) -> Table:
        return self._by_model[model]

    def pending(self) -> int:
        return sum(len(t.rows) for t in self.tables)

    def maybe_flush(self) -> None:
        if self.pending() >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        """Hand the pending rows over for writing (in the background when started)."""
        batch = [(t, t.rows) for t in self.tables if t.rows]
        for table, rows in batch:
            table.written += len(rows)
            table.rows = []
        if not batch:
            return
        if self._thread is None:
            self._write_batch(batch)
            return
        if self._error:
            raise self._error
        self._queue.put(batch)  # waits while the previous batch is still being written

    def start_background(self) -> None:
        """Write batches on a second connection while the next ones are generated.

        Only outside a transaction (the batches commit on their own) and on PostgreSQL:
        the generator and the database server then use both cores. The queue holds at
        most one batch, so memory stays bounded.
        """
        if not self.postgres or connection.in_atomic_block:
            return
        self._queue = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._background, name="generate-data-writer", daemon=True)
        self._thread.start()

    def _background(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if not self._error:
                    self._write_batch(batch)
        except BaseException as error:  # reported to the generating thread
            self._error = error
            while self._queue.get() is not None:
                pass
        finally:
            connection.close()

    def _write_batch(self, batch) -> None:
        with transaction.atomic():
            if self.postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    if self.skip_fk_triggers:
                        cursor.execute("SET LOCAL session_replication_role = replica")
            for table, rows in batch:
                self._write(table, rows)

    def _write(self, table: Table, rows: list[tuple]) -> None:
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        if self.postgres:
            raw = connection.connection  # the psycopg 3 connection under Django's wrapper
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        # Other databases: let each field turn its value into what the database stores.
        preps = [f.get_db_prep_save for f in table.fields]
        rows = [tuple(p(v, connection) if v is not None else None for p, v in zip(preps, row)) for row in rows]
        marks = ", ".join(["%s"] * len(table.columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table.name)} ({columns}) VALUES ({marks})", rows
            )

    def finish(self) -> None:
        """Write what is left, wait for the writer, and move the id sequences past our ids."""
        self.flush()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            if self._error:
                raise self._error
        models_with_ids = [t.model for t in self.tables if not t.auto_id]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                cursor.execute(sql)
