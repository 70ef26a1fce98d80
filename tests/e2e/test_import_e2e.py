"""End to end in Chromium: an officer uploads a night sheet, answers the one possible match on
the preview, imports it and follows it to the end. Every page checked with axe."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e]


def _go(page, path):
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")


def test_upload_preview_and_confirm_a_night_sheet(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Contact
    from imports.models import ContactImport, ImportStatus
    from tests.imports_help import csv_bytes, row

    dana = e2e_world.records.victim_sjpd.person
    sheet = csv_bytes(
        [
            row("Casey Brightfield", narrative="<b>Met at the fuel island</b>"),
            row("Dana Invented", age="", gender=""),
            row("=Morgan Invented", age="31", services_accepted=""),
        ]
    )
    page = signed_in("officer_sjpd", width=1280)
    _go(page, f"/operations/{e2e_world.records.op_sjpd.pk}/")
    page.get_by_role("link", name="Import a night sheet").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.set_input_files("#id_file", {"name": "night-sheet.csv", "mimeType": "text/csv", "buffer": sheet})
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("is this one of these people?").is_visible()
    assert page.get_by_text("=Morgan Invented").first.is_visible()  # a formula's text, shown as typed
    check_a11y(page)
    shoot(page, "import-preview")
    # Import without answering: the row says what is missing, nothing is saved.
    page.get_by_role("button", name="Import 3 rows").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Say whether this is one of the people on record").is_visible()
    page.locator(f"label[for=row-3-{dana.pk}]").click()
    page.get_by_role("button", name="Import 3 rows").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("heading", name="Imported").wait_for()
    signed_in.settle()
    job = ContactImport.objects.latest("id")
    assert job.status == ImportStatus.DONE and (job.contacts_created, job.people_matched) == (3, 1)
    assert Contact.objects.filter(person=dana).count() == 2
    check_a11y(page)
    shoot(page, "import-done")
