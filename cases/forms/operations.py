"""Forms for planning and running operations."""

from __future__ import annotations

from django import forms

from agencies.models import Agency, AgencyKind
from cases import access
from cases.models import Location, Operation, Participation, ParticipationRole

from .base import DateTimeInput, ScopedForm, ScopedModelForm

LEAD_KINDS = (AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR, AgencyKind.TASK_FORCE)


class OperationForm(ScopedModelForm):
    class Meta:
        model = Operation
        fields = [
            "name",
            "code",
            "kind",
            "trafficking_type",
            "starts_at",
            "ends_at",
            "lead_agency",
            "summary",
            "expected_victims",
            "expected_genders",
            "expected_languages",
            "minors_expected",
            "briefing_notes",
        ]
        labels = {
            "starts_at": "Starts",
            "ends_at": "Ends",
            "summary": "Investigative summary",
            "expected_victims": "Expected number of potential victims",
            "expected_genders": "Expected genders",
            "expected_languages": "Expected languages",
            "minors_expected": "Minors are expected",
            "briefing_notes": "Briefing notes for service providers",
        }
        help_texts = {
            "ends_at": "Leave empty while the end is not known.",
            "summary": "Not shown to service providers.",
            "expected_victims": "",
            "briefing_notes": "No investigative detail: victim-service agencies read this.",
        }
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "briefing_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        if access.can(self.user, "operation.choose_lead"):
            self.fields["lead_agency"].queryset = self.fields["lead_agency"].queryset.filter(
                active=True, kind__in=LEAD_KINDS
            )
            self.fields["lead_agency"].help_text = "The agency leading the operation."
        else:
            # The lead is the creator's agency; only the coordinator chooses another.
            del self.fields["lead_agency"]
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "The code cannot change once given."


class ParticipationForm(ScopedModelForm):
    class Meta:
        model = Participation
        fields = ["agency", "role", "staff_count"]
        labels = {"staff_count": "Staff taking part"}

    def __init__(self, *args, operation, **kwargs):
        self.operation = operation
        super().__init__(*args, **kwargs)
        taking_part = operation.participations.values("agency_id")
        self.fields["agency"].queryset = self.fields["agency"].queryset.filter(active=True).exclude(id__in=taking_part)
        self.fields["role"].choices = [c for c in ParticipationRole.choices if c[0] != ParticipationRole.LEAD]


class LocationForm(ScopedModelForm):
    class Meta:
        model = Location
        fields = ["venue_name", "venue_type", "address", "city", "county", "state", "latitude", "longitude"]


class MoveOperationForm(ScopedForm):
    status = forms.CharField(widget=forms.HiddenInput)


class RemoveReasonForm(ScopedForm):
    reason = forms.CharField(
        label="Why is it being removed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the operation's history.",
    )


__all__ = ["Agency", "LocationForm", "MoveOperationForm", "OperationForm", "ParticipationForm", "RemoveReasonForm"]
