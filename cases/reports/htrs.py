"""The investigation export in the shape of the Human Trafficking Reporting System (HTRS).

HTRS, the Bureau of Justice Statistics' collection from the federally funded task forces,
kept an incident record for each suspected incident opened for investigation, with a
record for each of its suspects (arrest, charges, prosecution, conviction, sentence) and
each of its victims (age, sex, race, citizenship, immigration status). docs/HTRS.md says
which of its fields map to which of ours and which cannot be filled.

One CSV, long format: every row has a `record_type` (incident, suspect, victim, arrest,
prosecution, count) and the incident's number (the investigation's reference); each
type fills its own columns and leaves the others empty. Long rather than wide, because
an investigation has any number of suspects, arrests and counts: repeated columns
(suspect_1_…, suspect_2_…) would cap them or change the header from one file to the
next. Rows come in the order of the investigations, then by type in the order above.

Only the viewer's own records (never the analyst's task-force view: the action
"report.htrs" in cases/access/ is for those who see investigations); voided records, and
records of voided investigations, prosecutions or people, are left out. No one's name is
exported: people are identified by their record's reference. One query per kind of
record, whatever the number of investigations.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone

from cases.models import Count as CountRecord
from cases.models import (
    Detention,
    Investigation,
    InvestigationPerson,
    InvestigationPersonRole,
    Prosecution,
    ReliefRequest,
)

from .scope import ReportScope

RECORD_TYPES = ("incident", "suspect", "victim", "arrest", "prosecution", "count")

# (column, what it holds) in the order of the file; docs/HTRS.md maps each to HTRS.
COLUMNS = [
    ("record_type", "incident, suspect, victim, arrest, prosecution or count"),
    ("incident_number", "the investigation's reference"),
    ("task_force", "the reporting task force"),
    # incident
    ("date_opened", "the day the investigation opened"),
    ("date_closed", "the day it closed"),
    ("investigation_status", "open, referred for prosecution, or closed"),
    ("closing_reason", "why it closed"),
    ("trafficking_type", "type of trafficking"),
    ("lead_agency", "the lead agency's name"),
    ("lead_agency_level", "local, state, federal…"),
    ("agencies_involved", "number of agencies working the investigation"),
    ("suspects", "number of suspects"),
    ("victims", "number of victims"),
    # people (suspects and victims)
    ("person_number", "the person's record reference (suspect, victim, arrested person or defendant)"),
    ("age_at_incident", "age in years when the investigation opened (from the date of birth or estimate)"),
    ("age_group", "age group"),
    ("sex", "gender as recorded"),
    ("citizenship", "U.S. citizen or lawful permanent resident, foreign national, unknown"),
    ("immigration_relief", "victims: relief requested for them in the investigation, with its status"),
    # arrests
    ("arrest_date", "the day of the detention"),
    ("arresting_agency", "the detaining agency's name"),
    ("arrest_outcome", "released, cited, arrested, referred for prosecution"),
    ("charges_at_arrest", "number of charges booked"),
    ("trafficking_charges_at_arrest", "of which trafficking charges"),
    # prosecutions
    ("case_number", "the prosecution's reference"),
    ("prosecuting_agency", "the prosecutor's office"),
    ("court_jurisdiction", "state or federal"),
    ("court", "the court"),
    ("filing_date", "the day charges were filed"),
    # counts
    ("count_number", "the count's number in the prosecution"),
    ("statute", "citation of the statute charged"),
    ("trafficking_offence", "yes when the statute is a trafficking offence"),
    ("disposition", "pending, dismissed, nolle prosequi, pleaded guilty, convicted, acquitted"),
    ("disposition_date", "the day of the disposition"),
    ("custody_months", "months of custody sentenced"),
    ("probation_months", "months of probation sentenced"),
    ("restitution", "restitution ordered, US$"),
]
HEADER = [name for name, _ in COLUMNS]
# The person a row is about, kept beside its columns for the access log (never written out).
PERSON = "_person"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def htrs_rows(scope: ReportScope, start: date, end: date, task_force: str) -> list[dict]:
    """The rows of the export, as {column: value} dicts, for the investigations opened from start to end."""
    investigations = list(
        scope.records(Investigation)
        .filter(opened_on__gte=start, opened_on__lte=end)
        .select_related("lead_agency")
        .annotate(n_agencies=Count("agencies", distinct=True))
        .order_by("opened_on", "id")
    )
    ids = [i.pk for i in investigations]
    if not ids:
        return []
    people = (
        scope.records(InvestigationPerson)
        .filter(investigation_id__in=ids)
        .filter(Q(role=InvestigationPersonRole.SUSPECT) | Q(role=InvestigationPersonRole.VICTIM))
        .select_related("person")
        .order_by("investigation_id", "role", "person__reference")
    )
    arrests = (
        scope.records(Detention)
        .filter(investigation_id__in=ids)
        .select_related("agency", "person")
        .annotate(
            n_charges=Count("charges", distinct=True),
            n_trafficking=Count("charges", distinct=True, filter=Q(charges__is_trafficking=True)),
        )
        .order_by("detained_at", "id")
    )
    prosecutions = (
        scope.records(Prosecution)
        .filter(investigation_id__in=ids)
        .select_related("prosecuting_agency", "defendant")
        .order_by("filed_on", "id")
    )
    counts = (
        scope.records(CountRecord)
        .filter(prosecution__investigation_id__in=ids)
        .select_related("statute", "prosecution")
        .order_by("prosecution__filed_on", "prosecution_id", "number")
    )
    relief = scope.records(ReliefRequest).filter(investigation_id__in=ids).order_by("requested_on", "id")

    by_investigation: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    opened = {i.pk: i.opened_on for i in investigations}
    relief_of: dict[tuple[int, int], list[str]] = defaultdict(list)
    for r in relief:
        relief_of[(r.investigation_id, r.person_id)].append(f"{r.get_kind_display()}: {r.get_status_display()}")
    for p in people:
        person = p.person
        row = {
            PERSON: person,
            "person_number": person.reference,
            "age_at_incident": person.age_on(opened[p.investigation_id]),
            "age_group": person.get_age_group_display(),
            "sex": person.get_gender_display(),
            "citizenship": person.get_citizenship_display(),
        }
        if p.role == InvestigationPersonRole.VICTIM:
            row["immigration_relief"] = "; ".join(relief_of[(p.investigation_id, person.pk)])
        by_investigation[p.investigation_id][p.role].append(row)
    for d in arrests:
        by_investigation[d.investigation_id]["arrest"].append(
            {
                PERSON: d.person,
                "person_number": d.person.reference,
                "arrest_date": _day(timezone.localtime(d.detained_at).date()),
                "arresting_agency": d.agency.name,
                "arrest_outcome": d.get_outcome_display(),
                "charges_at_arrest": d.n_charges,
                "trafficking_charges_at_arrest": d.n_trafficking,
            }
        )
    for pr in prosecutions:
        by_investigation[pr.investigation_id]["prosecution"].append(
            {
                PERSON: pr.defendant,
                "person_number": pr.defendant.reference,
                "case_number": pr.reference,
                "prosecuting_agency": pr.prosecuting_agency.name,
                "court_jurisdiction": pr.get_court_jurisdiction_display(),
                "court": pr.court,
                "filing_date": _day(pr.filed_on),
            }
        )
    for c in counts:
        by_investigation[c.prosecution.investigation_id]["count"].append(
            {
                "case_number": c.prosecution.reference,
                "count_number": c.number,
                "statute": c.statute.citation,
                "trafficking_offence": _yes_no(c.statute.is_trafficking),
                "disposition": c.get_disposition_display(),
                "disposition_date": _day(c.disposition_on),
                "custody_months": c.custody_months,
                "probation_months": c.probation_months,
                # Dollars and cents as text, the same in the CSV and the JSON.
                "restitution": None if c.restitution is None else f"{c.restitution:.2f}",
            }
        )

    rows: list[dict] = []
    for inv in investigations:
        found = by_investigation[inv.pk]
        common = {"incident_number": inv.reference, "task_force": task_force}
        rows.append(
            {
                "record_type": "incident",
                **common,
                "date_opened": _day(inv.opened_on),
                "date_closed": _day(inv.closed_on),
                "investigation_status": inv.get_status_display(),
                "closing_reason": inv.get_closing_reason_display() if inv.closing_reason else "",
                "trafficking_type": inv.get_trafficking_type_display(),
                "lead_agency": inv.lead_agency.name,
                "lead_agency_level": inv.lead_agency.get_level_display(),
                "agencies_involved": inv.n_agencies,
                "suspects": len(found["suspect"]),
                "victims": len(found["victim"]),
            }
        )
        for record_type in RECORD_TYPES[1:]:
            rows.extend({"record_type": record_type, **common, **row} for row in found[record_type])
    return rows


def as_lines(rows: list[dict]) -> list[list]:
    """The header, then each row's values in the order of COLUMNS (empty where not filled)."""
    return [HEADER] + [[_blank(row.get(name)) for name in HEADER] for row in rows]


def _blank(value):
    return "" if value is None else value


def filename(start: date, end: date) -> str:
    return f"htrs-investigations-{start.isoformat()}-to-{end.isoformat()}.csv"


def to_csv(rows: list[dict]) -> bytes:
    from .export import _safe

    out = io.StringIO()
    writer = csv.writer(out)
    for line in as_lines(rows):
        writer.writerow([_safe(v) for v in line])
    # A byte-order mark, as the report downloads, so that spreadsheet programs read it as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def record(request, rows: list[dict], start: date, end: date, fmt: str) -> None:
    """The export in the access log, like every export: what, how many rows, which period."""
    from audit.hooks import record_export, shown

    # The row names the people the file shows, as a page of them would.
    shown(request, [row[PERSON] for row in rows if PERSON in row])
    name = filename(start, end).replace(".csv", f".{fmt}")
    query = f"start={start.isoformat()}&end={end.isoformat()}"
    record_export(request, f"report:htrs:{name}", len(rows), model=Investigation, query=query)


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    from .export import _text_cells

    book = Workbook()
    sheet = book.active
    sheet.title = "HTRS"
    for line in as_lines(rows):
        sheet.append(line)
        _text_cells(sheet[sheet.max_row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(request, rows: list[dict], start: date, end: date, fmt: str = "csv") -> HttpResponse:
    """The export as a CSV (or XLSX) file, recorded in the access log."""
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    name = filename(start, end).replace(".csv", f".{fmt}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    record(request, rows, start, end, fmt)
    return response
