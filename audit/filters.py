"""Filters of the audit viewer: by user, agency, record, action and date.

A record is asked for by its reference (P-000034, R-000012, H-000003, OP-2026-0002), or by
its kind and number; `object_type`, `object_id` and `person` stay as query parameters for
links from other pages, without boxes of their own in the form.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Q

from agencies.models import Agency

from . import wording
from .models import AccessLog, Action

# References that carry the record's number: no lookup, so nothing about the record is revealed.
NUMBERED_REFERENCES = {"P": "cases.person", "R": "cases.referral", "H": "cases.custodyhandoff"}
_NUMBERED = re.compile(r"^\s*([PRH])-?(\d{1,12})\s*$", re.I)
_OPERATION = re.compile(r"^\s*OP-\d{4}-\d{1,6}\s*$", re.I)
# No real-looking reference as an example: it could be one the reader may not see.
RECORD_HELP = (
    "A reference: a person's P-number, a referral's R-number, a hand-off's H-number or an operation's code "
    "(OP-year-number), or a record's number with its kind."
)
SELECT = forms.Select(attrs={"class": "usa-select"})
INPUT = forms.TextInput(attrs={"class": "usa-input"})
RECORD_INPUT = forms.TextInput(attrs={"class": "usa-input", "placeholder": "P-…, R-…, H-… or OP-…"})


def find_records(user, value: str, kind: str = "") -> list[tuple[str, int]]:
    """(kind, id) of the records a search names; operations by code only among those the user sees."""
    value = (value or "").strip()
    found = _NUMBERED.match(value)
    if found:
        return [(NUMBERED_REFERENCES[found.group(1).upper()], int(found.group(2)))]
    if value.isdigit() and kind:
        return [(kind, int(value))]
    if _OPERATION.match(value):
        from cases.models import Operation

        ids = Operation.objects.visible_to(user).filter(code__iexact=value).values_list("pk", flat=True)
        return [("cases.operation", pk) for pk in ids]
    return []


def _agencies(request):
    if request is None:
        return Agency.objects.none()
    return Agency.objects.visible_to(request.user)


class _DateRange(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        label="From", method="filter_from", widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )
    date_to = django_filters.DateFilter(
        label="To", method="filter_to", widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )
    date_field = "at"

    def filter_from(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__date__gte": value})

    def filter_to(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__date__lte": value})


def _record_kinds():
    from .policy import history_models

    return wording.kind_choices(set(history_models()) | {"cases.person", "cases.operation"})


class AccessLogFilterSet(_DateRange):
    username = django_filters.CharFilter(
        label="User name", field_name="username", lookup_expr="icontains", widget=INPUT
    )
    agency = django_filters.ModelChoiceFilter(
        label="Agency", queryset=_agencies, empty_label="Any agency", widget=SELECT
    )
    action = django_filters.ChoiceFilter(
        label="Action", choices=Action.choices, empty_label="Any action", widget=SELECT
    )
    record = django_filters.CharFilter(
        label="Record", method="filter_record", help_text=RECORD_HELP, widget=RECORD_INPUT
    )
    # Any kind a link names is taken; the form offers the kinds with a change history by name.
    object_type = django_filters.CharFilter(label="Kind of record", widget=forms.Select(attrs={"class": "usa-select"}))
    # For links from other pages (a record's trail, a person's views); no box in the form.
    object_id = django_filters.CharFilter(label="Record number", widget=forms.HiddenInput)
    person = django_filters.NumberFilter(
        label="Person number",
        method="filter_person",
        help_text="Every page, list and record that showed this person.",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = AccessLog
        fields = [
            "username",
            "agency",
            "action",
            "record",
            "object_type",
            "object_id",
            "person",
            "date_from",
            "date_to",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [("", "Any kind"), *_record_kinds()]
        chosen = self.data.get("object_type") if self.data else None
        if chosen and chosen not in dict(kinds):
            kinds.append((chosen, wording.kind_name(chosen)))
        self.form.fields["object_type"].widget.choices = kinds

    def filter_person(self, qs, name, value):
        return qs.filter(AccessLog.showing_person_q(value))

    def filter_record(self, qs, name, value):
        user = self.request.user if self.request is not None else None
        kind = self.data.get("object_type", "") if self.data else ""
        matched = Q(pk__in=[])
        for label, pk in find_records(user, value, kind):
            matched |= Q(object_type=label, object_id=str(pk))
            if label == "cases.person":
                matched |= AccessLog.showing_person_q(pk)
        return qs.filter(matched)


CHANGE_TYPES = [("+", "Created"), ("~", "Changed"), ("-", "Deleted")]


class ChangeFilterSet(_DateRange):
    """Filters one historical model; the view applies it to each when no model is chosen."""

    date_field = "history_date"
    username = django_filters.CharFilter(
        label="User name", field_name="history_user__username", lookup_expr="icontains", widget=INPUT
    )
    agency = django_filters.ModelChoiceFilter(
        label="Agency", field_name="history_agency", queryset=_agencies, empty_label="Any agency", widget=SELECT
    )
    history_type = django_filters.ChoiceFilter(
        label="Change", choices=CHANGE_TYPES, empty_label="Any change", widget=SELECT
    )
    record = django_filters.CharFilter(
        label="Record", method="filter_record", help_text=RECORD_HELP, widget=RECORD_INPUT
    )
    # For links; no box in the form.
    object_id = django_filters.NumberFilter(label="Record number", field_name="id", widget=forms.HiddenInput)

    def filter_record(self, qs, name, value):
        user = self.request.user if self.request is not None else None
        label = qs.model.instance_type._meta.label_lower
        kind = (self.data.get("model", "") if self.data else "") or label
        ids = [pk for found, pk in find_records(user, value, kind) if found == label]
        return qs.filter(id__in=ids)


# The record and who changed it first; the dates last, as on the other lists.
ChangeFilterSet.base_filters = {
    name: ChangeFilterSet.base_filters[name]
    for name in ("record", "username", "agency", "history_type", "object_id", "date_from", "date_to")
}
