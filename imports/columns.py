"""The columns of a contact import: the fields of the contact form, one column each.

The template (CSV and XLSX) is made from this list, and so is the check of each row, so a
column cannot be read that the template does not explain.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.comments import Comment

from cases.spreadsheets import BOLD, set_widths

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str  # the header in the file
    label: str  # what the preview calls it
    help: str
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "person_reference",
        "Person reference",
        "P-000123 of a person already on record that you can see. Leave empty: the import looks for the person "
        "by name and age, and you confirm each match before anything is saved.",
    ),
    Column("name", "Name", "The person's name, if given.", "Destiny Harlan"),
    Column("aliases", "Other names", "Other names or nicknames, separated by ';'.", "Dee; Desi"),
    Column("age", "Age (estimate)", "Estimated age in years, when the date of birth is not known.", "19"),
    Column(
        "birth_year",
        "Year of birth",
        "When only the year is known (e.g. 2006); the age on the contact day is worked out from it.",
    ),
    Column("date_of_birth", "Date of birth", "YYYY-MM-DD, when known."),
    Column("gender", "Gender", "Female, Male, Transgender, Non-binary or Unknown.", "Female"),
    Column("citizenship", "Citizenship", "US, Foreign or Unknown (empty: Unknown)."),
    Column("languages", "Languages", "Languages spoken, separated by commas.", "English, Spanish"),
    Column("interpreter_needed", "Interpreter needed", "Yes or No (empty: No)."),
    Column(
        "vulnerabilities", "Vulnerability factors", "Names from the catalogue, separated by ';'.", "Runaway or homeless"
    ),
    Column(
        "occurred_at", "When", "Date and time of the contact: YYYY-MM-DD HH:MM (24-hour clock).", "2026-03-14 23:40"
    ),
    Column("location", "Location", "The venue name of one of the operation's locations, or empty."),
    Column("place", "Other place", "Where it happened, if not one of the operation's locations.", "Room 12"),
    Column(
        "role",
        "The person's role",
        "Potential victim, Confirmed victim, Suspected trafficker, Buyer, Witness or Accompanying child.",
        "Potential victim",
    ),
    Column(
        "outcome",
        "Outcome",
        "Offered services, Detained, Arrested, Taken into protective custody, Released or No action "
        "(empty: Offered services when a service was offered).",
    ),
    Column("indicators", "Trafficking indicators", "Names from the catalogue, separated by ';'."),
    Column("narrative", "Narrative", "What happened, in a few sentences (plain text)."),
    Column("services_offered", "Services offered", "Service names separated by ';'.", "Food; Lodging/shelter"),
    Column(
        "services_accepted",
        "Services accepted",
        "The offered services the person accepted, separated by ';' (an offered service not listed here was declined).",
        "Food",
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
BY_NAME = {c.name: c for c in COLUMNS}


def header_key(text: str) -> str:
    """A header as typed ("Date of birth", "date_of_birth ") → its column name."""
    plain = "_".join(str(text or "").strip().lower().replace("-", " ").split())
    for column in COLUMNS:
        if plain in (column.name, "_".join(column.label.lower().split())):
            return column.name
    return plain


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    writer.writerow([c.example for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Contacts"
    for index, column in enumerate(COLUMNS, start=1):
        head = sheet.cell(row=1, column=index, value=column.name)
        head.comment = Comment(column.help, "Case tracker")
        example = sheet.cell(row=2, column=index, value=column.example or None)
        example.data_type = "s"
    set_widths(sheet, [max(14, len(c.name) + 2) for c in COLUMNS])
    guide = book.create_sheet("Help")
    guide.append(["Column", "What to write"])
    for head in guide[1]:
        head.font = BOLD
    for column in COLUMNS:
        guide.append([column.name, column.help])
    set_widths(guide, [22, 110])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
