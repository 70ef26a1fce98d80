"""Every list as CSV or XLSX (?format=csv|xlsx), streamed, recorded for the audit trail.

What a person opens (the page's download links) reads like the page: headings, labels,
names of related records, local times, real dates in XLSX, a frozen header row
(cases.api.human). `&raw=1` gives the machine form for scripts: the API's field names,
ids, codes and ISO 8601 times, exactly as the JSON has them.

Formula-like text (=, +, -, @, tab or carriage return first): CSV puts an apostrophe
before it (a CSV has no cell types, so a spreadsheet would otherwise run it); a human
XLSX writes it as a text cell with nothing added; the raw XLSX keeps the apostrophe of
the CSV, as it always has.

Rows are the API's own representation of each record, so an export never shows
more than the JSON would; names of minors are blanked for users below coordinator.

When every exported column is a plain column of the model, a foreign key or a list of
catalogue ids (`flat_plan`), rows are read as tuples (`values_list`) and each value goes
through the same serializer field's `to_representation`, without building a model
instance and running the whole serializer per row; related ids are checked for scope a
chunk at a time, as on a page. Other lists (with computed fields) run the serializer a
chunk at a time. Either way the remembered checks are dropped after each chunk, so
memory stays flat however long the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework import relations
from rest_framework.renderers import BaseRenderer

from audit import hooks as audit_hooks
from cases import spreadsheets

from .fields import (
    OPEN_MODELS,
    ScopedPrimaryKeyRelatedField,
    fast_representation,
    forget_visible,
    is_visible_id,
    remember_visible,
)
from .human import Humanizer

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")
CHUNK = 2000
# Rows written to the response at once: one write per row is slow through a WSGI server.
WRITE_ROWS = 200
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


def _chunks(rows: Iterable) -> Iterator[list]:
    """The rows in lists of CHUNK (the last one shorter)."""
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def export_rows(
    queryset, serialize_page, columns: list[str], row_hook=None, context: dict | None = None
) -> Iterator[list]:
    """The records as lists of values, a chunk at a time (related ids checked per chunk)."""

    def flush(items):
        for obj, data in zip(items, serialize_page(items)):
            if row_hook is not None:
                data = row_hook(obj, data)
            yield [data.get(column) for column in columns]
        if context is not None:
            forget_visible(context)

    for batch in _chunks(queryset.iterator(chunk_size=CHUNK)):
        yield from flush(batch)


@dataclass(frozen=True)
class Column:
    """How one exported column is read: a plain value, a related id, or catalogue ids."""

    name: str
    kind: str  # "value", "related" or "many"
    field: object  # the serializer field
    attname: str = ""
    related_model: object = None
    through: object = None
    order: tuple = ()
    convert: Callable | None = None


def flat_plan(serializer, columns: list[str]) -> list[Column] | None:
    """How to read every column straight from the table, or None when one cannot be.

    Only the serializer's own fields qualify. The serializers of people and operations
    also drop fields for advocates (a reduced view); their views' `export_columns`
    already leave those columns out, for every row, so reading the rest directly shows
    no more than the JSON.
    """
    model = serializer.Meta.model
    plan = []
    for name in columns:
        field = serializer.fields[name]
        source = getattr(field, "source", None)
        if source != name or "." in source:
            return None
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a property or a computed field: the serializer must run
            return None
        if isinstance(field, relations.ManyRelatedField):
            child = field.child_relation
            if (
                not (model_field.many_to_many and model_field.concrete)
                or type(child)
                not in (
                    relations.PrimaryKeyRelatedField,
                    ScopedPrimaryKeyRelatedField,
                )
                or model_field.related_model not in OPEN_MODELS
            ):
                return None
            through = model_field.remote_field.through
            target = model_field.related_model
            order = tuple(
                (
                    f"-{model_field.m2m_reverse_field_name()}__{term[1:]}"
                    if term.startswith("-")
                    else f"{model_field.m2m_reverse_field_name()}__{term}"
                )
                for term in [*(target._meta.ordering or []), "pk"]
            )
            plan.append(Column(name, "many", field, through=through, order=order))
        elif isinstance(field, ScopedPrimaryKeyRelatedField):
            if not model_field.many_to_one:
                return None
            plan.append(Column(name, "related", field, attname=model_field.attname, related_model=field.model))
        elif isinstance(field, relations.RelatedField) or model_field.is_relation or not model_field.concrete:
            return None
        else:
            plan.append(Column(name, "value", field, attname=model_field.attname, convert=fast_representation(field)))
    return plan


def flat_rows(
    queryset, plan: list[Column], context: dict, blank: Callable[[list], list] | None = None
) -> Iterator[list]:
    """The rows of `plan` read as tuples, a chunk at a time, each value as the serializer shows it.

    `blank(values, is_minor)` may clear values of a row (names of minors).
    """
    model = queryset.model
    reads = [column for column in plan if column.kind != "many"]
    attnames = [model._meta.pk.attname, *[column.attname for column in reads]]
    minor = blank is not None and any(f.name == "is_minor" for f in model._meta.concrete_fields)
    if minor:
        attnames.append("is_minor")
    tuples = queryset.prefetch_related(None).values_list(*attnames)
    related = [(i + 1, column) for i, column in enumerate(reads) if column.kind == "related"]
    many = [column for column in plan if column.kind == "many"]
    positions = {column.name: i for i, column in enumerate(plan)}

    def convert(chunk):
        for index, column in related:
            remember_visible(context, column.related_model, [row[index] for row in chunk])
        lists = {}
        if many:
            pks = [row[0] for row in chunk]
            for column in many:
                source, target = column.field.source, column.through
                own = model._meta.get_field(source).m2m_field_name()
                other = model._meta.get_field(source).m2m_reverse_field_name()
                found: dict = {}
                links = target.objects.filter(**{f"{own}_id__in": pks}).order_by(*column.order)
                for owner, item in links.values_list(f"{own}_id", f"{other}_id").iterator(chunk_size=CHUNK):
                    found.setdefault(owner, []).append(item)
                lists[column.name] = found
        for row in chunk:
            values = [None] * len(plan)
            for index, column in enumerate(reads, start=1):
                value = row[index]
                if value is None:
                    out = None
                elif column.kind == "related":
                    out = value if is_visible_id(context, column.related_model, value) else None
                else:
                    out = column.convert(value)
                values[positions[column.name]] = out
            for column in many:
                values[positions[column.name]] = lists[column.name].get(row[0], [])
            if minor:
                values = blank(values, row[-1])
            yield values
        forget_visible(context)

    for batch in _chunks(tuples.iterator(chunk_size=CHUNK)):
        yield from convert(batch)


@dataclass
class ExportSource:
    """A list ready to export: its queryset (to count), columns, rows and how to show them."""

    queryset: object
    columns: list[str]
    rows: Iterable[list]
    what: str
    human: Humanizer | None


def _filename(what: str, extension: str) -> str:
    return f"{what}-{timezone.localdate():%Y-%m-%d}.{extension}"


def human_text(value) -> str:
    """A value of a human download as CSV text: local times without seconds, lists joined."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)


def csv_lines(columns: list[str], rows: Iterable[list], human: Humanizer | None) -> tuple[list[str], Iterator]:
    """The heading and the text rows of a CSV: raw (cell text) or human (headings, labels, local times)."""
    if human is None:
        return columns, ([cell_text(value) for value in row] for row in rows)
    return human.headings, ([human_text(value) for value in row] for row in human.rows(rows))


def _stream_csv(header: list[str], lines: Iterable[list[str]], prefix: str = "") -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write(prefix)
    writer = csv.writer(buffer)
    writer.writerow(header)
    pending = 0
    for line in lines:
        writer.writerow(line)
        pending += 1
        if pending == WRITE_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def csv_response(what: str, columns: list[str], rows: Iterable[list], human: Humanizer | None = None):
    """Streamed. Human: headings, labels, local times, and a byte-order mark so Excel reads UTF-8."""
    header, lines = csv_lines(columns, rows, human)
    stream = _stream_csv(header, lines, prefix="" if human is None else "\ufeff")
    response = StreamingHttpResponse(stream, content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(what, "csv")}"'
    return response


def _human_xlsx_value(sheet, value):
    if isinstance(value, (list, tuple)):
        value = "; ".join(human_text(item) for item in value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return spreadsheets.cell(sheet, value) if value[:1] == "=" else value
    if isinstance(value, (dt.date, dt.datetime)):
        return spreadsheets.cell(sheet, value)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


#: The data rows one worksheet holds: Excel opens no sheet of more than 1,048,576 rows (heading included).
XLSX_SHEET_ROWS = 1_048_575


def _xlsx_workbook(what: str, columns: list[str], rows: Iterable[list], human: Humanizer | None) -> Workbook:
    """The rows on one sheet, or on "Name", "Name (2)", … each under its heading once they outgrow one."""
    # write_only keeps memory flat: rows go to a temporary file as they are appended.
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    if human is None:
        title, lines = what, rows

        def cell(sheet, value):
            return _xlsx_cell(value)
    else:
        title, lines, cell = sheet_name(what), human.rows(rows), _human_xlsx_value

    def new_sheet():
        sheet = workbook.create_sheet(title=spreadsheets.sheet_title(title, used))
        if human is None:
            sheet.append(columns)
            return sheet
        # A write-only sheet takes its panes and widths before the first row.
        sheet.freeze_panes = "A2"
        spreadsheets.set_widths(sheet, [column.width for column in human.columns])
        sheet.append([spreadsheets.cell(sheet, heading, bold=True) for heading in human.headings])
        return sheet

    sheet, room = new_sheet(), XLSX_SHEET_ROWS
    for row in lines:
        if not room:
            sheet, room = new_sheet(), XLSX_SHEET_ROWS
        sheet.append([cell(sheet, value) for value in row])
        room -= 1
    return workbook


def xlsx_response(what: str, columns: list[str], rows: Iterable[list], human: Humanizer | None = None):
    workbook = _xlsx_workbook(what, columns, rows, human)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=_filename(what, "xlsx"), content_type=XLSX_MEDIA_TYPE)


# --- files written by an export job (exports/): complete, or the job fails ------------------

#: The last line of a job's CSV: "# rows: N", N the data rows above it (the heading not counted).
CSV_ROWS_PREFIX = "# rows: "
#: The second sheet of a job's XLSX: one line per fact, "Rows" first.
MANIFEST_SHEET = "Manifest"


def counted(rows: Iterable, progress: Callable[[int], None] | None, every: int = CHUNK) -> Iterator:
    """The rows unchanged; `progress(n)` after every `every` rows and once at the end."""
    n = 0
    for row in rows:
        yield row
        n += 1
        if progress is not None and n % every == 0:
            progress(n)
    if progress is not None:
        progress(n)


def write_csv_file(handle, columns: list[str], rows: Iterable[list], human: Humanizer | None) -> int:
    """Write the CSV to the text `handle`, its row count as the last line; the rows written."""
    header, lines = csv_lines(columns, rows, human)
    if human is not None:
        handle.write("\ufeff")
    writer = csv.writer(handle)
    writer.writerow(header)
    written = 0
    for line in lines:
        writer.writerow(line)
        written += 1
    writer.writerow([f"{CSV_ROWS_PREFIX}{written}"])
    return written


def write_xlsx_file(
    path, what: str, columns: list[str], rows: Iterable[list], human: Humanizer | None, manifest: list[tuple]
) -> int:
    """Write the workbook to `path`: the rows, then a "Manifest" sheet whose first line is the row count."""
    tally = [0]

    def tallied(source):
        for row in source:
            tally[0] += 1
            yield row

    workbook = _xlsx_workbook(what, columns, tallied(rows), human)
    data_sheets = len(workbook.worksheets)
    sheet = workbook.create_sheet(title=MANIFEST_SHEET)
    sheet.append(["Rows", tally[0]])
    if data_sheets > 1:
        sheet.append(["Sheets", f"{data_sheets} ({XLSX_SHEET_ROWS:,} rows each but the last)"])
    for label, value in manifest:
        sheet.append([label, _xlsx_cell(value)])
    workbook.save(path)
    return tally[0]


def sheet_name(what: str) -> str:
    """The list's name as a sheet name: "service-offers" → "Service offers"."""
    text = what.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def export_response(
    request,
    fmt: str,
    what: str,
    columns: list[str],
    rows: Iterable[list],
    count: int | None,
    *,
    model=None,
    query: str = "",
    human: Humanizer | None = None,
):
    """Record the export (what, how many, the filter) for the audit trail, then send it. Reports use this too."""
    audit_hooks.record_export(request, f"{what}.{fmt}", count, model=model, query=query)
    if fmt == "xlsx":
        return xlsx_response(what, columns, rows, human)
    return csv_response(what, columns, rows, human)
