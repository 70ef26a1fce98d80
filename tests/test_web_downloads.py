"""Download buttons of the list pages: an export job of the API list, with the page's filters."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from audit.models import AccessLog
from exports.models import ExportJob

from .exports_help import csv_rows, download_forms, file_content, xlsx_rows
from .web_access.registry import load_tables

# list page → the records it shows, per persona (the page's own object_list is the reference)
LIST_PAGES = [
    ("web:operation_list", "operation-list"),
    ("web:person_list", "person-list"),
    ("web:referral_list", "referral-list"),
    ("web:referral_inbox", "referral-list"),
    ("web:handoff_list", "custody-handoff-list"),
    ("web:detention_list", "detention-list"),
]
PERSONAS = ["coordinator", "officer_sjpd", "advocate_harbor", "caseworker"]
# What each persona gets on each list page, from the web access table (tests/web_access/).
PAGE_STATUS = {
    case.url_name: case.expect["none"] for case in load_tables() if case.method == "get" and "none" in case.expect
}


@pytest.fixture(autouse=True)
def export_dir(tmp_path, settings):
    settings.EXPORT_DIR = tmp_path / "exports"


def download(client, capture, form: dict) -> ExportJob:
    """Press the button: the job runs (immediate backend, on commit); its page is where the user lands."""
    with capture(execute=True):
        response = client.post(reverse("exports:create"), form)
    assert response.status_code == 302, response.content
    job = ExportJob.objects.latest("id")
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page, resource", LIST_PAGES)
def test_download_gives_exactly_the_records_of_the_page(
    world, client, django_capture_on_commit_callbacks, persona, page, resource
):
    client.force_login(getattr(world.users, persona))
    response = client.get(reverse(page))
    # A page refused where the access table opens it is a failure, not a skipped test.
    assert response.status_code == PAGE_STATUS[page][persona]
    if response.status_code != 200:
        return
    shown = {obj.pk for obj in response.context["object_list"]}
    forms = download_forms(response.content.decode())
    if not shown:
        assert forms == {}, "an empty list offers nothing to download"
        return
    assert set(forms) == {"csv", "xlsx"}
    assert forms["csv"]["list"] == resource
    job = download(client, django_capture_on_commit_callbacks, forms["csv"])
    rows = csv_rows(file_content(client.get(reverse("exports:file", args=[job.pk]))))
    assert {int(row["ID"]) for row in rows} == shown
    job = download(client, django_capture_on_commit_callbacks, forms["xlsx"])
    assert len(xlsx_rows(file_content(client.get(reverse("exports:file", args=[job.pk]))))) == len(shown)


def test_buttons_keep_the_filters_and_sort_but_not_the_page(world, client):
    client.force_login(world.users.coordinator)
    response = client.get(reverse("web:detention_list"), {"outcome": "arrested", "sort": "outcome", "page": "1"})
    form = download_forms(response.content.decode())["csv"]
    query = parse_qs(form["query"])
    assert query["outcome"] == ["arrested"]
    assert query["ordering"] == ["outcome"]
    assert "page" not in query and "sort" not in query and "format" not in query
    assert form["format"] == "csv"


def test_inbox_and_sent_buttons_are_limited_to_the_agency_as_the_pages_are(world, client):
    advocate = world.users.advocate_harbor
    client.force_login(advocate)
    inbox = client.get(reverse("web:referral_inbox"))
    query = parse_qs(download_forms(inbox.content.decode())["csv"]["query"])
    assert query["to_agency"] == [str(world.agencies.harbor.pk)]

    client.force_login(world.users.officer_sjpd)
    sent = client.get(reverse("web:referral_list"))
    query = parse_qs(download_forms(sent.content.decode())["csv"]["query"])
    assert query["from_agency"] == [str(world.agencies.sjpd.pk)]


def test_a_download_is_recorded_in_the_access_log(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.users.coordinator)
    form = download_forms(client.get(reverse("web:person_list")).content.decode())["csv"]
    job = download(client, django_capture_on_commit_callbacks, form)
    before = AccessLog.objects.count()
    file_content(client.get(reverse("exports:file", args=[job.pk])))
    assert AccessLog.objects.count() == before + 1


def test_a_refused_download_goes_back_to_the_list_saying_why(world, client):
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("web:person_list"), {"sort": "recorded"})
    form = download_forms(page.content.decode())["csv"]
    response = client.post(reverse("exports:create"), form, follow=True)
    assert response.redirect_chain[-1][0] == form["next"]
    assert "This download cannot be made: You cannot filter or sort people by this." in response.content.decode()
    assert not ExportJob.objects.filter(requested_by=world.users.advocate_harbor, list_name="person-list").exists()
