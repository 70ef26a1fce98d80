"""A list download in the browser: fetched with progress shown, then saved as a file."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.e2e


def test_people_download_shows_progress_and_saves_the_csv(signed_in, e2e_world):
    page = signed_in("coordinator")
    page.goto(f"{page.base}/people/")
    status = page.locator(".tf-download-status")
    assert status.is_hidden()
    with page.expect_download() as info:
        page.click("a[data-download][data-download-format=csv]")
    download = info.value
    assert download.suggested_filename.startswith("people-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    # The file a person opens: headings, not the API's field names.
    assert rows and "Reference" in rows[0] and "reference" not in rows[0]
    shown = page.locator("table tbody tr").count()
    assert len(rows) == shown > 0
    status.wait_for(state="visible")
    assert "Downloaded people-" in page.locator(".tf-download-text").inner_text()
    assert page.errors == []


def test_a_refused_download_says_why_and_saves_nothing(signed_in, e2e_world):
    page = signed_in("advocate_harbor")
    page.goto(f"{page.base}/people/?sort=recorded")
    # Advocates may not sort people by when they were recorded through the API: it answers 400.
    page.click("a[data-download][data-download-format=csv]")
    text = page.locator(".tf-download-text")
    text.wait_for(state="visible")
    # A locator assertion, not wait_for_function: polling a string of script is eval, which the
    # page's Content-Security-Policy refuses whenever the text is not there at the first look.
    from playwright.sync_api import expect

    expect(text).to_contain_text("failed")
    assert "You cannot filter or sort people by this." in text.inner_text()
