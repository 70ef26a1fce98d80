"""Move audit rows older than the retention period to a gzip JSON-lines file.

    manage.py archive_audit [--dry-run] [--output DIR]

Rows are written, the file closed and read back, and only then removed, in one
transaction. On PostgreSQL the removal goes through `audit_archive_rows` (audit/db.py),
the owner's function, handing it the count and checksum of each table's rows as read
back from the file: it removes them only if they are exactly the rows before the
cutoff, and refuses any cutoff younger than a year. Nothing else may delete there.
On SQLite, which has no such guards, the rows are deleted directly.
The run itself is recorded in the access log. Nothing is removed silently: the
command reports each table and the file.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit import db
from audit.history import TRACKED
from audit.log import record_access
from audit.models import AccessLog, Action

MIN_RETENTION_DAYS = db.MIN_RETENTION_DAYS
CHUNK = 1000
# Each line is {"table": label, ...the row's columns}. On PostgreSQL the columns are
# the database's own JSON text of the row, kept byte for byte for its checksum.
LINE_START = '{"table":'


def audit_tables():
    """(label, model, date field) of every audit table."""
    yield "audit.accesslog", AccessLog, "at"
    for model in TRACKED:
        history = model.history.model
        yield history._meta.label_lower, history, "history_date"


class Command(BaseCommand):
    help = "Archive audit rows older than AUDIT_RETENTION_DAYS to a gzip JSON-lines file, then remove them."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Directory for the archive file (default AUDIT_ARCHIVE_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be archived; change nothing.")

    def handle(self, *args, output=None, dry_run=False, **options):
        days = settings.AUDIT_RETENTION_DAYS
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                f"AUDIT_RETENTION_DAYS is {days}; audit rows must be kept at least {MIN_RETENTION_DAYS} days."
            )
        cutoff = self._now() - timedelta(days=days)
        old = [
            (label, model, field, model._base_manager.filter(**{f"{field}__lt": cutoff}))
            for label, model, field in audit_tables()
        ]
        counts = {label: qs.count() for label, _m, _f, qs in old}
        total = sum(counts.values())
        self.stdout.write(f"Rows older than {cutoff:%Y-%m-%d %H:%M} ({days} days): {total}.")
        if dry_run or total == 0:
            for label, count in counts.items():
                if count:
                    self.stdout.write(f"  {label}: {count}")
            self.stdout.write("Nothing changed." if dry_run else "Nothing to archive.")
            return

        directory = Path(output or settings.AUDIT_ARCHIVE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"audit-{timezone.now():%Y%m%dT%H%M%S}-before-{cutoff:%Y%m%d}.jsonl.gz"
        if path.exists():
            raise CommandError(f"{path} exists already; not overwriting an archive.")
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    removed = self._archive_postgresql(path, old, cutoff)
                else:
                    removed = self._archive_directly(path, old)
                record_access(
                    None,
                    Action.AUDIT_ARCHIVE,
                    detail=f"{removed} rows older than {cutoff:%Y-%m-%d} archived to {path.name} and removed.",
                )
        except (CommandError, DatabaseError) as error:
            # The rows are all still in the database: a second copy of them is not kept.
            path.unlink(missing_ok=True)
            raise CommandError(f"Nothing was removed and no archive kept: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Archived {removed} rows to {path}."))

    @staticmethod
    def _now():
        if connection.vendor != "postgresql":
            return timezone.now()
        # The database judges the retention by its own clock: a cutoff taken from a
        # clock running ahead of it would be refused as too recent.
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]

    # --- PostgreSQL: the database's own row text, removed by the owner's function ---------

    def _archive_postgresql(self, path: Path, old, cutoff) -> int:
        tables = {label: model._meta.db_table for label, model, _f, _qs in old}
        written = 0
        with connection.cursor() as cursor:
            # The checksum is of the row text, and timestamps print in the session's zone.
            cursor.execute("SET LOCAL TimeZone = 'UTC'")
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for label, _model, field, _qs in old:
                with connection.chunked_cursor() as cursor:
                    cursor.execute(f'SELECT {db.ROW_TEXT_SQL} FROM "{tables[label]}" t WHERE "{field}" < %s', [cutoff])
                    while rows := cursor.fetchmany(CHUNK):
                        for (text,) in rows:
                            out.write(f"{LINE_START}{json.dumps(label)},{text[1:]}\n")
                            written += 1
        hashes = self._read_back(path)
        if sum(len(h) for h in hashes.values()) != written:
            raise CommandError(f"The archive {path} does not hold the {written} rows written.")
        removed = 0
        with connection.cursor() as cursor:
            for label, row_hashes in hashes.items():
                cursor.execute(
                    f"SELECT {db.ARCHIVE_FUNCTION}(%s::regclass, %s, %s, %s, %s)",
                    [tables[label], cutoff, len(row_hashes), db.rows_checksum(row_hashes), path.name],
                )
                removed += cursor.fetchone()[0]
                self.stdout.write(f"  {label}: archived and removed {len(row_hashes)}")
        return removed

    @staticmethod
    def _read_back(path: Path) -> dict[str, list[str]]:
        """Each table's row hashes, from the file as it is on disk."""
        hashes: dict[str, list[str]] = defaultdict(list)
        labels: dict[str, str] = {}  # few tables, very many lines: parse each label once
        with gzip.open(path, "rt", encoding="utf-8") as archive:
            for line in archive:
                label_end = line.index(",", len(LINE_START))
                quoted = line[len(LINE_START) : label_end]
                label = labels.get(quoted) or labels.setdefault(quoted, json.loads(quoted))
                hashes[label].append(db.row_hash("{" + line[label_end + 1 :].rstrip("\n")))
        return hashes

    # --- SQLite: no database guards, the rows are deleted here ------------------------------

    def _archive_directly(self, path: Path, old) -> int:
        # The rows written are exactly the rows removed: both go by these ids.
        ids = {label: list(qs.values_list("pk", flat=True)) for label, _m, _f, qs in old}
        total = sum(len(i) for i in ids.values())
        written = self._write(path, old, ids)
        if written != total or self._count_lines(path) != total:
            raise CommandError(f"The archive {path} does not hold all {total} rows.")
        for label, model, _f, _qs in old:
            if ids[label]:
                self._delete(model, ids[label])
                self.stdout.write(f"  {label}: archived and removed {len(ids[label])}")
        return total

    @staticmethod
    def _write(path: Path, old, ids) -> int:
        written = 0
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for label, model, _field, _qs in old:
                fields = [f.attname for f in model._meta.concrete_fields]
                for start in range(0, len(ids[label]), CHUNK):
                    chunk = ids[label][start : start + CHUNK]
                    for row in model._base_manager.filter(pk__in=chunk).order_by("pk").values(*fields):
                        out.write(json.dumps({"table": label, **row}, cls=DjangoJSONEncoder) + "\n")
                        written += 1
        return written

    @staticmethod
    def _count_lines(path: Path) -> int:
        with gzip.open(path, "rt", encoding="utf-8") as archive:
            return sum(1 for _ in archive)

    @staticmethod
    def _delete(model, ids: list) -> None:
        # The base manager: the access log's own manager refuses deletes on purpose.
        for start in range(0, len(ids), CHUNK):
            model._base_manager.filter(pk__in=ids[start : start + CHUNK]).delete()
