"""Every list as CSV or XLSX (?format=csv|xlsx), streamed, recorded for the audit trail.

Rows are the API's own representation of each record, so an export never shows
more than the JSON would; names of minors are blanked for users below coordinator.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.renderers import BaseRenderer

from cases import access, audit_hooks

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")
CHUNK = 500
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class CSVRenderer(BaseRenderer):
    """Chooses CSV in content negotiation; the list view streams the file itself."""

    media_type = CSV_MEDIA_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - never used
        raise NotImplementedError("Exports are streamed by the list view.")


class XLSXRenderer(CSVRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None


def cell_text(value) -> str:
    """One value as export text; lists joined with "; ". Formula-like text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(item) for item in value)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        # Spreadsheets would run it as a formula (CSV injection).
        text = "'" + text
    return text


def _xlsx_cell(value):
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))


def below_coordinator(user) -> bool:
    viewer = access.viewer_for(user)
    return not (viewer.superuser or viewer.scope == access.COORDINATOR)


def export_rows(queryset, serialize_page, columns: list[str], row_hook=None) -> Iterator[list]:
    """The records as lists of values, a chunk at a time (related ids checked per chunk)."""
    batch: list = []

    def flush(items):
        for obj, data in zip(items, serialize_page(items)):
            if row_hook is not None:
                data = row_hook(obj, data)
            yield [data.get(column) for column in columns]

    for obj in queryset.iterator(chunk_size=CHUNK):
        batch.append(obj)
        if len(batch) == CHUNK:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


class _Echo:
    def write(self, value):
        return value


def _filename(what: str, extension: str) -> str:
    return f"{what}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(what: str, columns: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow([cell_text(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, "csv")}"'
    return response


def xlsx_response(what: str, columns: list[str], rows: Iterable[list]) -> FileResponse:
    # write_only keeps memory flat; the workbook goes to a temporary file and is streamed from it.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=what[:31])
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=_filename(what, "xlsx"), content_type=XLSX_MEDIA_TYPE)


def export_response(request, fmt: str, what: str, columns: list[str], rows: Iterable[list], count: int | None):
    """Record the export for the audit trail, then send it. Reports use this too."""
    audit_hooks.record_export(request, what, count)
    if fmt == "xlsx":
        return xlsx_response(what, columns, rows)
    return csv_response(what, columns, rows)
