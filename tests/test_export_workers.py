"""Real workers take export jobs off the queue: the database backend's and RQ's (Redis).

The database backend's worker is django-tasks-db's `db_worker` command; the Redis one is
RQ's worker with django-tasks-rq's job class against the real redis-server (database
TASKS_TEST_REDIS_URL, default redis://127.0.0.1:6379/11; .ci/run starts one). Both run in
this process (`--batch`, `burst`), on the test's database connection; the database worker's
test commits, since the worker takes each task in a transaction of its own.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from exports.models import ExportJob, ExportStatus

from .exports_help import csv_rows, file_content

REDIS_URL = os.environ.get("TASKS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REDIS_QUEUE = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"


def _ask(client, capture, user):
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("exports:create"), {"list": "person-list", "format": "csv"})
    return ExportJob.objects.filter(requested_by=user).latest("id")


def _check_done(client, job, user):
    from cases import models as m

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    rows = csv_rows(file_content(client.get(reverse("exports:file", args=[job.pk]))))
    assert {int(row["ID"]) for row in rows} == set(m.Person.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)  # the worker takes the job in a transaction of its own
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_database_worker_runs_a_queued_export(world, client, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    user = world.users.officer_sjpd
    job = _ask(client, django_capture_on_commit_callbacks, user)
    job.refresh_from_db()
    # Nothing ran in the request: the job waits in the queue table for a worker.
    assert job.status == ExportStatus.QUEUED and DBTaskResult.objects.filter(id=job.task_id).exists()
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    _check_done(client, job, user)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def _redis():
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception:  # pragma: no cover - the machine has no Redis
        pytest.skip(f"no Redis at {REDIS_URL}")
    return connection


def test_an_rq_worker_runs_a_queued_export_from_redis(world, client, django_capture_on_commit_callbacks):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    connection = _redis()
    queues = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    with override_settings(TASKS=REDIS_QUEUE, RQ_QUEUES=queues):
        queue = django_rq.get_queue("default")
        queue.empty()
        user = world.users.advocate_harbor
        job = _ask(client, django_capture_on_commit_callbacks, user)
        job.refresh_from_db()
        # Waiting in Redis (the test's own database of it), not run in the request.
        assert job.status == ExportStatus.QUEUED and connection.llen("rq:queue:default") == 1
        worker = SimpleWorker([queue], connection=connection, job_class=Job)
        worker.work(burst=True)
        _check_done(client, job, user)
        assert queue.count == 0
