"""django-filter FilterSets, shared by the browser pages and the API.

Every choice a filter offers comes from `visible_to(request.user)`, like any dropdown.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency
from cases.models import Referral, ReferralStatus, ServiceType


def _agencies(request):
    user = getattr(request, "user", None)
    return Agency.objects.visible_to(user).filter(active=True)


def _service_types(request):
    user = getattr(request, "user", None)
    return ServiceType.objects.visible_to(user)


class ReferralFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference or person")
    status = django_filters.MultipleChoiceFilter(
        choices=ReferralStatus.choices, widget=forms.CheckboxSelectMultiple, label="Status"
    )
    to_agency = django_filters.ModelChoiceFilter(queryset=_agencies, label="Referred to", empty_label="Any agency")
    from_agency = django_filters.ModelChoiceFilter(queryset=_agencies, label="Referred by", empty_label="Any agency")
    service_type = django_filters.ModelChoiceFilter(
        field_name="service_types", queryset=_service_types, label="Service", empty_label="Any service", distinct=True
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Only overdue", widget=forms.CheckboxInput
    )
    sent_after = django_filters.DateFilter(
        field_name="sent_at", lookup_expr="date__gte", label="Sent on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sent_before = django_filters.DateFilter(
        field_name="sent_at", lookup_expr="date__lte", label="Sent on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Referral
        fields = ["q", "status", "to_agency", "from_agency", "service_type", "overdue", "sent_after", "sent_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(person__reference__iexact=value)
        upper = value.upper()
        if upper.startswith("R-") and upper[2:].isdigit():
            match |= Q(pk=int(upper[2:]))
        return queryset.filter(match)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=ReferralStatus.SENT, acknowledge_due_at__lt=timezone.now())
