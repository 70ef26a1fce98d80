"""A report as a CSV or XLSX download: the same cells as the page and the API.

CSV: the report's title lines, then each table under its title, separated by a
blank line. XLSX: a "Summary" sheet (title, period, paragraph, suppression note) and
one sheet per table, named after it in full (up to Excel's 31 characters, cut between
words), its title and heading rows frozen. Suppressed cells are written as the text "<5"
or "hidden". Text is a text cell in XLSX (never a formula, no apostrophe); the CSV puts
an apostrophe before text that starts like a formula.
"""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cases import spreadsheets

from .base import Report

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _preamble(report: Report) -> list[list]:
    lines = [
        [report.title],
        [report.subtitle],
        [f"Generated {timezone.localtime(report.generated_at):%Y-%m-%d %H:%M %Z}"],
    ]
    if report.paragraph:
        lines.append([report.paragraph])
    if report.note:
        lines.append([report.note])
    lines.append(["Confidential — law enforcement sensitive"])
    return lines


def _safe(value):
    """Keep spreadsheet programs from running a label as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_preamble(report))
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header())
        for row in table.body():
            writer.writerow([_safe(v) if v is not None else "" for v in row])
    # A byte-order mark so that spreadsheet programs read the dashes and quotes right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text_cells(row) -> None:
    """Text stays text: a label such as "-" or "=…" is never run as a formula, and gets no apostrophe."""
    for cell in row:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    for line in _preamble(report):
        summary.append(line)
    summary["A1"].font = Font(bold=True, size=14)
    summary.column_dimensions["A"].width = 100
    for row in summary.iter_rows():
        _text_cells(row)
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    used = {"Summary"}
    for table in report.tables:
        sheet = book.create_sheet(spreadsheets.sheet_title(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        header = table.header()
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.body():
            sheet.append(row)
            _text_cells(sheet[sheet.max_row])
        # The title and the heading row stay in view while scrolling.
        sheet.freeze_panes = "B3"
        spreadsheets.set_widths(sheet, [42] + [max(12, min(len(str(h)) + 2, 24)) for h in header[1:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(report: Report, fmt: str) -> str:
    base = {
        "operation": f"operation-{report.parameters.get('code', '')}",
        "summary": f"dashboard-{report.parameters.get('start')}-to-{report.parameters.get('end')}",
        "performance-measures": f"performance-measures-{report.parameters.get('year')}"
        + (f"-q{report.parameters['quarter']}" if report.parameters.get("quarter") else ""),
    }[report.kind]
    return re.sub(r"[^A-Za-z0-9._-]", "-", base) + f".{fmt}"


def download(request, report: Report, fmt: str, *, task_force: str = "") -> HttpResponse:
    """The report as a file (csv, xlsx or pdf), recorded in the audit trail as an export."""
    from audit.hooks import record_export

    if fmt == "pdf":
        from .pdf import MEDIA_TYPE, to_pdf

        # Links in the PDF (the investigations of an operation) point back at this site.
        content, media_type = (
            to_pdf(report, task_force=task_force, base_url=request.build_absolute_uri("/")),
            MEDIA_TYPE,
        )
    else:
        content = to_csv(report) if fmt == "csv" else to_xlsx(report)
        media_type = FORMATS[fmt]
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    response["Cache-Control"] = "no-store"
    rows = sum(len(t.rows) for t in report.tables)
    record_export(request, f"report:{report.kind}:{filename(report, fmt)}", rows)
    return response
