"""The fast contact form: who (an existing person or a new one), what happened, services offered."""

from __future__ import annotations

from django import forms

from cases.models import (
    Contact,
    Indicator,
    Location,
    OfferResponse,
    Operation,
    OperationStatus,
    Person,
    ServiceType,
    VulnerabilityFactor,
)

from .base import DateInput, DateTimeInput, ScopedForm, ScopedModelForm


class OperationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.venue_name} ({obj.operation.code})"


class ContactForm(ScopedModelForm):
    operation = OperationChoiceField(
        queryset=Operation.objects.all(),
        required=False,
        empty_label="None: a walk-in",
        help_text="Only operations your agency takes part in, and not closed.",
    )
    location = LocationChoiceField(
        queryset=Location.objects.all(), required=False, empty_label="Not at a listed location"
    )
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Trafficking indicators observed",
    )

    class Meta:
        model = Contact
        fields = ["operation", "location", "place", "occurred_at", "role", "indicators", "outcome", "narrative"]
        labels = {"occurred_at": "When", "role": "The person's role", "place": "Other place"}
        widgets = {
            "occurred_at": DateTimeInput(),
            "role": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, operation=None, **kwargs):
        super().__init__(*args, **kwargs)
        ops = self.fields["operation"].queryset.active().exclude(status=OperationStatus.CLOSED).order_by("-starts_at")
        self.fields["operation"].queryset = ops
        locations = self.fields["location"].queryset.active().select_related("operation").filter(operation__in=ops)
        if operation is not None:
            locations = locations.filter(operation=operation)
            self.fields["operation"].initial = operation.pk
        self.fields["location"].queryset = locations
        self.fields["indicators"].queryset = self.fields["indicators"].queryset.filter(active=True)
        self.fields["role"].choices = [c for c in self.fields["role"].choices if c[0]]


class NewPersonForm(ScopedModelForm):
    """A person met for the first time, created with the contact."""

    vulnerabilities = forms.ModelMultipleChoiceField(
        queryset=VulnerabilityFactor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Vulnerability factors",
    )

    class Meta:
        model = Person
        fields = [
            "legal_name",
            "aliases",
            "estimated_age",
            "date_of_birth",
            "gender",
            "citizenship",
            "languages",
            "interpreter_needed",
            "vulnerabilities",
        ]
        labels = {"legal_name": "Name, if given", "aliases": "Other names or nicknames"}
        widgets = {"aliases": forms.Textarea(attrs={"rows": 2}), "date_of_birth": DateInput()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["vulnerabilities"].queryset = self.fields["vulnerabilities"].queryset.filter(active=True)


OFFER_CHOICES = [("", "Not offered")] + [(c, label) for c, label in OfferResponse.choices]


class ServiceOffersForm(ScopedForm):
    """One radio group per service: not offered, accepted, declined or undecided."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = list(ServiceType.objects.visible_to(self.user).filter(active=True))
        for service in self.services:
            self.fields[f"service_{service.pk}"] = forms.ChoiceField(
                label=service.name,
                choices=OFFER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial="",
            )

    def offered(self) -> list[tuple[ServiceType, str]]:
        """(service, response) for every service that was offered."""
        return [
            (s, self.cleaned_data[f"service_{s.pk}"]) for s in self.services if self.cleaned_data.get(f"service_{s.pk}")
        ]

    def service_fields(self):
        return [self[f"service_{s.pk}"] for s in self.services]


class PersonSearchForm(ScopedForm):
    q = forms.CharField(label="Reference, name or alias", required=False)
    age = forms.IntegerField(label="Estimated age", required=False, min_value=0, max_value=120)
