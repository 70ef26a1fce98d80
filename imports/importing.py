"""Importing a confirmed file, in the worker: every row in ONE transaction, or nothing.

1. The import is claimed (queued → running) once; a second delivery of the task does nothing.
2. Imports of one agency take turns (its row is locked), so two uploads of the same sheet
   cannot both write it.
3. Every row is checked again, as the uploader is allowed *now*; a row this agency already
   imported (same operation, same cells: `checking.row_key`, from any earlier import) is
   skipped, and so is a row repeating an earlier line of the same file.
4. Each contact is saved through `cases.actions.record_contact`, the contact forms' own
   domain action: the policy's checks and the change history as for a typed contact.
5. Any error rolls the whole file back; the import fails with the reason in plain English.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from cases import access, actions
from cases.models import Person
from exports.progress import Reporter, side_connection

from .checking import Checker
from .models import ContactImport, ImportStatus

logger = logging.getLogger(__name__)

CHANGED = "Row {number} no longer passes the checks ({problem}), so nothing was imported. Upload the file again."
LOST_ACCESS = (
    "You may no longer record these contacts (your role, membership or the operation changed), so nothing was imported."
)
CRASHED = (
    "The import stopped with an error and nothing was imported. Try again; if it fails again, tell your "
    "system administrator (import number {pk})."
)
DIED = "The worker importing this file stopped before it finished, and nothing was imported. Confirm the import again."
PROGRESS_EVERY = 10  # rows between two progress reports


class Refused(Exception):
    pass


def _claim(import_id: int) -> ContactImport | None:
    now = timezone.now()
    claimed = ContactImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now, heartbeat_at=now, rows_done=0
    )
    return (
        ContactImport.objects.select_related("uploaded_by", "agency", "operation").get(pk=import_id)
        if claimed
        else None
    )


def imported_keys(agency_id: int, but=None) -> set[str]:
    """The keys of every row this agency imported before."""
    keys: set[str] = set()
    done = ContactImport.objects.filter(agency_id=agency_id, status=ImportStatus.DONE)
    if but is not None:
        done = done.exclude(pk=but)
    for row_keys in done.values_list("row_keys", flat=True):
        keys.update(row_keys)
    return keys


def _chosen_person(user, row, decision) -> Person | None:
    """The person a row is recorded with: its reference, the match the uploader chose, or None (new)."""
    if row.person is not None:
        return row.person
    if decision in (None, "", "new"):
        return None
    allowed = {c.person.pk for c in row.candidates}
    if int(decision) not in allowed:
        raise Refused(CHANGED.format(number=row.number, problem="the person chosen is no longer a match"))
    return Person.objects.visible_to(user).get(pk=int(decision))


def _write(job: ContactImport, report) -> dict:
    user = job.uploaded_by
    Agency.objects.select_for_update().filter(pk=job.agency_id).first()
    access.require(user, "contact.add", job.operation)
    rows = Checker(user, job.agency, job.operation).check(job.rows)
    for row in rows:
        if not row.ok:
            label, message = row.messages()[0]
            raise Refused(CHANGED.format(number=row.number, problem=f"{label}: {message}"))
    before = imported_keys(job.agency_id, but=job.pk)
    counts = {"contacts_created": 0, "people_created": 0, "people_matched": 0, "rows_skipped": 0}
    keys = []
    for done, row in enumerate(rows, start=1):
        if row.repeats is not None or row.key in before:
            counts["rows_skipped"] += 1
        else:
            person = _chosen_person(user, row, job.decisions.get(str(row.number)))
            try:
                actions.record_contact(
                    user,
                    job.agency,
                    row.contact,
                    person=person,
                    new_person=row.draft,
                    indicators=row.indicators,
                    vulnerabilities=row.vulnerabilities,
                    offers=row.offers,
                )
            except ValidationError as error:
                raise Refused(CHANGED.format(number=row.number, problem="; ".join(error.messages))) from error
            counts["contacts_created"] += 1
            counts["people_matched" if person is not None else "people_created"] += 1
            keys.append(row.key)
        if done % PROGRESS_EVERY == 0:
            report(rows_done=done)
    ContactImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        rows_done=len(rows),
        row_keys=keys,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        error="",
        **counts,
    )
    return counts


def _fail(job: ContactImport, reason: str) -> None:
    ContactImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, error=reason, finished_at=timezone.now(), rows_done=0
    )


def run(import_id: int) -> str:
    """Import the confirmed file; the import's final status."""
    job = _claim(import_id)
    if job is None:
        return "not queued"
    try:
        with side_connection() as side, transaction.atomic():
            _write(job, Reporter(ContactImport, job.pk, side))
    except Refused as refusal:
        _fail(job, str(refusal))
        return ImportStatus.FAILED
    except PermissionDenied:
        _fail(job, LOST_ACCESS)
        return ImportStatus.FAILED
    except ValidationError as error:
        _fail(job, CHANGED.format(number="?", problem="; ".join(error.messages)))
        return ImportStatus.FAILED
    except Exception:
        logger.exception("Contact import %s failed", job.pk)
        _fail(job, CRASHED.format(pk=job.pk))
        return ImportStatus.FAILED
    return ImportStatus.DONE


def fail_stale(queryset=None) -> int:
    """Fail the running imports whose worker stopped reporting; their transaction rolled back with it."""
    limit = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    queryset = ContactImport.objects.all() if queryset is None else queryset
    return queryset.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=limit).update(
        status=ImportStatus.FAILED, error=DIED, finished_at=timezone.now(), rows_done=0
    )
