"""Prosecutions with their counts, the counts themselves, and court dates.

Counts and court dates are added and changed with their prosecution's right
("prosecution.change"). Advocates and caseworkers read court dates as a notice: when,
what kind and where (cases.access.court_event_fields); they filter and sort them by
nothing else.
"""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework.exceptions import ValidationError

from cases import access
from cases.filters import COURT_EVENT_NOTICE_FILTERS, CountFilterSet, CourtEventFilterSet, ProsecutionFilterSet
from cases.models import Count, CourtEvent, Prosecution

from ..serializers.prosecutions import CountSerializer, CourtEventSerializer, ProsecutionSerializer
from .base import NOT_A_FILTER, ScopedViewSet, VoidMixin, WritableMixin

WRITABLE = ["get", "post", "put", "patch", "head", "options"]


class ProsecutionViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Prosecutions the user's agency brings, or in investigations it works on (all, for the coordinator)."""

    model = Prosecution
    serializer_class = ProsecutionSerializer
    filterset_class = ProsecutionFilterSet
    ordering_fields = ("filed_on", "court", "docket_number")
    ordering = ("-filed_on",)
    http_method_names = WRITABLE

    def get_prefetches(self):
        return [
            Prefetch("counts", queryset=access.prefetch_children(Count, self.request.user).order_by("number", "id")),
            Prefetch("court_events", queryset=CourtEvent.objects.only("pk", "prosecution_id").order_by("pk")),
        ]


class CountViewSet(WritableMixin, ScopedViewSet):
    """The counts of the prosecutions the user sees: statute, disposition and sentence."""

    model = Count
    serializer_class = CountSerializer
    filterset_class = CountFilterSet
    ordering_fields = ("number", "disposition_on", "disposition")
    ordering = ("prosecution", "number")
    http_method_names = WRITABLE


class CourtEventViewSet(WritableMixin, ScopedViewSet):
    """Court dates: the prosecution team's in full, the notice (date, kind, court) for a victim's advocate."""

    model = CourtEvent
    serializer_class = CourtEventSerializer
    filterset_class = CourtEventFilterSet
    ordering_fields = ("scheduled_at", "kind", "status")
    ordering = ("scheduled_at",)
    export_name = "court-events"
    http_method_names = WRITABLE

    def filter_queryset(self, queryset):
        if access.court_event_fields(self.request.user) is not None:
            allowed = {*COURT_EVENT_NOTICE_FILTERS, *NOT_A_FILTER}
            refused = sorted(set(self.request.query_params) - allowed)
            if refused:
                raise ValidationError({name: ["You cannot filter court dates by this."] for name in refused})
        return super().filter_queryset(queryset)

    def export_columns(self):
        columns = super().export_columns()
        allowed = access.court_event_fields(self.request.user)
        return columns if allowed is None else [c for c in columns if c == "id" or c in allowed]
