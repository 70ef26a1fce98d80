"""Exports: every list as CSV and XLSX, the same rows as the JSON, minors' names kept from staff below coordinator."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from cases.api.exports import cell_text
from cases.api.urls import router
from tests import factories as f

PREFIXES = [prefix for prefix, _, _ in router.registry]


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_content(response).decode("utf-8"))))


def _xlsx_rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(_content(response)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def _json_rows(client, prefix, columns):
    results = client.get(f"/api/v1/{prefix}/", {"page_size": 1000}).json()["results"]
    return [[row.get(column) for column in columns] for row in results]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_csv_and_xlsx_parse_back_to_the_json_rows(world, api, prefix):
    client = api(world.users.coordinator)
    csv_response = client.get(f"/api/v1/{prefix}/", {"format": "csv", "raw": "1"})
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    header, *rows = _csv_rows(csv_response)
    expected = _json_rows(client, prefix, header)
    assert rows == [[cell_text(value) for value in row] for row in expected]
    assert rows, "the world should hold records for every list"

    xlsx_response = client.get(f"/api/v1/{prefix}/", {"format": "xlsx", "raw": "1"})
    assert xlsx_response.status_code == 200
    xheader, *xrows = _xlsx_rows(xlsx_response)
    assert list(xheader) == header
    normalised = [
        [value if isinstance(value, (bool, int, float)) or value is None else cell_text(value) for value in row]
        for row in expected
    ]
    # Empty text reads back from a spreadsheet as an empty cell.
    assert [[None if value == "" else value for value in row] for row in xrows] == [
        [None if value == "" else value for value in row] for row in normalised
    ]


@pytest.mark.parametrize("persona", ["officer_sjpd", "advocate_harbor", "caseworker"])
@pytest.mark.parametrize("prefix", PREFIXES)
def test_scoped_exports_show_what_the_json_shows(world, api, monkeypatch, prefix, persona):
    # Chunks of two rows: related ids are checked, and forgotten, chunk by chunk.
    monkeypatch.setattr("cases.api.exports.CHUNK", 2)
    r = world.records
    # Harbor's offer under the St. Joseph referral: its contact is not Harbor's to see (null).
    f.ServiceOfferFactory(
        contact=r.victim_sjpd, referral=r.referral_sjpd, offered_by=world.agencies.harbor, service_type=r.shelter
    )
    client = api(getattr(world.users, persona))
    response = client.get(f"/api/v1/{prefix}/", {"format": "csv", "raw": "1"})
    if response.status_code == 403:
        assert client.get(f"/api/v1/{prefix}/").status_code == 403
        return
    header, *rows = _csv_rows(response)
    expected = _json_rows(client, prefix, header)
    names = [i for i, column in enumerate(header) if column in ("legal_name", "aliases")]
    results = client.get(f"/api/v1/{prefix}/", {"page_size": 1000}).json()["results"]
    for row, record in zip(expected, results):
        if record.get("is_minor"):
            for i in names:
                row[i] = ""
    assert rows == [[cell_text(value) for value in row] for row in expected]
    if prefix == "service-offers" and persona == "advocate_harbor":
        assert rows and all(row[header.index("contact")] == "" for row in rows)


def test_exports_follow_filters_and_scope(world, api):
    rows = _csv_rows(
        api(world.users.officer_kcpd).get("/api/v1/contacts/", {"format": "csv", "raw": "1", "role": "buyer"})
    )
    assert [int(row[0]) for row in rows[1:]] == [world.records.buyer_kcpd.pk]


def test_names_of_minors_are_blank_below_coordinator(world, api):
    child = world.records.child_contact.person
    adult = world.records.victim_sjpd.person

    def names(user, fmt, raw):
        response = api(user).get("/api/v1/people/", {"format": fmt, "raw": raw})
        header, *rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
        header = [h.removeprefix("\ufeff") for h in header]
        by_id = {int(row[0]): row[header.index("legal_name" if raw == "1" else "Legal name")] for row in rows}
        return by_id

    for fmt, raw in (("csv", "1"), ("xlsx", "1"), ("csv", "0"), ("xlsx", "0")):
        officer = names(world.users.officer_sjpd, fmt, raw)
        assert officer[child.pk] in ("", None)
        assert officer[adult.pk] == "Dana Invented"
        coordinator = names(world.users.coordinator, fmt, raw)
        assert coordinator[child.pk] == "Robin Invented"
    # The JSON of the same officer still shows the name: only exports leave it out.
    assert api(world.users.officer_sjpd).get(f"/api/v1/people/{child.pk}/").json()["legal_name"] == "Robin Invented"


def test_an_advocate_exports_only_the_minimum(world, api):
    header, *rows = _csv_rows(api(world.users.advocate_harbor).get("/api/v1/people/", {"format": "csv", "raw": "1"}))
    assert "date_of_birth" not in header and "aliases" not in header and "legal_name" in header
    assert len(rows) == 1


def test_every_export_is_recorded(world, api):
    from audit.models import AccessLog

    officer = world.users.officer_sjpd
    client = api(officer)
    _content(client.get("/api/v1/referrals/", {"format": "csv", "raw": "1"}))
    _content(client.get("/api/v1/detentions/", {"format": "xlsx", "raw": "1"}))
    rows = AccessLog.objects.filter(action="export").order_by("id")
    assert [(row.user, row.object_type, row.detail) for row in rows] == [
        (officer, "cases.referral", "referrals.csv, 2 rows"),
        (officer, "cases.detention", "detentions.xlsx, 1 row"),
    ]


def test_export_errors_are_json(world, api):
    response = api(world.users.analyst).get("/api/v1/people/", {"format": "csv", "raw": "1"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert (
        api(world.users.coordinator)
        .get("/api/v1/people/", {"format": "csv", "raw": "1", "page_size": 5000})
        .status_code
        == 200
    )


def test_spreadsheet_formulas_are_neutralised():
    assert cell_text('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert cell_text("-94.5") == "-94.5"
    assert cell_text(["a", 1, None]) == "a; 1; "
