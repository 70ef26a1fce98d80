"""What every XLSX download does the same way: sheet names, header rows, widths, safe text.

Used by the list exports (cases.api.exports) and the report downloads (cases.reports.export).

Text that a spreadsheet would run as a formula (=, +, -, @ at the start) is written as a
text cell (data type "s"): Excel shows it as typed, with no apostrophe in front and no
formula run. Only the CSV downloads, which have no cell types, put an apostrophe before it.
"""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

SHEET_NAME_LIMIT = 31
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
DANGLING = {"and", "or", "by", "of", "to", "the", "a", "an", "in", "into", "for", "with", "from", "per"}


def sheet_title(text: str, used: set[str] | None = None, limit: int = SHEET_NAME_LIMIT) -> str:
    """A sheet name of at most 31 characters, cut between words, unique among `used`."""
    name = re.sub(r"[\[\]:*?/\\]", " ", text)
    name = re.sub(r"\s+", " ", name).strip().strip("'") or "Sheet"
    used = used if used is not None else set()

    def fit(words: str, room: int) -> str:
        if len(words) <= room:
            return words
        cut = words[: room + 1].rsplit(" ", 1)[0] if " " in words[: room + 1] else words[:room]
        cut = cut.rstrip(" ,;—–-")
        # A name does not end on a word that leads into the cut part ("Detentions, arrests and").
        while " " in cut and cut.rsplit(" ", 1)[1].lower() in DANGLING:
            cut = cut.rsplit(" ", 1)[0].rstrip(" ,;—–-")
        return cut or words[:room]

    candidate, n = fit(name, limit), 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        candidate, n = fit(name, limit - len(suffix)) + suffix, n + 1
    used.add(candidate)
    return candidate


def cell(sheet, value, *, bold: bool = False):
    """One write-only cell: dates as real dates, text as text (never a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    out = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.datetime):
        out.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        out.number_format = DATE_FORMAT
    elif isinstance(value, str):
        out.data_type = "s"
    if bold:
        out.font = BOLD
    return out


def set_widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
