"""Uploading, checking, confirming and cancelling a contact import: one module for the pages and the API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.roles import membership_of
from cases import access
from cases.forms.contacts import ContactForm
from exports import progress

from . import reading
from .checking import Checker, RowCheck
from .importing import fail_stale, imported_keys
from .models import ContactImport, ImportStatus
from .tasks import run_contact_import

ALREADY = (
    "This file was already imported for your agency on {when}: importing it again would change nothing, "
    "so it was not checked again."
)


class AlreadyImported(Exception):
    def __init__(self, earlier: ContactImport):
        self.earlier = earlier
        when = timezone.localtime(earlier.finished_at or earlier.created_at)
        super().__init__(ALREADY.format(when=f"{when:%B} {when.day}, {when:%Y}"))


def operations_for(user):
    """The operations the user may import contacts into: those the contact form offers."""
    return ContactForm(user=user).fields["operation"].queryset


def imports_of(user):
    """The imports the user may see (the policy), the dead ones failed first."""
    visible = ContactImport.objects.visible_to(user).select_related("uploaded_by", "agency", "operation")
    fail_stale(visible)
    return visible


def upload(user, file_name: str, content: bytes, operation=None) -> ContactImport:
    """A checked import waiting for its uploader's confirmation (or the same one, for the same file).

    Raises PermissionDenied (may not record contacts there), reading.UnreadableFile (the file as
    a whole: too large, too many rows, not CSV or XLSX) or AlreadyImported.
    """
    access.require(user, "contact.add", operation)
    if operation is not None and not operations_for(user).filter(pk=operation.pk).exists():
        raise ValidationError({"operation": "Contacts cannot be recorded in this operation (it is closed)."})
    agency = membership_of(user).agency
    digest = reading.checksum(content)
    same = ContactImport.objects.filter(agency=agency, checksum=digest, operation=operation)
    earlier = same.filter(status__in=[ImportStatus.DONE, ImportStatus.QUEUED, ImportStatus.RUNNING]).first()
    if earlier is not None:
        raise AlreadyImported(earlier)
    waiting = same.filter(status=ImportStatus.CHECKED, uploaded_by=user).first()
    if waiting is not None:
        return waiting
    headers, rows = reading.read_rows(file_name, content)
    checked = Checker(user, agency, operation).check(rows)
    return ContactImport.objects.create(
        uploaded_by=user,
        agency=agency,
        operation=operation,
        file_name=file_name[:200],
        checksum=digest,
        size=len(content),
        headers=headers,
        rows=rows,
        rows_total=len(rows),
        rows_with_errors=sum(1 for row in checked if not row.ok),
    )


def check(job: ContactImport) -> list[RowCheck]:
    """Every row checked again, as the uploader is allowed now, with the people it may be."""
    rows = Checker(job.uploaded_by, job.agency, job.operation).check(job.rows)
    if job.is_open:
        before = imported_keys(job.agency_id)
        for row in rows:
            row.imported_before = row.key in before
    return rows


def may_confirm(user, job: ContactImport) -> bool:
    return job.is_open and job.uploaded_by_id == user.pk


def _decisions(rows: list[RowCheck], answers: dict) -> tuple[dict, dict[int, str]]:
    """(decisions by row number, problems by row number) from the uploader's answers."""
    decisions, problems = {}, {}
    for row in rows:
        if row.person is not None or row.repeats is not None or getattr(row, "imported_before", False):
            continue
        if not row.candidates:
            decisions[str(row.number)] = "new"
            continue
        answer = str(answers.get(str(row.number), answers.get(row.number, "")) or "").strip()
        allowed = {str(c.person.pk) for c in row.candidates}
        if answer == "new" or answer in allowed:
            decisions[str(row.number)] = answer
        else:
            problems[row.number] = "Say whether this is one of the people on record, or a new person."
    return decisions, problems


class NotReady(Exception):
    """The import cannot be confirmed yet: `problems` says which rows, and why."""

    def __init__(self, message: str, problems: dict[int, str] | None = None):
        super().__init__(message)
        self.problems = problems or {}


@transaction.atomic
def confirm(user, job: ContactImport, answers: dict) -> ContactImport:
    """Queue the import with the uploader's answers; refused while a row has an error or no answer."""
    job = ContactImport.objects.select_for_update().get(pk=job.pk)
    if job.uploaded_by_id != user.pk:
        raise PermissionDenied("Only the person who uploaded the file can confirm its import.")
    if not job.is_open:
        raise NotReady(f"This import is already {job.get_status_display().lower()}.")
    access.require(user, "contact.add", job.operation)
    rows = check(job)
    wrong = {row.number: row.messages()[0][1] for row in rows if not row.ok}
    if wrong:
        raise NotReady(
            f"{len(wrong)} row{'s have' if len(wrong) != 1 else ' has an'} error{'s' if len(wrong) != 1 else ''}: "
            "correct the file and upload it again.",
            wrong,
        )
    decisions, problems = _decisions(rows, answers)
    if problems:
        raise NotReady("Answer for every row whether it is a person on record or a new person.", problems)
    job.decisions = decisions
    job.status = ImportStatus.QUEUED
    job.confirmed_at = timezone.now()
    job.save(update_fields=["decisions", "status", "confirmed_at"])
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(import_id: int) -> None:
    progress.enqueue(run_contact_import, ContactImport, import_id)


def cancel(user, job: ContactImport) -> ContactImport:
    if job.uploaded_by_id != user.pk or not job.is_open:
        raise PermissionDenied("Only the person who uploaded the file can cancel it, before it is imported.")
    ContactImport.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
