"""Export jobs (exports/): a download is complete or it is an error, and only its requester's.

The job is run here by the immediate backend (on the commit of the request that asked for
it); tests/test_export_workers.py runs real workers of the database and Redis backends.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Membership
from audit.models import AccessLog
from cases import models as m
from cases.api import exports as exports_module
from exports import writing
from exports.models import ExportJob, ExportStatus

from .exports_help import csv_rows, file_content, xlsx_rows


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings.EXPORT_DIR


def ask(client, capture, list_name="contact-list", fmt="csv", query=""):
    with capture(execute=True):
        response = client.post(reverse("exports:create"), {"list": list_name, "format": fmt, "query": query})
    return response


def test_asking_lands_on_the_job_page_and_the_file_holds_exactly_what_the_requester_sees(
    world, client, django_capture_on_commit_callbacks
):
    officer = world.users.officer_sjpd
    client.force_login(officer)
    response = ask(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get(requested_by=officer, status=ExportStatus.DONE, list_name="contact-list")
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Your file is ready" in page and reverse("exports:file", args=[job.pk]) in page
    expected = set(m.Contact.objects.visible_to(officer).values_list("pk", flat=True))
    assert job.rows_total == job.rows_written == len(expected)
    assert len(job.checksum) == 64 and job.expires_at > timezone.now()
    before = AccessLog.objects.filter(user=officer, action="export").count()
    rows = csv_rows(file_content(client.get(reverse("exports:file", args=[job.pk]))))
    assert {int(row["ID"]) for row in rows} == expected
    log = AccessLog.objects.filter(user=officer, action="export").order_by("-id")
    assert log.count() == before + 1
    assert f"contacts.csv, {len(expected)} rows" in log.first().detail


def test_filters_go_with_the_job_and_into_the_access_log(world, client, django_capture_on_commit_callbacks):
    coordinator = world.users.coordinator
    client.force_login(coordinator)
    operation = world.records.op_kcpd
    ask(client, django_capture_on_commit_callbacks, query=f"operation={operation.pk}&page=3&format=json")
    job = ExportJob.objects.filter(requested_by=coordinator).latest("id")
    assert job.query == f"operation={operation.pk}"
    rows = csv_rows(file_content(client.get(reverse("exports:file", args=[job.pk]))))
    assert {int(row["ID"]) for row in rows} == set(operation.contacts.values_list("pk", flat=True))
    assert (
        AccessLog.objects.filter(user=coordinator, action="export")
        .latest("id")
        .detail.endswith(f"filter: operation={operation.pk}")
    )


def test_xlsx_carries_its_row_count_in_a_manifest_sheet(world, client, django_capture_on_commit_callbacks):
    officer = world.users.officer_kcpd
    client.force_login(officer)
    ask(client, django_capture_on_commit_callbacks, list_name="person-list", fmt="xlsx")
    job = ExportJob.objects.get(requested_by=officer, format="xlsx")
    rows = xlsx_rows(file_content(client.get(reverse("exports:file", args=[job.pk]))))
    assert len(rows) == job.rows_written == m.Person.objects.visible_to(officer).count()


def test_an_xlsx_longer_than_a_sheet_goes_on_to_further_sheets(
    world, client, django_capture_on_commit_callbacks, monkeypatch
):
    """Excel opens no sheet past 1,048,576 rows: a longer list continues on "People (2)", … (here 2 rows a sheet)."""
    monkeypatch.setattr(exports_module, "XLSX_SHEET_ROWS", 2)
    officer = world.users.officer_kcpd
    client.force_login(officer)
    ask(client, django_capture_on_commit_callbacks, list_name="person-list", fmt="xlsx")
    job = ExportJob.objects.get(requested_by=officer, format="xlsx")
    content = file_content(client.get(reverse("exports:file", args=[job.pk])))
    expected = m.Person.objects.visible_to(officer).count()
    assert expected > 2, "the world must give more people than one sheet holds here"
    assert len(xlsx_rows(content)) == job.rows_written == expected
    titles = load_workbook(io.BytesIO(content), read_only=True).sheetnames
    assert titles == ["People"] + [f"People ({n})" for n in range(2, (expected + 1) // 2 + 1)] + ["Manifest"]


@pytest.mark.parametrize("page", ["exports:detail", "exports:file"])
def test_another_users_job_is_not_found(world, client, django_capture_on_commit_callbacks, page):
    client.force_login(world.users.officer_sjpd)
    ask(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.filter(requested_by=world.users.officer_sjpd).latest("id")
    for other in (world.users.supervisor_sjpd, world.users.coordinator, world.users.agent_fbi):
        client.force_login(other)
        assert client.get(reverse(page, args=[job.pk])).status_code == 404
        assert job.pk not in {row.pk for row in client.get(reverse("exports:list")).context["jobs"]}


def test_my_downloads_lists_own_jobs_with_their_state(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.users.advocate_northland)
    empty = client.get(reverse("exports:list")).content.decode()
    assert "No downloads yet" in empty
    ask(client, django_capture_on_commit_callbacks, list_name="referral-list")
    page = client.get(reverse("exports:list")).content.decode()
    assert "Referrals" in page and "Ready" in page


def test_a_role_without_the_list_is_refused_before_any_job(world, client):
    client.force_login(world.users.analyst)
    response = client.post(reverse("exports:create"), {"list": "person-list", "format": "csv"})
    assert response.status_code == 403
    assert not ExportJob.objects.filter(requested_by=world.users.analyst).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"list": "token-list", "format": "csv"},
        {"list": "nothing-list", "format": "csv"},
        {"list": "contact-list", "format": "pdf"},
        {"list": "contact-list", "format": "csv", "query": "occurred_after=yesterday"},
    ],
)
def test_a_bad_request_is_refused_before_any_job(world, client, data):
    client.force_login(world.users.coordinator)
    assert client.post(reverse("exports:create"), data).status_code == 400
    assert not ExportJob.objects.filter(requested_by=world.users.coordinator).exists()


def _queued(world, user, list_name="contact-list"):
    return ExportJob.objects.create(requested_by=user, list_name=list_name, what="contacts", format="csv")


def test_a_requester_who_lost_access_gets_a_failed_job_and_no_file(world, export_dir):
    officer = world.users.officer_sjpd
    job = _queued(world, officer)
    Membership.objects.filter(user=officer).update(active=False)
    assert writing.run(job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == writing.LOST_ACCESS
    assert not job.file_name and not list(export_dir.glob("*"))


def test_fewer_rows_written_than_counted_fails_the_job_visibly(world, client, monkeypatch, export_dir):
    from cases.api import exports as export_module

    real = export_module.counted

    def loses_the_last_row(rows, progress, every=export_module.CHUNK):
        return real(list(rows)[:-1], progress, every)

    monkeypatch.setattr(export_module, "counted", loses_the_last_row)
    officer = world.users.officer_sjpd
    job = _queued(world, officer)
    assert writing.run(job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    total = m.Contact.objects.visible_to(officer).count()
    assert job.error == writing.SHORT.format(written=total - 1, total=total)
    assert list(export_dir.glob("*")) == []
    client.force_login(officer)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "This download failed" in page and f"{total - 1} of the {total} rows" in page
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404


def test_a_crash_while_writing_fails_the_job_and_keeps_nothing(world, monkeypatch, export_dir):
    from cases.api import exports as export_module

    def crashes(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export_module, "write_csv_file", crashes)
    job = _queued(world, world.users.coordinator)
    assert writing.run(job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.error == writing.CRASHED.format(pk=job.pk) and not job.file_name


def test_a_job_is_run_once_however_often_its_task_is_delivered(world):
    job = _queued(world, world.users.coordinator)
    assert writing.run(job.pk) == ExportStatus.DONE
    assert writing.run(job.pk) == "not queued"


def test_a_running_job_whose_worker_died_is_failed_never_done(world, client):
    officer = world.users.officer_sjpd
    job = _queued(world, officer)
    old = timezone.now() - timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, heartbeat_at=old, rows_written=2000)
    client.force_login(officer)
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == writing.DIED
    assert "stopped before it finished" in page


def test_the_progress_part_polls_until_the_job_ends(world, client):
    officer = world.users.officer_sjpd
    job = _queued(world, officer)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now(), rows_total=4000, rows_written=1000
    )
    client.force_login(officer)
    part = client.get(reverse("exports:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in part and "1000 of 4000 rows (25%)" in part and "<html" not in part
    writing.run(job.pk)  # not queued: left alone
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED)
    writing.run(job.pk)
    part = client.get(reverse("exports:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in part and "Your file is ready" in part


def test_expired_files_are_purged_and_no_longer_downloadable(world, client, export_dir):
    from django.core.management import call_command

    officer = world.users.officer_sjpd
    job = _queued(world, officer)
    writing.run(job.pk)
    job.refresh_from_db()
    path = job.path
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600  # the application user's alone
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("purge_exports")
    job.refresh_from_db()
    assert not path.exists() and job.purged_at is not None
    client.force_login(officer)
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
    assert "This file has been deleted" in client.get(reverse("exports:detail", args=[job.pk])).content.decode()


def test_files_are_written_outside_every_served_folder():
    from pathlib import Path

    from taskforce import settings as project

    export_dir = Path(project.EXPORT_DIR).resolve()
    served = [Path(project.STATIC_ROOT), *map(Path, project.STATICFILES_DIRS)]
    assert all(not export_dir.is_relative_to(Path(folder).resolve()) for folder in served)
