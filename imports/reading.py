"""Reading an uploaded file into rows of text: CSV or XLSX, within the size and row limits.

Every cell becomes the text it shows. A formula is never run: openpyxl reads the formula's
own text (a cell "=1+1" is the text "=1+1"), and that text is kept and printed as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .columns import COLUMN_NAMES, header_key


class UnreadableFile(ValueError):
    """The file cannot be imported as a whole; the message says why, in plain words."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


def too_large(size: int) -> str:
    return (
        f"The file is {filesizeformat(size)}; the largest file that can be imported is "
        f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Split it into smaller files."
    )


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                "The file is not text in UTF-8: save it as “CSV UTF-8” and upload it again."
            ) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile("The file is not an Excel workbook (XLSX) that can be read.") from error
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_text(value) for value in row]
    finally:
        book.close()


def read_rows(file_name: str, content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """(headers as column names, one dict per non-empty row), or UnreadableFile."""
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise UnreadableFile(too_large(len(content)), too_large=True)
    if not content:
        raise UnreadableFile("The file is empty.")
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        source = _xlsx_rows(content)
    elif lower.endswith((".csv", ".txt")):
        source = _csv_rows(content)
    else:
        raise UnreadableFile("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")
    try:
        raw_headers = next(source, None)
        if not raw_headers:
            raise UnreadableFile("The file has no header row. Start from the template.")
        headers = [header_key(h) for h in raw_headers]
        known = [h for h in headers if h in COLUMN_NAMES]
        if not known:
            raise UnreadableFile(
                "None of the columns has a name the import knows (the first row must hold the column names). "
                "Start from the template."
            )
        rows = []
        max_rows = settings.IMPORT_MAX_ROWS
        for values in source:
            cells = [_text(v) for v in values]
            if not any(cells):
                continue
            if len(rows) >= max_rows:
                raise UnreadableFile(
                    f"The file has more than {max_rows:,} rows of contacts; at most {max_rows:,} can be imported "
                    "at once. Split it into smaller files.",
                    too_large=True,
                )
            row = {}
            for index, header in enumerate(headers):
                if header and index < len(cells):
                    # Two columns of the same name: keep both values, nothing is lost.
                    row[header] = f"{row[header]}; {cells[index]}" if row.get(header) else cells[index]
            extra = cells[len(headers) :]
            if any(extra):
                row["_extra"] = "; ".join(c for c in extra if c)
            rows.append(row)
    except csv.Error as error:
        raise UnreadableFile(f"The CSV file cannot be read: {error}.") from error
    if not rows:
        raise UnreadableFile("The file has a header row but no contacts under it.")
    return headers, rows
