"""The downloads a person opens: headings, labels, names and local dates; `raw=1` keeps the machine form."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from cases.api.urls import router
from tests import factories as f

PREFIXES = [prefix for prefix, _, _ in router.registry]


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_content(response).decode("utf-8-sig"))))


def _book(response):
    return openpyxl.load_workbook(io.BytesIO(_content(response)))


def test_contacts_csv_has_headings_labels_names_and_local_times(world, api):
    r = world.records
    client = api(world.users.coordinator)
    response = client.get("/api/v1/contacts/", {"format": "csv"})
    assert response.status_code == 200
    assert _content(response).startswith("\ufeff".encode()), "a byte-order mark, so Excel reads UTF-8"
    rows = _csv(client.get("/api/v1/contacts/", {"format": "csv"}))
    assert {"ID", "Person", "Operation", "Contact time", "Agency", "Role", "Outcome", "Indicators"} <= set(rows[0])
    assert "occurred_at" not in rows[0]
    contact = r.victim_sjpd
    row = next(row for row in rows if row["ID"] == str(contact.pk))
    assert row["Agency"] == contact.agency.name
    assert row["Role"] == contact.get_role_display()
    assert row["Outcome"] == contact.get_outcome_display()
    assert row["Person"] == contact.person.reference
    assert row["Operation"] == f"{contact.operation.code} {contact.operation.name}"
    assert row["Contact time"] == f"{timezone.localtime(contact.occurred_at):%Y-%m-%d %H:%M}"


def test_raw_csv_is_the_machine_form(world, api):
    client = api(world.users.coordinator)
    rows = _csv(client.get("/api/v1/contacts/", {"format": "csv", "raw": "1"}))
    contact = world.records.victim_sjpd
    row = next(row for row in rows if row["id"] == str(contact.pk))
    assert row["agency"] == str(contact.agency_id)
    assert row["role"] == contact.role
    json_row = client.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert row["occurred_at"] == json_row["occurred_at"]
    assert not _content(client.get("/api/v1/contacts/", {"format": "csv", "raw": "true"})).startswith(b"\xef\xbb\xbf")


def test_raw_must_be_a_yes_or_no(world, api):
    response = api(world.users.coordinator).get("/api/v1/contacts/", {"format": "csv", "raw": "maybe"})
    assert response.status_code == 400
    assert "raw" in response.json()


def test_xlsx_has_real_dates_a_frozen_header_widths_and_a_whole_sheet_name(world, api):
    client = api(world.users.coordinator)
    book = _book(client.get("/api/v1/service-offers/", {"format": "xlsx"}))
    sheet = book.active
    assert sheet.title == "Service offers"
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[0] == "ID" and "Offered" in header and "Service type" in header and "Response" in header
    assert all(c.font.bold for c in sheet[1])
    offered = header.index("Offered") + 1
    cell = sheet.cell(row=2, column=offered)
    assert isinstance(cell.value, dt.datetime)
    assert cell.is_date and "yyyy" in cell.number_format
    offer = world.records.offer_sjpd
    ids = [sheet.cell(row=n, column=1).value for n in range(2, sheet.max_row + 1)]
    assert ids and all(isinstance(i, int) for i in ids)
    row = ids.index(offer.pk) + 2
    assert sheet.cell(row=row, column=offered).value == timezone.localtime(offer.offered_at).replace(
        tzinfo=None, microsecond=0
    )
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert all(w and w >= 9 for w in widths)


def test_xlsx_local_time_is_the_wall_clock_time(world, api):
    contact = world.records.victim_sjpd
    book = _book(api(world.users.coordinator).get("/api/v1/contacts/", {"format": "xlsx"}))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == contact.pk:
            assert row[header.index("Contact time")].value == timezone.localtime(contact.occurred_at).replace(
                tzinfo=None, microsecond=0
            )
            assert row[header.index("Role")].value == contact.get_role_display()
            break
    else:
        pytest.fail("the contact is not in the download")


def test_formula_text_is_a_text_cell_without_apostrophe(world, api):
    r = world.records
    r.victim_sjpd.narrative = '=HYPERLINK("http://example.invalid")'
    r.victim_sjpd.save(update_fields=["narrative"])
    client = api(world.users.coordinator)
    sheet = _book(client.get("/api/v1/contacts/", {"format": "xlsx"})).active
    header = [c.value for c in sheet[1]]
    column = header.index("Narrative")
    cell = next(row[column] for row in sheet.iter_rows(min_row=2) if row[0].value == r.victim_sjpd.pk)
    assert cell.value == r.victim_sjpd.narrative
    assert cell.data_type == "s"
    assert not cell.quotePrefix
    # The CSV has no cell types: it keeps the apostrophe.
    rows = _csv(client.get("/api/v1/contacts/", {"format": "csv"}))
    row = next(row for row in rows if row["ID"] == str(r.victim_sjpd.pk))
    assert row["Narrative"] == "'" + r.victim_sjpd.narrative


def test_a_related_record_the_viewer_may_not_see_is_not_named(world, api):
    r = world.records
    # Harbor's offer under the St. Joseph referral: its contact is not Harbor's to see.
    offer = f.ServiceOfferFactory(
        contact=r.victim_sjpd, referral=r.referral_sjpd, offered_by=world.agencies.harbor, service_type=r.shelter
    )
    client = api(world.users.advocate_harbor)
    raw = _csv(client.get("/api/v1/service-offers/", {"format": "csv", "raw": "1"}))
    human = _csv(client.get("/api/v1/service-offers/", {"format": "csv"}))
    raw_row = next(row for row in raw if row["id"] == str(offer.pk))
    row = next(row for row in human if row["ID"] == str(offer.pk))
    assert raw_row["contact"] == ""
    assert row["Contact"] == ""
    assert row["Offered by"] == world.agencies.harbor.name
    assert row["Service type"] == r.shelter.name
    body = _content(client.get("/api/v1/service-offers/", {"format": "csv"})).decode("utf-8-sig")
    assert str(r.victim_sjpd) not in body


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_list_downloads_for_a_person(world, api, prefix, django_assert_max_num_queries):
    client = api(world.users.coordinator)
    with django_assert_max_num_queries(40):
        response = client.get(f"/api/v1/{prefix}/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = _book(response).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "ID"
    assert all(h and "_" not in h and h[0].isupper() for h in header), header
    assert len(sheet.title) <= 31 and sheet.title[0].isupper()


def test_sheet_names_are_cut_between_words():
    from cases.spreadsheets import sheet_title

    used: set[str] = set()
    assert sheet_title("Services offered and accepted, by type (people)", used) == "Services offered and accepted"
    assert sheet_title("Detentions, arrests and charges, by agency", used) == "Detentions, arrests"
    again = sheet_title("Services offered and accepted, by type (people)", used)
    assert again != "Services offered and accepted" and len(again) <= 31 and again.endswith("(2)")
    assert sheet_title("What: a [list]/of *things?", set()) == "What a list of things"


def test_report_xlsx_has_whole_sheet_names_frozen_headings_and_no_apostrophes(world, client):
    client.force_login(world.users.coordinator)
    response = client.get(f"/reports/operations/{world.records.op_sjpd.pk}/", {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    titles = book.sheetnames
    assert titles[0] == "Summary"
    for sheet in book.worksheets[1:]:
        full = sheet["A1"].value
        assert full.startswith(sheet.title) and len(sheet.title) <= 31
        # Cut at a word: the next character of the full title is a space or punctuation.
        rest = full[len(sheet.title) :]
        assert rest == "" or not rest[0].isalnum(), (sheet.title, full)
        assert sheet.freeze_panes == "B3"
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s" and not cell.value.startswith("'") and not cell.quotePrefix
