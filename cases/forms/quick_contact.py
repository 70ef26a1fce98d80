"""The quick contact: what an officer records at the scene in about two phone screens.

Who (an existing person, or a new one with name, age or birth date, gender), the role,
the outcome, and each service as two toggles: offered, accepted. An offered service not
accepted was declined. Indicators, vulnerabilities, narrative and delivery are added later
from the contact's page, or at once with the full form ("More details").
"""

from __future__ import annotations

from django import forms

from cases.contact_checks import short_window_text
from cases.models import ContactOutcome, Gender, OfferResponse, Person, ServiceType

from .base import DateInput, DateTimeInput, ScopedForm, ScopedModelForm
from .contacts import ContactForm


class QuickContactForm(ContactForm):
    """Operation, place, time, role and outcome; the (not shown) indicators stay empty."""

    class Meta(ContactForm.Meta):
        fields = ["operation", "location", "occurred_at", "role", "outcome"]
        widgets = {"occurred_at": DateTimeInput(), "role": forms.RadioSelect}

    def __init__(self, *args, operation=None, **kwargs):
        super().__init__(*args, operation=operation, **kwargs)
        if operation is not None:
            self.fields["occurred_at"].help_text = f"The operation: {short_window_text(operation)}"
        outcome = self.fields["outcome"]
        outcome.required = False
        outcome.choices = [("", "Offered services, if any was offered")] + [c for c in outcome.choices if c[0]]
        outcome.help_text = ""
        self._style_fields()  # again: the hint above is new

    def settle_outcome(self, offered: bool) -> bool:
        """Fill in the outcome left empty: offered services when any was. False when it cannot be."""
        if self.cleaned_data.get("outcome"):
            return True
        if offered:
            self.instance.outcome = ContactOutcome.OFFERED_SERVICES
            return True
        self.add_error("outcome", "Choose what happened: no service was offered.")
        return False


SHORT_GENDER = {Gender.UNKNOWN: "Unknown"}


class QuickPersonForm(ScopedModelForm):
    """A person met for the first time: the few facts known at the scene, all optional."""

    class Meta:
        model = Person
        fields = ["legal_name", "estimated_age", "date_of_birth", "gender"]
        labels = {"legal_name": "Name, if given", "estimated_age": "Age (estimate)"}
        help_texts = {"estimated_age": "", "date_of_birth": ""}
        widgets = {"date_of_birth": DateInput(), "gender": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["estimated_age"].widget.attrs.update(inputmode="numeric", min="0", max="120")
        # Short labels keep the choices on two lines of a phone.
        self.fields["gender"].choices = [(c, SHORT_GENDER.get(c, label)) for c, label in Gender.choices]


class QuickOffersForm(ScopedForm):
    """Two toggles per service: offered, accepted. Accepted counts as offered."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "svc")
        super().__init__(*args, **kwargs)
        self.services = list(ServiceType.objects.visible_to(self.user).filter(active=True))
        for service in self.services:
            self.fields[f"offered_{service.pk}"] = forms.BooleanField(label="Offered", required=False)
            self.fields[f"accepted_{service.pk}"] = forms.BooleanField(label="Accepted", required=False)

    def offered(self) -> list[tuple[ServiceType, str]]:
        """(service, accepted or declined) for every service offered."""
        answers = []
        for s in self.services:
            if self.cleaned_data.get(f"accepted_{s.pk}"):
                answers.append((s, OfferResponse.ACCEPTED))
            elif self.cleaned_data.get(f"offered_{s.pk}"):
                answers.append((s, OfferResponse.DECLINED))
        return answers

    def rows(self):
        """(service, its offered field, its accepted field), in catalogue order."""
        return [(s, self[f"offered_{s.pk}"], self[f"accepted_{s.pk}"]) for s in self.services]
