"""Progress of a long job (exports and imports): queued, counted, and written where the page
following it reads it at once.

A job that works inside one transaction (an export's snapshot, an import's all-or-nothing
write) cannot show its progress through that transaction on PostgreSQL: its writes stay
invisible until it ends. The progress then goes through a second connection.
"""

from __future__ import annotations

import contextlib

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone


def enqueue(task, model, pk: int) -> None:
    """Queue `task` for the job `pk`, keeping the task's id on the job's row."""
    result = task.enqueue(pk)
    model.objects.filter(pk=pk).update(task_id=str(result.id)[:64])


def percent(done: bool, count: int, total: int | None) -> int | None:
    """A job's progress bar: 100 once done, at most 99 before, None until its rows are counted."""
    if done:
        return 100
    if not total:
        return None
    return min(99, int(100 * count / total))


class Reporter:
    """Writes fields (and a heartbeat) on one job's row, through `side` when there is one."""

    def __init__(self, model, pk: int, side=None):
        self.model, self.pk, self.side = model, pk, side

    def __call__(self, **fields) -> None:
        fields["heartbeat_at"] = timezone.now()
        if self.side is None:
            self.model.objects.filter(pk=self.pk).update(**fields)
            return
        meta = self.model._meta
        columns = ", ".join(f"{connection.ops.quote_name(meta.get_field(name).column)} = %s" for name in fields)
        table = connection.ops.quote_name(meta.db_table)
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*fields.values(), self.pk])


@contextlib.contextmanager
def side_connection():
    """A second connection on PostgreSQL when no caller's transaction is open; else None (report in place)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield side
    finally:
        side.close()
