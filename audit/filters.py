"""Filters of the audit viewer: by user, agency, object, action and date."""

from __future__ import annotations

import django_filters
from django import forms

from agencies.models import Agency

from .models import AccessLog, Action


def _agencies(request):
    if request is None:
        return Agency.objects.none()
    return Agency.objects.visible_to(request.user)


class _DateRange(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        label="From", method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(label="To", method="filter_to", widget=forms.DateInput(attrs={"type": "date"}))
    date_field = "at"

    def filter_from(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__date__gte": value})

    def filter_to(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__date__lte": value})


class AccessLogFilterSet(_DateRange):
    username = django_filters.CharFilter(label="User name", field_name="username", lookup_expr="icontains")
    agency = django_filters.ModelChoiceFilter(label="Agency", queryset=_agencies)
    action = django_filters.ChoiceFilter(label="Action", choices=Action.choices)
    object_type = django_filters.CharFilter(label="Kind of record", help_text='For example "cases.person".')
    object_id = django_filters.CharFilter(label="Record id")
    person = django_filters.NumberFilter(
        label="Person id", method="filter_person", help_text="Every page, list and record that showed this person."
    )

    class Meta:
        model = AccessLog
        fields = ["username", "agency", "action", "object_type", "object_id", "person", "date_from", "date_to"]

    def filter_person(self, qs, name, value):
        return qs.filter(AccessLog.showing_person_q(value))


CHANGE_TYPES = [("+", "Created"), ("~", "Changed"), ("-", "Deleted")]


class ChangeFilterSet(_DateRange):
    """Filters one historical model; the view applies it to each when no model is chosen."""

    date_field = "history_date"
    username = django_filters.CharFilter(
        label="User name", field_name="history_user__username", lookup_expr="icontains"
    )
    agency = django_filters.ModelChoiceFilter(label="Agency", field_name="history_agency", queryset=_agencies)
    history_type = django_filters.ChoiceFilter(label="Change", choices=CHANGE_TYPES)
    object_id = django_filters.NumberFilter(label="Record id", field_name="id")
