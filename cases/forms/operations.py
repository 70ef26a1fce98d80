"""Forms for planning and running operations."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from agencies.roles import membership_of
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
            membership = membership_of(self.user)
            if not self.instance.pk and membership is not None and not self.is_bound:
                # The planner's own agency, when it can lead: the usual case, one choice fewer.
                if self.fields["lead_agency"].queryset.filter(pk=membership.agency_id).exists():
                    self.fields["lead_agency"].initial = membership.agency_id
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


# The role an agency usually has in an operation, from its kind (the planner may change it).
ROLE_FOR_KIND = {
    AgencyKind.VICTIM_SERVICES: ParticipationRole.VICTIM_SERVICES,
    AgencyKind.HEALTH: ParticipationRole.VICTIM_SERVICES,
    AgencyKind.LEGAL_AID: ParticipationRole.VICTIM_SERVICES,
    AgencyKind.CHILD_WELFARE: ParticipationRole.CHILD_WELFARE,
    AgencyKind.PROSECUTOR: ParticipationRole.PROSECUTION,
}
ROLE_CHOICES = [c for c in ParticipationRole.choices if c[0] != ParticipationRole.LEAD]


class AddAgenciesForm(ScopedForm):
    """Several agencies at once, each with its role and staff count.

    Fields: `agencies` (the ones ticked) and, per agency offered, `role_<id>` and
    `staff_<id>`; only the ticked agencies' role and staff count are read.
    """

    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Agencies taking part",
        error_messages={"required": "Tick at least one agency to add."},
    )

    def __init__(self, *args, operation, **kwargs):
        self.operation = operation
        super().__init__(*args, **kwargs)
        taking_part = operation.participations.values("agency_id")
        offered = self.fields["agencies"].queryset.filter(active=True).exclude(id__in=taking_part).order_by("name")
        self.fields["agencies"].queryset = offered
        self.offered = list(offered)
        for agency in self.offered:
            self.fields[f"role_{agency.pk}"] = forms.ChoiceField(
                choices=ROLE_CHOICES,
                initial=ROLE_FOR_KIND.get(agency.kind, ParticipationRole.SUPPORT),
                label=f"Role of {agency.name}",
                required=False,
            )
            self.fields[f"staff_{agency.pk}"] = forms.IntegerField(
                min_value=0,
                max_value=5_000,
                required=False,
                label=f"Staff from {agency.name}",
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self._style_fields()

    def rows(self) -> list[dict]:
        """Per agency offered: the agency, its checkbox state, its role and staff fields."""
        chosen = {str(v) for v in (self.data.getlist("agencies") if self.is_bound else [])}
        return [
            {
                "agency": agency,
                "checked": str(agency.pk) in chosen,
                "role": self[f"role_{agency.pk}"],
                "staff": self[f"staff_{agency.pk}"],
            }
            for agency in self.offered
        ]

    def participations(self) -> list[Participation]:
        data = self.cleaned_data
        return [
            Participation(
                agency=agency,
                role=data.get(f"role_{agency.pk}") or ROLE_FOR_KIND.get(agency.kind, ParticipationRole.SUPPORT),
                staff_count=data.get(f"staff_{agency.pk}"),
            )
            for agency in data["agencies"]
        ]


class CopyAgenciesForm(ScopedForm):
    source = forms.ModelChoiceField(
        queryset=Operation.objects.all(),
        label="Earlier operation",
        help_text="Its agencies are added with the same role and staff count; those already taking part are skipped.",
        empty_label="Choose an operation",
    )

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        # Operations the planner sees (scoped by ScopedForm), newest first, not this one.
        self.fields["source"].queryset = (
            self.fields["source"].queryset.exclude(pk=operation.pk).select_related(None).order_by("-starts_at", "-pk")
        )
        self.fields["source"].label_from_instance = lambda op: (
            f"{op.code} {op.name} ({timezone.localtime(op.starts_at):%b %Y})"
        )


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


__all__ = [
    "AddAgenciesForm",
    "Agency",
    "CopyAgenciesForm",
    "LocationForm",
    "MoveOperationForm",
    "OperationForm",
    "ParticipationForm",
    "RemoveReasonForm",
]
