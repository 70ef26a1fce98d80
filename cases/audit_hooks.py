"""Hooks the audit trail fills in. Callers use them now; the audit app records through them.

`shown` is called by the shared bases of pages, API views and the admin with the records
a response shows; the audit app writes one access-log row per request naming them (the
records about a person count: people, contacts, offers, referrals, hand-offs, detentions).

`record_export` is called for every export (CSV or XLSX) of a list or report, before
the file is sent. It must never log personal data: only who, what, how many and the filter.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.paginator import Page
from django.db import models


def shown(request, objects=(), *, model=None, action: str = "", detail: str = "") -> None:
    """Note records this response shows (see audit.log.show)."""
    from audit.log import show

    show(request, objects, model=model, action=action, detail=detail)


def is_personal_model(model) -> bool:
    from audit.log import is_personal_model as personal

    return personal(model)


def records_in(value) -> list[models.Model]:
    """The model instances a template was given in `value` and has read.

    A queryset counts once evaluated (a template that never looped over it showed nothing);
    a page counts by its rows.
    """
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, Page):
        value = value.object_list
    if isinstance(value, models.QuerySet):
        value = value._result_cache or []
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, models.Model)]
    return []


def record_export(request, what: str, count: int | None, *, model=None, query: str = "") -> None:
    """Record that the request's user exported `what` (`count` rows, if known) in the access log.

    An export can hold every record in the user's scope, so it is logged by count and
    filter rather than by id: the filter, the time and the user's scope say which rows.
    """
    rows = "rows not counted" if count is None else f"{count} row{'s' if count != 1 else ''}"
    detail = f"{what}, {rows}" + (f"; filter: {query}" if query else "")
    shown(request, model=model, action="export", detail=detail)


def iter_records(values: Iterable) -> list[models.Model]:
    found: list[models.Model] = []
    for value in values:
        found.extend(records_in(value))
    return found
