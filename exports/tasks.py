"""The export task: one job id in, the job's file written (exports.writing) by whichever worker takes it."""

from __future__ import annotations

from django_tasks import task

from . import writing


@task()
def run_export_job(job_id: int) -> str:
    status = writing.run(job_id)
    # Every run also tidies up: files past their time, and jobs whose worker died.
    writing.fail_stale()
    writing.purge_expired()
    return status
