"""Forms of the edit pages: the reason for a late change, and the record forms they reuse."""

from __future__ import annotations

from django import forms

from cases.actions import REASON_MAX, REASON_NEEDED
from cases.models import Location, Operation, Person

from .base import ScopedForm
from .contacts import ContactForm, NewPersonForm
from .referrals import ReferralOfferForm


class ChangeReasonForm(ScopedForm):
    """Why the record is changed: required once the record is more than a day old."""

    reason = forms.CharField(
        label="Reason for the change",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX}),
        error_messages={"max_length": f"Keep the reason to {REASON_MAX} characters or fewer."},
    )

    def __init__(self, *args, required: bool, **kwargs):
        kwargs.setdefault("prefix", "change")
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = required
        if required:
            field.help_text = (
                "This record was made more than 24 hours ago: say why it changes, for example "
                "“wrong date of birth typed at the scene”. The reason is kept in the record's history."
            )
            field.error_messages["required"] = REASON_NEEDED
        else:
            field.label = "Reason for the change (optional)"
            field.help_text = "Not needed within 24 hours of recording; if given, it is kept in the record's history."
        self._style_fields()


class PersonEditForm(NewPersonForm):
    """Every detail of a person staff may correct (the reference and minor flag stay)."""

    class Meta(NewPersonForm.Meta):
        model = Person
        fields = [*NewPersonForm.Meta.fields, "phone", "email", "safe_contact_notes"]
        widgets = {**NewPersonForm.Meta.widgets, "safe_contact_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", None)
        super().__init__(*args, **kwargs)
        # Keep a factor the catalogue has since retired, rather than drop it silently.
        if self.instance.pk:
            self.fields["vulnerabilities"].queryset = (
                self.fields["vulnerabilities"].queryset | self.instance.vulnerabilities.all()
            ).distinct()


class ContactEditForm(ContactForm):
    """The full contact form, on a contact already recorded.

    Its operation stays on offer even when closed, so saving other details does not
    move the contact; moving it to another operation needs the right to record there
    (checked by the view).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.operation_id:
            current = Operation.objects.visible_to(self.user).filter(pk=instance.operation_id)
            if not current.exists():
                # Made by the user's agency in an operation it no longer takes part in: the
                # operation is not named here, and where it happened stays as it was.
                for name in ("operation", "location", "place"):
                    del self.fields[name]
                return
            self.fields["operation"].queryset = (self.fields["operation"].queryset | current).distinct()
            here = Location.objects.visible_to(self.user).filter(operation_id=instance.operation_id)
            self.fields["location"].queryset = (self.fields["location"].queryset | here).distinct()
        if instance.pk:
            self.fields["indicators"].queryset = (
                self.fields["indicators"].queryset | instance.indicators.all()
            ).distinct()


class OfferEditForm(ReferralOfferForm):
    """The whole of a service offer: service, time, answer, delivery, provider."""

    class Meta(ReferralOfferForm.Meta):
        fields = ["service_type", "offered_at", "response", "delivered_at", "provider", "notes"]
        labels = {**ReferralOfferForm.Meta.labels, "provider": "Provided by"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["provider"].empty_label = "- The offering agency -"
        self.fields["provider"].queryset = self.fields["provider"].queryset.filter(active=True).order_by("name")
