"""Forms of the referral workflow: the referral with its consent step, each
workflow step that needs an answer, and service offers recorded under a referral."""

from __future__ import annotations

from django import forms

from agencies.models import AgencyKind
from cases import access
from cases.models import ConsentType, OfferResponse, Referral, ReferralClosure, ServiceOffer

from .base import DateInput, DateTimeInput, ScopedForm, ScopedModelForm

# Agencies a person can be referred to: partners that give services, not investigators.
RECEIVING_KINDS = (
    AgencyKind.VICTIM_SERVICES,
    AgencyKind.HEALTH,
    AgencyKind.LEGAL_AID,
    AgencyKind.CHILD_WELFARE,
    AgencyKind.OTHER,
)


class ReferralForm(ScopedModelForm):
    """Who the person is referred to, for what, and the person's consent.

    The override field only exists for users allowed to override consent.
    """

    override_reason = forms.CharField(
        label="Reason for sending without consent",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when the person has not consented and the referral must still go. Your name is recorded.",
    )

    class Meta:
        model = Referral
        fields = ["to_agency", "service_types", "reason", "consent", "consent_date"]
        labels = {
            "to_agency": "Refer to",
            "service_types": "Services asked for",
            "reason": "Reason for the referral",
            "consent": "The person's consent",
            "consent_date": "Date of consent",
        }
        help_texts = {
            "consent_date": "Needed for written or verbal consent.",
        }
        widgets = {
            "service_types": forms.CheckboxSelectMultiple,
            "consent": forms.RadioSelect,
            "consent_date": DateInput,
            "reason": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, from_agency=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.from_agency = from_agency
        agencies = self.fields["to_agency"].queryset.filter(active=True, kind__in=RECEIVING_KINDS)
        if from_agency is not None:
            agencies = agencies.exclude(pk=from_agency.pk)
        self.fields["to_agency"].queryset = agencies
        self.fields["to_agency"].empty_label = "- Choose an agency -"
        self.fields["service_types"].queryset = self.fields["service_types"].queryset.filter(active=True)
        self.fields["consent"].choices = list(ConsentType.choices)
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = "Record whether the person consented."
        if not access.can(user, "referral.override_consent"):
            del self.fields["override_reason"]

    @property
    def may_override(self) -> bool:
        return "override_reason" in self.fields

    def clean(self):
        data = super().clean()
        consent = data.get("consent")
        if consent in (ConsentType.WRITTEN, ConsentType.VERBAL) and not data.get("consent_date"):
            self.add_error("consent_date", "Give the date the person consented.")
        return data


class ReasonForm(ScopedForm):
    """A workflow step that needs a reason: decline or revoke."""

    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, label="Reason", help_text="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = f"{label} is required."
        self._style_fields()


class CloseReferralForm(ScopedForm):
    closure = forms.ChoiceField(
        label="How the referral ended",
        choices=ReferralClosure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the referral ended."},
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StepNoteForm(ScopedForm):
    """A step that needs nothing but may carry a note (acknowledge, accept, start service)."""

    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralOfferForm(ScopedModelForm):
    """A service offered under a referral by the receiving agency."""

    class Meta:
        model = ServiceOffer
        fields = ["service_type", "response", "offered_at", "delivered_at", "notes"]
        labels = {
            "service_type": "Service",
            "response": "The person's answer",
            "offered_at": "Offered at",
            "delivered_at": "Delivered at",
        }
        help_texts = {"delivered_at": "Fill in once the service has actually been given (only for accepted offers)."}
        widgets = {
            "offered_at": DateTimeInput,
            "delivered_at": DateTimeInput,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "response": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["service_type"].empty_label = "- Choose a service -"
        self.fields["response"].choices = list(OfferResponse.choices)


class OfferDeliveryForm(ScopedModelForm):
    """Record the answer and the delivery of an offer already made."""

    class Meta:
        model = ServiceOffer
        fields = ["response", "delivered_at", "notes"]
        labels = {"response": "The person's answer", "delivered_at": "Delivered at"}
        widgets = {
            "delivered_at": DateTimeInput,
            "notes": forms.Textarea(attrs={"rows": 2}),
            "response": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["response"].choices = list(OfferResponse.choices)
