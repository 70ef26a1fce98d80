"""{% change_history record as rows %}: who changed a record, when and why (the edit pages'
reasons, void reasons), from its django-simple-history rows.

Only the who/when/why is shown, never the values before and after: those are the audit
trail's (audit.views), for auditors. A page shows this to users who see the whole record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from cases.models import (
    Charge,
    Count,
    CourtEvent,
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    Prosecution,
)

register = template.Library()

HISTORY_ROWS = 20
_KIND = {"+": "Recorded", "~": "Changed", "-": "Removed"}


@dataclass(frozen=True)
class HistoryRow:
    at: object
    user: object
    agency: object
    what: str
    reason: str


def _what(row, subject: str = "") -> str:
    reason = row.history_change_reason or ""
    kind = "Voided" if reason.startswith("Voided:") else _KIND.get(row.history_type, "Changed")
    return f"{subject}: {kind.lower()}" if subject else kind


def _reason(row) -> str:
    reason = row.history_change_reason or ""
    return reason.removeprefix("Voided:").strip()


# The rows that are part of a record and changed with it: (model, field naming the
# record, how a row is named, what naming it reads). Only references are named: the record's page shows its
# history to users who see the whole record.
_CHILD_HISTORIES = {
    # A detention's charges: added, corrected and removed with it.
    Detention: ((Charge, "detention_id", lambda r: f"Charge {r.statute}", ()),),
    Investigation: (
        (
            InvestigationAgency,
            "investigation_id",
            lambda r: f"Agency {r.agency.short_name} ({r.get_role_display().lower()})",
            ("agency",),
        ),
        (
            InvestigationPerson,
            "investigation_id",
            lambda r: f"{r.get_role_display()} {r.person.reference}",
            ("person",),
        ),
    ),
    Prosecution: (
        (Count, "prosecution_id", lambda r: f"Count {r.number}", ()),
        (CourtEvent, "prosecution_id", lambda r: f"{r.get_kind_display()} of {r.scheduled_at:%d %b %Y}", ()),
    ),
}


@register.simple_tag
def change_history(record) -> list[HistoryRow]:
    history = getattr(type(record), "history", None)
    if record is None or record.pk is None or history is None:
        return []
    rows = [
        (r, "")
        for r in history.filter(id=record.pk)
        .select_related("history_user", "history_agency")
        .order_by("-history_date", "-history_id")[:HISTORY_ROWS]
    ]
    for child, parent_field, subject, related in _CHILD_HISTORIES.get(type(record), ()):
        found = (
            child.history.filter(**{parent_field: record.pk})
            .select_related("history_user", "history_agency", *related)
            .order_by("-history_date", "-history_id")[:HISTORY_ROWS]
        )
        rows += [(r, subject(r)) for r in found]
    rows.sort(key=lambda pair: pair[0].history_date, reverse=True)
    return [
        HistoryRow(r.history_date, r.history_user, r.history_agency, _what(r, subject), _reason(r))
        for r, subject in rows[:HISTORY_ROWS]
    ]


@register.simple_tag
def problem_count(*forms_and_formsets) -> int:
    """How many error messages a page's forms and formsets hold, for its error summary."""
    total = 0
    for item in forms_and_formsets:
        if not item:
            continue
        if hasattr(item, "total_error_count"):
            total += item.total_error_count()
        else:
            total += sum(len(errors) for errors in item.errors.values())
    return total
