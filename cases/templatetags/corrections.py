"""{% change_history record as rows %}: who changed a record, when and why (the edit pages'
reasons, void reasons), from its django-simple-history rows.

Only the who/when/why is shown, never the values before and after: those are the audit
trail's (audit.views), for auditors. A page shows this to users who see the whole record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from cases.models import Charge, Detention

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
    if isinstance(record, Detention):
        # A detention's charges are part of it: added, corrected and removed with it.
        charges = (
            Charge.history.filter(detention_id=record.pk)
            .select_related("history_user", "history_agency")
            .order_by("-history_date", "-history_id")[:HISTORY_ROWS]
        )
        rows += [(r, f"Charge {r.statute}") for r in charges]
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
