"""The import task: one import id in, its rows imported (imports.importing) by whichever worker takes it."""

from __future__ import annotations

from django_tasks import task

from . import importing


@task()
def run_contact_import(import_id: int) -> str:
    status = importing.run(import_id)
    importing.fail_stale()
    return status
