"""A list download in the browser: the button asks for a job, its page follows it, then the file is saved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.exports_help import csv_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"


def test_people_download_lands_on_its_job_and_saves_the_complete_csv(signed_in, e2e_world):
    page = signed_in("coordinator")
    page.goto(f"{page.base}/people/")
    shown = page.locator("table tbody tr").count()
    page.click("form[data-export-format=csv] button")
    # The test settings run the job at once (immediate backend): the page says it is ready.
    page.wait_for_url(re.compile(r"/downloads/\d+/$"))
    expect(page.locator(".usa-alert__heading")).to_contain_text("Your file is ready")
    with page.expect_download() as info:
        page.click("text=Download people-")
    download = info.value
    assert download.suggested_filename.startswith("people-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as handle:
        rows = csv_rows(handle.read())
    # The file a person opens: headings, not the API's field names; every row of the list.
    assert rows and "Reference" in rows[0] and "reference" not in rows[0]
    assert len(rows) == shown > 0
    page.click("text=All my downloads")
    expect(page.locator("table")).to_contain_text("People")
    assert page.errors == []


def test_the_job_page_follows_the_worker_until_the_file_is_ready(signed_in, e2e_world, settings):
    from exports import writing
    from exports.models import ExportJob

    # Nothing runs the job but this test, standing in for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = signed_in("officer_sjpd")
    page.goto(f"{page.base}/detentions/")
    page.click("form[data-export-format=xlsx] button")
    page.wait_for_url(re.compile(r"/downloads/\d+/$"))
    expect(page.locator("#export-progress")).to_contain_text("Waiting for a worker")
    job = ExportJob.objects.latest("id")
    assert writing.run(job.pk) == "done"
    # No reload: htmx asks for the progress every second and swaps the notice in.
    expect(page.locator(".usa-alert__heading")).to_contain_text("Your file is ready", timeout=10_000)
    expect(page.locator("#export-progress a.usa-button")).to_contain_text(".xlsx")
    assert page.errors == []


def test_a_refused_download_says_why_and_makes_nothing(signed_in, e2e_world):
    page = signed_in("advocate_harbor")
    page.goto(f"{page.base}/people/?sort=recorded")
    # Advocates may not sort people by when they were recorded through the API: refused at once.
    page.click("form[data-export-format=csv] button")
    page.wait_for_url(re.compile(r"/people/\?sort=recorded$"))
    expect(page.locator(".tf-messages")).to_contain_text("You cannot filter or sort people by this.")
