"""What the pages, the API, the admin and the downloads tell the audit trail they showed.

`shown` is called by the shared bases of pages, API views and the admin with the records
a response shows; the audit app writes one access-log row per request naming them (the
records about a person count: people, contacts, offers, referrals, hand-offs, detentions).

`record_export` is called for every export (CSV or XLSX) of a list or report, before
the file is sent. It must never log personal data: only who, what, how many and the filter.
"""

from __future__ import annotations

from django.core.paginator import Page
from django.db import models

from .log import is_personal_model, show

__all__ = ["is_personal_model", "record_export", "records_in", "shown"]


def shown(request, objects=(), *, model=None, action: str = "", detail: str = "", even_if_none: bool = False) -> None:
    """Note records this response shows (see audit.log.show)."""
    show(request, objects, model=model, action=action, detail=detail, even_if_none=even_if_none)


def records_in(value, depth: int = 4) -> list[models.Model]:
    """The model instances a template was given in `value` and has read.

    A queryset counts once evaluated (a template that never looped over it showed nothing);
    a page counts by its rows; lists and dicts are looked into a few levels deep (a list of
    groups, each with its contacts).
    """
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, Page):
        value = value.object_list
    if isinstance(value, models.QuerySet):
        value = value._result_cache or []
    if isinstance(value, dict):
        value = list(value.values())
    if depth and isinstance(value, (list, tuple)):
        return [found for item in value for found in records_in(item, depth - 1)]
    return []


def record_export(request, what: str, count: int | None, *, model=None, query: str = "") -> None:
    """Record that the request's user exported `what` (`count` rows, if known) in the access log.

    An export can hold every record in the user's scope, so it is logged by count and
    filter rather than by id: the filter, the time and the user's scope say which rows.
    """
    rows = "rows not counted" if count is None else f"{count} row{'s' if count != 1 else ''}"
    detail = f"{what}, {rows}" + (f"; filter: {query}" if query else "")
    shown(request, model=model, action="export", detail=detail, even_if_none=True)
