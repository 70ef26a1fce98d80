"""Download links of the list pages: the API export of the same records, with the page's filters."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from audit.models import AccessLog

from .web_access.registry import load_tables

# list page → the records it shows, per persona (the page's own object_list is the reference)
LIST_PAGES = [
    ("web:operation_list", "operations"),
    ("web:person_list", "people"),
    ("web:referral_list", "referrals"),
    ("web:referral_inbox", "referrals"),
    ("web:handoff_list", "custody-handoffs"),
    ("web:detention_list", "detentions"),
]
PERSONAS = ["coordinator", "officer_sjpd", "advocate_harbor", "caseworker"]
# What each persona gets on each list page, from the web access table (tests/web_access/).
PAGE_STATUS = {
    case.url_name: case.expect["none"] for case in load_tables() if case.method == "get" and "none" in case.expect
}


def download_hrefs(html: str) -> dict[str, str]:
    """format → href of each download link on the page."""
    import re

    links = re.findall(r'href="([^"]+)"[^>]*data-download data-download-format="(\w+)"', html)
    return {fmt: href.replace("&amp;", "&") for href, fmt in links}


def csv_ids(response) -> set[int]:
    body = b"".join(response.streaming_content).decode()
    return {int(row["ID"]) for row in csv.DictReader(io.StringIO(body.removeprefix("\ufeff")))}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page, resource", LIST_PAGES)
def test_download_gives_exactly_the_records_of_the_page(world, client, persona, page, resource):
    client.force_login(getattr(world.users, persona))
    response = client.get(reverse(page))
    # A page refused where the access table opens it is a failure, not a skipped test.
    assert response.status_code == PAGE_STATUS[page][persona]
    if response.status_code != 200:
        return
    shown = {obj.pk for obj in response.context["object_list"]}
    hrefs = download_hrefs(response.content.decode())
    if not shown:
        assert hrefs == {}, "an empty list offers nothing to download"
        return
    assert set(hrefs) == {"csv", "xlsx"}
    assert urlsplit(hrefs["csv"]).path == f"/api/v1/{resource}/"
    exported = client.get(hrefs["csv"])
    assert exported.status_code == 200
    assert csv_ids(exported) == shown
    assert client.get(hrefs["xlsx"]).status_code == 200


def test_links_keep_the_filters_and_sort_but_not_the_page(world, client):
    client.force_login(world.users.coordinator)
    response = client.get(reverse("web:detention_list"), {"outcome": "arrested", "sort": "outcome", "page": "1"})
    query = parse_qs(urlsplit(download_hrefs(response.content.decode())["csv"]).query)
    assert query["outcome"] == ["arrested"]
    assert query["ordering"] == ["outcome"]
    assert query["format"] == ["csv"]
    assert "page" not in query and "sort" not in query


def test_inbox_and_sent_links_are_limited_to_the_agency_as_the_pages_are(world, client):
    advocate = world.users.advocate_harbor
    client.force_login(advocate)
    inbox = client.get(reverse("web:referral_inbox"))
    query = parse_qs(urlsplit(download_hrefs(inbox.content.decode())["csv"]).query)
    assert query["to_agency"] == [str(world.agencies.harbor.pk)]

    client.force_login(world.users.officer_sjpd)
    sent = client.get(reverse("web:referral_list"))
    query = parse_qs(urlsplit(download_hrefs(sent.content.decode())["csv"]).query)
    assert query["from_agency"] == [str(world.agencies.sjpd.pk)]


def test_a_download_is_recorded_in_the_access_log(world, client):
    client.force_login(world.users.coordinator)
    href = download_hrefs(client.get(reverse("web:person_list")).content.decode())["csv"]
    before = AccessLog.objects.count()
    b"".join(client.get(href).streaming_content)
    assert AccessLog.objects.count() > before
