"""Court dates: the victim-witness notification of advocates and caseworkers, and the
prosecution team's calendar.

An advocate or a caseworker reads only what the policy says it is told of a court date
(access.court_event_fields: when, what kind, which court and courtroom, its status) and
which of its clients the case concerns; never the defendant, the investigation, the
docket number or the prosecution's notes. The prosecution team reads every field.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from cases import access
from cases.models import CourtEvent, Prosecution

from .base import ScopedListView

HOME_DAYS = 30


def upcoming_first(qs, now):
    """Upcoming dates soonest first, then past ones, latest first."""
    return qs.annotate(
        is_past=Case(When(scheduled_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        upcoming_at=Case(When(scheduled_at__gte=now, then=F("scheduled_at"))),
    ).order_by("is_past", "upcoming_at", "-scheduled_at", "-pk")


def court_rows(user, events) -> list[dict]:
    """Each court date as the user may read it: the fields it is told, and its clients."""
    events = list(events)
    fields = access.court_event_fields(user)
    full = fields is None
    prosecution_ids = {e.prosecution_id for e in events}
    clients = access.court_event_clients(user, prosecution_ids)
    # The prosecution team's rows link to the prosecution, each only if the user may see it.
    linked = set()
    if full and prosecution_ids:
        every = access.sees_every_row(user, Prosecution)
        linked = prosecution_ids if every else access.visible_ids(user, Prosecution, prosecution_ids)
    rows = []
    for event in events:
        row = {name: getattr(event, name) for name in fields or access.COURT_EVENT_NOTICE_FIELDS}
        row["kind_label"] = event.get_kind_display()
        row["status_label"] = event.get_status_display()
        row["clients"] = clients.get(event.prosecution_id, [])
        if full and event.prosecution_id in linked:
            prosecution = event.prosecution
            row.update(
                prosecution_id=prosecution.pk,
                prosecution_reference=prosecution.reference,
                docket_number=prosecution.docket_number,
                notes=event.notes,
            )
        rows.append(row)
    return rows


def home_court_dates(user) -> dict:
    """The court dates of the next HOME_DAYS days, for the home page."""
    now = timezone.now()
    events = (
        CourtEvent.objects.visible_to(user)
        .filter(scheduled_at__gte=now, scheduled_at__lte=now + timedelta(days=HOME_DAYS))
        .order_by("scheduled_at", "pk")
    )
    if access.court_event_fields(user) is None:
        events = events.select_related("prosecution")
    return {"court_dates": court_rows(user, events[:20]), "court_days": HOME_DAYS}


class CourtEventListView(ScopedListView):
    """Every court date the user may see: upcoming first, then past ones."""

    model = CourtEvent
    template_name = "cases/court_dates/list.html"
    nav_section = "court_event"

    def get_queryset(self):
        self.now = timezone.now()
        qs = super().get_queryset()
        if access.court_event_fields(self.request.user) is None:
            qs = qs.select_related("prosecution")
        return upcoming_first(qs, self.now)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = court_rows(self.request.user, context["object_list"])
        context["upcoming"] = [r for r in rows if r["scheduled_at"] >= self.now]
        context["past"] = [r for r in rows if r["scheduled_at"] < self.now]
        context["full_fields"] = access.court_event_fields(self.request.user) is None
        return context
