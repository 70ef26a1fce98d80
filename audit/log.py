"""`record_access` writes the access log; `show` notes what a response shows of people.

Other apps call `record_access` where something happens that is not a page of records
(a sign-in, an audit export):

    from audit.log import record_access
    record_access(request, "login", user=user)

Pages, API views, the admin and exports do not log by hand: their shared bases call
`show(request, records)` with the records of personal data they put in the response,
and `AccessLogMiddleware` writes one row per request naming them (`write_shown`).

If the row cannot be written the error propagates: an access that cannot be logged does not happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from agencies import acting as context
from agencies.roles import membership_of

from .models import AccessLog, Action

PERSON = "cases.person"


def _user_of(request, user):
    if user is not None:
        return user
    candidate = getattr(request, "user", None) if request is not None else None
    if candidate is not None and getattr(candidate, "is_authenticated", False):
        return candidate
    return None


def record_access(
    request,
    action: str,
    obj: models.Model | None = None,
    detail: str = "",
    *,
    user=None,
    username: str = "",
    object_type: str = "",
    records: dict[str, list[int]] | None = None,
    people=(),
) -> AccessLog:
    """Write one access-log row for `request` (or, with no request, for `user`)."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}; add it to audit.models.Action.")
    user = _user_of(request, user)
    membership = membership_of(user) if user is not None else None
    info = context.request_info(request)
    entry = AccessLog(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        agency=membership.agency if membership else None,
        action=action,
        detail=detail,
        path=(request.path[:300] if request is not None else ""),
        ip=info.ip if info else None,
        request_id=info.request_id if info else "",
        object_type=object_type,
        records=records or {},
        person_ids=AccessLog.person_ids_text(people),
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_label = str(obj)[:200]
        if entry.object_type == PERSON and not entry.person_ids:
            entry.person_ids = AccessLog.person_ids_text({obj.pk})
    entry.save()
    return entry


# --- what a response shows ----------------------------------------------------------


@cache
def _has_person_field(model) -> bool:
    try:
        person = model._meta.get_field("person")
    except FieldDoesNotExist:
        return False
    return person.many_to_one and person.related_model._meta.label_lower == PERSON


def person_of(obj) -> int | None:
    """The person a record is about: the person itself, or its `person`; None if it is about nobody.

    This is what makes a record personal data: people, and every record with a person
    (contacts, service offers, referrals, custody hand-offs, detentions, notes on a person).
    """
    if not isinstance(obj, models.Model):
        return None
    if obj._meta.label_lower == PERSON:
        return obj.pk
    return obj.person_id if _has_person_field(obj._meta.model) else None


def is_personal_model(model) -> bool:
    return model is not None and (model._meta.label_lower == PERSON or _has_person_field(model))


@dataclass
class Shown:
    """What one request has shown so far; written as one row when the response is ready."""

    records: dict[str, dict[int, models.Model]] = field(default_factory=dict)
    people: set[int] = field(default_factory=set)
    main: str = ""
    action: str = ""
    detail: str = ""
    pending: bool = False

    def add(self, obj) -> None:
        person = person_of(obj)
        if person is None or obj.pk is None:
            return
        self.records.setdefault(obj._meta.label_lower, {})[obj.pk] = obj
        self.people.add(person)
        self.pending = True

    def row_action(self) -> str:
        if self.action:
            return self.action
        # Records about one person are a view of that person's file; more are a list.
        if len(self.people) == 1:
            return Action.PERSON_VIEW if PERSON in self.records else Action.RECORD_VIEW
        return Action.RECORD_LIST


def _shown_of(request) -> Shown | None:
    return getattr(request, "access_shown", None) if request is not None else None


def show(
    request,
    objects=(),
    *,
    model=None,
    action: str = "",
    detail: str = "",
    even_if_none: bool = False,
) -> None:
    """Note records of personal data this response shows (records about nobody are ignored).

    `model` names what the page is about (the first call that names one wins); `action`
    and `detail` describe the access. A row is written when a record was shown, or with
    `even_if_none` (a search that found nobody, an export). With no AccessLogMiddleware
    in front of the request (a management command, a bare test request) the row is
    written at once, so nothing shown goes unlogged.
    """
    shown = _shown_of(request)
    standalone = shown is None
    if standalone:
        shown = Shown()
    if isinstance(objects, models.Model):
        objects = [objects]
    for obj in objects:
        shown.add(obj)
    if model is not None and not shown.main:
        shown.main = model._meta.label_lower
    if action:
        shown.action = shown.action or action
    if even_if_none:
        shown.pending = True
    if detail:
        shown.detail = shown.detail or detail
    if standalone:
        _write(request, shown)


def write_shown(request) -> AccessLog | None:
    """Write the request's one access row, if it showed anything (called by AccessLogMiddleware)."""
    shown = _shown_of(request)
    if shown is None or not shown.pending:
        return None
    request.access_shown = None  # once per request
    return _write(request, shown)


def _write(request, shown: Shown) -> AccessLog | None:
    if not shown.pending:
        return None
    main = shown.main or next(iter(shown.records), "")
    main_records = shown.records.get(main, {})
    single = next(iter(main_records.values())) if len(main_records) == 1 else None
    return record_access(
        request,
        shown.row_action(),
        obj=single,
        detail=shown.detail[:500],
        object_type=main,
        records={label: sorted(found) for label, found in sorted(shown.records.items())},
        people=shown.people,
    )


# --- reading the log back ------------------------------------------------------------

ROWS_SCANNED = 2000


def _person_of_record(label: str, pk: str) -> int | None:
    from django.apps import apps

    if not pk.isdigit():
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not is_personal_model(model):
        return None
    if label == PERSON:
        return int(pk)
    # Only to narrow the search: the rows shown are the (scoped) access-log rows.
    return model._base_manager.filter(pk=pk).values_list("person_id", flat=True).first()


def rows_showing(rows, label: str, pk: str, limit: int) -> list[AccessLog]:
    """Rows of `rows` (an AccessLog queryset) that named record `label` `pk`, newest first.

    A record of personal data is found through its person (one LIKE query on either
    database), then kept when the row lists it; a person, in every row that named them.
    """
    direct = models.Q(object_type=label, object_id=pk)
    person = _person_of_record(label, pk)
    if person is None:
        return list(rows.filter(direct)[:limit])
    found = rows.filter(direct | AccessLog.showing_person_q(person))[:ROWS_SCANNED]
    keep = [
        row
        for row in found
        if label == PERSON or (row.object_type, row.object_id) == (label, pk) or int(pk) in row.records.get(label, [])
    ]
    return keep[:limit]
