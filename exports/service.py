"""Asking for an export and handing over its file: one function each for the pages and the API."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse
from rest_framework import serializers

from audit import hooks as audit_hooks

from . import progress
from .lists import list_model, list_view
from .models import ExportFormat, ExportJob
from .tasks import run_export_job
from .writing import fail_stale


def start_export(user, list_name: str, query: str, fmt: str, raw: bool = False) -> ExportJob:
    """A queued job for `user`'s download of the list; refused now (403, 400) if it would fail at once.

    The list view is built for the user here too, so a role without the list, or a bad
    filter, is answered at once rather than as a failed job; the job checks again when it runs.
    """
    if fmt not in ExportFormat.values:
        raise serializers.ValidationError({"format": ["Choose csv or xlsx."]})
    view = list_view(user, list_name, query)
    view.filter_queryset(view.get_queryset())  # a bad filter is a 400 now
    job = ExportJob.objects.create(
        requested_by=user, list_name=list_name, what=view.export_what(), query=query, format=fmt, raw=raw
    )
    # After the commit: a worker on another connection (or Redis) must find the job's row.
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    progress.enqueue(run_export_job, ExportJob, job_id)


def jobs_of(user):
    """The user's own jobs, the dead ones failed first."""
    jobs = ExportJob.objects.visible_to(user)
    fail_stale(jobs)
    return jobs


def file_response(request, job: ExportJob, missing: Exception) -> FileResponse:
    """The file of a downloadable job, recorded like any export; `missing` is raised if it was deleted."""
    try:
        handle = open(job.path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise missing from None
    audit_hooks.record_export(
        request, f"{job.what}.{job.format}", job.rows_written, model=list_model(job.list_name), query=job.query
    )
    return FileResponse(handle, as_attachment=True, filename=job.download_name)
