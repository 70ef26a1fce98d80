"""Hooks the audit trail fills in. Callers use them now; the audit app records through them.

`record_export` is called for every export (CSV or XLSX) of a list or report, before
the file is sent. It must never log personal data: only who, what and how many.
"""

from __future__ import annotations


def record_export(request, what: str, count: int | None) -> None:
    """Record that the request's user exported `what` (`count` rows, if known) in the access log."""
    from audit.log import record_access

    rows = "rows not counted" if count is None else f"{count} row{'s' if count != 1 else ''}"
    record_access(request, "export", detail=f"{what}, {rows}")
