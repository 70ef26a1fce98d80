"""Reading the download buttons of a page and the files export jobs write (tests of exports/)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from openpyxl import load_workbook

CSV_LAST_LINE = re.compile(r"^# rows: (\d+)$")


def download_forms(html: str) -> dict[str, dict[str, str]]:
    """format → the fields of each download button's form on the page."""
    forms = {}
    for form in re.findall(r'<form[^>]*data-export-format="(\w+)"[^>]*>(.*?)</form>', html, re.S):
        fmt, body = form
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))
        forms[fmt] = {name: unescape(value) for name, value in fields.items()}
    return forms


def csv_rows(content: bytes) -> list[dict[str, str]]:
    """The data rows of a job's CSV, after checking its last line gives their number."""
    text = content.decode("utf-8").removeprefix("\ufeff")
    lines = text.rstrip("\r\n").split("\r\n")
    match = CSV_LAST_LINE.match(lines[-1])
    assert match, f"the file does not end with its row count: {lines[-1]!r}"
    rows = list(csv.DictReader(io.StringIO("\r\n".join(lines[:-1]) + "\r\n")))
    assert len(rows) == int(match.group(1))
    return rows


def xlsx_rows(content: bytes) -> list[list]:
    """The data rows of a job's XLSX (every data sheet's, each under its heading), checked against its manifest."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    *sheets, manifest = book.worksheets
    assert manifest.title == "Manifest"
    parts = [list(sheet.iter_rows(values_only=True)) for sheet in sheets]
    assert all(part[0] == parts[0][0] for part in parts), "every data sheet starts with the same heading"
    rows = [row for part in parts for row in part[1:]]
    facts = {label: value for label, value, *_ in manifest.iter_rows(values_only=True)}
    assert facts["Rows"] == len(rows)
    return rows


def file_content(response) -> bytes:
    return b"".join(response.streaming_content)
