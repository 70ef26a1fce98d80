"""Forms of protective custody: recording custody and the hand-off, handing the
child over later, acknowledging receipt, and adding links to the chain of custody."""

from __future__ import annotations

from django import forms

from agencies.models import AgencyKind
from cases import access
from cases.models import CustodyEventKind, CustodyHandoff

from .base import DateTimeInput, ScopedForm, ScopedModelForm


def caseworkers(agency_ids=None):
    """Who may receive the child for these child-welfare agencies (the policy says: access.receiving_workers)."""
    return access.receiving_workers(agency_ids)


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class CustodyHandoffForm(ScopedModelForm):
    """The officer records custody and who receives the child.

    The model itself refuses an adult and a hand-off before custody began; its
    messages come back to the form's fields through full_clean.
    """

    receiving_worker = WorkerChoiceField(
        queryset=None,
        required=False,
        label="Receiving caseworker",
        help_text="Leave empty if not known yet; the caseworker who acknowledges receipt is recorded.",
    )

    class Meta:
        model = CustodyHandoff
        fields = ["taken_at", "place", "reason", "receiving_agency", "receiving_worker", "handed_over_at"]
        labels = {
            "taken_at": "Taken into custody at",
            "place": "Where custody began",
            "reason": "Reason for protective custody",
            "receiving_agency": "Child-welfare agency receiving the child",
            "handed_over_at": "Handed over at",
        }
        help_texts = {
            "handed_over_at": "Leave empty if the child has not been handed over yet; record it later.",
            "receiving_agency": "",
            "reason": "",
        }
        widgets = {
            "taken_at": DateTimeInput,
            "handed_over_at": DateTimeInput,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        agencies = self.fields["receiving_agency"].queryset.filter(kind=AgencyKind.CHILD_WELFARE, active=True)
        self.fields["receiving_agency"].queryset = agencies
        self.fields["receiving_agency"].empty_label = "- Choose an agency -"
        self.fields["receiving_worker"].queryset = caseworkers(agencies.values("id"))
        self.fields["receiving_worker"].empty_label = "- Not known yet -"

    def clean(self):
        data = super().clean()
        worker, agency = data.get("receiving_worker"), data.get("receiving_agency")
        if worker and agency and not caseworkers([agency.pk]).filter(pk=worker.pk).exists():
            self.add_error("receiving_worker", "This caseworker does not work for the agency chosen.")
        return data


class HandOverForm(ScopedForm):
    at = forms.DateTimeField(
        label="Handed over at",
        widget=DateTimeInput,
        error_messages={"required": "Give the time the child was handed over."},
    )
    worker = WorkerChoiceField(queryset=None, required=False, label="Receiving caseworker")

    def __init__(self, *args, user, handoff: CustodyHandoff, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.handoff = handoff
        self.fields["worker"].queryset = caseworkers([handoff.receiving_agency_id])
        self.fields["worker"].empty_label = "- Not known yet -"

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at < self.handoff.taken_at:
            raise forms.ValidationError("The hand-off cannot be before the child was taken into custody.")
        return at


class AcknowledgeCustodyForm(ScopedForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example where the child was placed.",
    )


# Events staff add by hand; taking, handing over and acknowledging have their own steps.
MANUAL_EVENT_KINDS = [
    (k, label)
    for k, label in CustodyEventKind.choices
    if k not in (CustodyEventKind.TAKEN, CustodyEventKind.HANDED_OVER, CustodyEventKind.ACKNOWLEDGED)
]


class CustodyEventForm(ScopedForm):
    kind = forms.ChoiceField(label="What happened", choices=MANUAL_EVENT_KINDS)
    at = forms.DateTimeField(label="When", widget=DateTimeInput)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, handoff: CustodyHandoff, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.handoff = handoff

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at < self.handoff.taken_at:
            raise forms.ValidationError("A custody event cannot be before custody began.")
        return at
