"""Move audit rows older than the retention period to a gzip JSON-lines file.

    manage.py archive_audit [--dry-run] [--output DIR]

Rows are written and the file closed and re-read before any row is removed; the
removal runs in one transaction that sets `audit.archiving` so the PostgreSQL
append-only trigger lets these deletes (and only these) through. The run itself is
recorded in the access log. Nothing is removed silently: the command reports
each table and the file.
"""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from audit.history import TRACKED
from audit.log import record_access
from audit.models import AccessLog, Action

MIN_RETENTION_DAYS = 365
CHUNK = 1000


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
            raise CommandError(f"AUDIT_RETENTION_DAYS is {days}; audit rows must be kept at least {MIN_RETENTION_DAYS} days.")
        cutoff = timezone.now() - timedelta(days=days)
        old = [(label, model, field, model.objects.filter(**{f"{field}__lt": cutoff}))
               for label, model, field in audit_tables()]
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

        with transaction.atomic():
            # The rows written are exactly the rows removed: both go by these ids.
            ids = {label: list(qs.values_list("pk", flat=True)) for label, _m, _f, qs in old}
            written = self._write(path, old, ids)
            if written != total or self._count_lines(path) != total:
                raise CommandError(f"The archive {path} does not hold all {total} rows; nothing was removed.")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL audit.archiving = 'on'")
            for label, model, _f, _qs in old:
                if ids[label]:
                    self._delete(model, ids[label])
                    self.stdout.write(f"  {label}: archived and removed {len(ids[label])}")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL audit.archiving = 'off'")
            record_access(None, Action.AUDIT_ARCHIVE,
                          detail=f"{total} rows older than {cutoff:%Y-%m-%d} archived to {path.name} and removed.")
        self.stdout.write(self.style.SUCCESS(f"Archived {total} rows to {path}."))

    @staticmethod
    def _write(path: Path, old, ids) -> int:
        written = 0
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for label, model, _field, _qs in old:
                fields = [f.attname for f in model._meta.concrete_fields]
                for start in range(0, len(ids[label]), CHUNK):
                    chunk = ids[label][start:start + CHUNK]
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
            model._base_manager.filter(pk__in=ids[start:start + CHUNK]).delete()
