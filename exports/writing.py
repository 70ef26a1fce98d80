"""Writing an export job's file, in the worker: complete, or the job fails and nothing is kept.

1. The job is claimed (queued → running) once; a second delivery of the same task does nothing.
2. The list view is built for the requester as they are *now* (exports.lists): a requester who
   lost the access fails the job; they never get an empty or a narrower file that looks whole.
3. On PostgreSQL the rows are counted and read in one REPEATABLE READ, read-only transaction,
   so the count and the rows come from the same snapshot whatever is recorded meanwhile; the
   progress goes through a second connection, since the first one's writes would stay
   invisible until it ends. (SQLite, and a job run inside a caller's transaction, read without it.)
4. The file carries its row count (CSV: the last line "# rows: N"; XLSX: the "Manifest" sheet,
   whose first line is "Rows | N"). The job is done only when the rows written equal the rows
   counted; then the file's size and SHA-256 are kept with it.
5. Any error, and a worker that dies (heartbeat older than EXPORT_STALE_SECONDS, found by
   `fail_stale`), fail the job with a plain-English reason and delete what was written.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from rest_framework import exceptions as api_errors

from taskforce import replica

from .lists import list_view
from .models import ExportJob, ExportStatus
from .progress import Reporter, side_connection

logger = logging.getLogger(__name__)

LOST_ACCESS = "You no longer have access to this list (your role or membership changed), so nothing was written."
BAD_FILTER = "The filters of this download are no longer valid, so nothing was written: {problems}"
SHORT = "The file held {written} of the {total} rows counted, so it was not kept. Ask for the download again."
CRASHED = (
    "The export stopped with an error before it was complete, and nothing was kept. Ask for it again; "
    "if it fails again, tell your system administrator (download number {pk})."
)
DIED = "The worker writing this file stopped before it finished, and nothing was kept. Ask for the download again."


class Incomplete(Exception):
    pass


def _claim(job_id: int) -> ExportJob | None:
    now = timezone.now()
    name = f"{secrets.token_hex(16)}"
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return None
    job = ExportJob.objects.get(pk=job_id)
    job.file_name = f"{name}.{job.format}"
    job.save(update_fields=["file_name"])
    return job


@contextlib.contextmanager
def _snapshot(alias: str = DEFAULT_DB_ALIAS):
    """(reporter's side connection or None): one consistent read of the count and the rows where possible.

    On the read replica (taskforce/replica.py) the progress is written to the primary directly.
    """
    if alias != DEFAULT_DB_ALIAS:
        replica_connection = connections[alias]
        if replica_connection.vendor != "postgresql" or replica_connection.in_atomic_block:
            yield None
            return
        with transaction.atomic(using=alias):
            with replica_connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            yield None
        return
    with side_connection() as side:
        if side is None:
            yield None
            return
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # Every row will be read: plan the cursors for the whole result, not its first tenth.
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            yield side


def _write(job: ExportJob, view, report) -> tuple[int, int]:
    """(rows counted, rows written) of the file at job.path."""
    # The folder and the files are the application user's alone.
    job.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    job.path.touch(mode=0o600)
    manifest = [
        ("List", job.what),
        ("Filter", job.query or "none"),
        ("Asked for at", timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M")),
    ]

    def progress(total: int, written: int) -> None:
        report(rows_total=total, rows_written=written)

    return view.write_export_file(job.path, job.format, progress, manifest)


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fail(job: ExportJob, reason: str) -> None:
    _remove(job)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED,
        error=reason,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS),
        file_name="",
    )


def _remove(job: ExportJob) -> None:
    if job.file_name:
        job.path.unlink(missing_ok=True)


def run(job_id: int) -> str:
    """Write the job's file; the job's final status."""
    job = _claim(job_id)
    if job is None:
        return "not queued"
    query = job.query + ("&raw=1" if job.raw and job.query else "raw=1" if job.raw else "")
    try:
        view = list_view(job.requested_by, job.list_name, query)
        # The rows from the read replica, unless the requester wrote in the last seconds.
        with replica.reading(user=job.requested_by, worker=True) as alias, _snapshot(alias) as side:
            total, written = _write(job, view, Reporter(ExportJob, job.pk, side))
        if written != total:
            raise Incomplete(SHORT.format(written=written, total=total))
        size, digest = job.path.stat().st_size, checksum(job.path)
    except api_errors.PermissionDenied:
        _fail(job, LOST_ACCESS)
        return ExportStatus.FAILED
    except api_errors.ValidationError as problem:
        _fail(job, BAD_FILTER.format(problems=problem.detail))
        return ExportStatus.FAILED
    except Incomplete as problem:
        _fail(job, str(problem))
        return ExportStatus.FAILED
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        _fail(job, CRASHED.format(pk=job.pk))
        return ExportStatus.FAILED
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        rows_total=total,
        rows_written=written,
        size=size,
        checksum=digest,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    return ExportStatus.DONE


def fail_stale(queryset=None) -> int:
    """Fail the running jobs whose worker stopped reporting (killed, out of memory, machine gone)."""
    limit = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    queryset = ExportJob.objects.all() if queryset is None else queryset
    stale = list(queryset.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=limit))
    for job in stale:
        _fail(job, DIED)
    return len(stale)


def purge_expired(now=None) -> int:
    """Delete the files of jobs past their time; the job rows stay, marked purged."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lte=now, purged_at__isnull=True))
    for job in expired:
        _remove(job)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).update(purged_at=now, file_name="")
    return len(expired)
