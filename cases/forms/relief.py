"""Forms of immigration relief: the request with the person's consent, and its steps."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from agencies.models import Agency, AgencyKind, AgencyLevel
from cases import access
from cases.models import Investigation, Person, ReliefKind, ReliefRequest
from cases.models.investigations import investigations_of
from cases.models.relief import CONTINUED_PRESENCE_DAYS

from .base import DateInput, ScopedForm, ScopedModelForm

# What each kind of relief is, in plain words (shown under each choice).
KIND_HELP = {
    ReliefKind.CONTINUED_PRESENCE: (
        "A federal law-enforcement agency asks immigration authorities to let a victim stay in the "
        "United States, and work, while the case goes on. It lasts one year and can be renewed. "
        "Only a federal agency (such as the FBI or HSI) can request it."
    ),
    ReliefKind.T_VISA: (
        "A law-enforcement agency signs a statement that the person is a victim of trafficking and "
        "has helped, or could not help, the investigation. The person sends it with their own T-visa "
        "application. Any law-enforcement agency can sign it."
    ),
    ReliefKind.U_VISA: (
        "A law-enforcement agency certifies that the person was the victim of a qualifying crime and "
        "has been, is, or is likely to be helpful to the investigation. The person sends it with their "
        "own U-visa application. Any law-enforcement agency can sign it."
    ),
}
# Agencies that ask for relief on a person's behalf.
ASKING_KINDS = (AgencyKind.VICTIM_SERVICES, AgencyKind.LEGAL_AID, AgencyKind.OTHER)


def asked_agencies():
    return Agency.objects.filter(active=True, kind=AgencyKind.LAW_ENFORCEMENT).order_by("short_name")


class ReliefRequestForm(ScopedModelForm):
    """Who is asked for which relief, and the person's consent.

    Started from the list, it asks for the person by reference (looked up among the people the
    user may see); for the coordinator, also which agency asks.
    """

    person_reference = forms.CharField(
        label="Person",
        max_length=12,
        help_text="The person's reference, as on their page, for example P-000034.",
    )

    class Meta:
        model = ReliefRequest
        fields = [
            "requested_by_agency",
            "kind",
            "requested_of_agency",
            "investigation",
            "consent",
            "consent_date",
            "requested_on",
            "notes",
        ]
        labels = {
            "requested_by_agency": "Agency asking",
            "kind": "What is asked for",
            "requested_of_agency": "Law-enforcement agency asked",
            "investigation": "Investigation (optional)",
            "consent": "The person's consent",
            "consent_date": "Date of consent",
            "requested_on": "Date of the request",
            "notes": "Notes for the agency asked (optional)",
        }
        help_texts = {
            "requested_of_agency": "Continued Presence can only be requested by a federal agency.",
            "consent": "The person must agree to the request, in writing or aloud.",
            "requested_on": "Law enforcement is asked to answer within 30 days of this date.",
            "investigation": "Only investigations the person is in are offered.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "consent": forms.RadioSelect,
            "consent_date": DateInput,
            "requested_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, person: Person | None = None, asking_agency=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.person = person
        if person is not None or self.instance.pk:
            del self.fields["person_reference"]
        if asking_agency is not None or self.instance.pk:
            del self.fields["requested_by_agency"]
        else:
            field = self.fields["requested_by_agency"]
            field.queryset = field.queryset.filter(active=True, kind__in=ASKING_KINDS).order_by("short_name")
            field.empty_label = "- Choose the agency asking -"
        if not access.sees_investigations(user):
            del self.fields["investigation"]
        else:
            self._offer_investigations(person or (self.instance.person if self.instance.person_id else None))
        self.fields["kind"].choices = list(ReliefKind.choices)
        self.fields["consent"].error_messages["required"] = "Record the person's consent: written or verbal."
        self.fields["consent_date"].error_messages["required"] = "Give the date the person consented."
        agency = self.fields["requested_of_agency"]
        agency.queryset = asked_agencies().visible_to(user)
        agency.error_messages["required"] = "Choose the law-enforcement agency asked."
        self.fields["kind"].error_messages["required"] = "Choose what is asked for."

    def _offer_investigations(self, person: Person | None) -> None:
        """Only investigations the person is in (those the user sees: the field is scoped already)."""
        field = self.fields["investigation"]
        field.empty_label = "- Not linked to an investigation -"
        field.error_messages["invalid_choice"] = (
            "Choose an investigation the person is in, among those you can see, or leave it empty."
        )
        if person is not None:
            field.queryset = investigations_of(field.queryset, person)

    def kind_choices(self) -> list[dict]:
        """The kinds with their explanation, for the template."""
        chosen = self["kind"].value()
        return [
            {"value": value, "label": label, "help": KIND_HELP[value], "checked": value == chosen}
            for value, label in ReliefKind.choices
        ]

    def agency_groups(self) -> list[tuple[str, bool, list[tuple[int, str, bool]]]]:
        """(group label, federal?, [(id, name, selected)]) for the agency select."""
        chosen = str(self["requested_of_agency"].value() or "")
        groups = {True: [], False: []}
        for agency in self.fields["requested_of_agency"].queryset:
            federal = agency.level == AgencyLevel.FEDERAL
            groups[federal].append((agency.pk, agency.name, str(agency.pk) == chosen))
        return [
            ("Federal law enforcement", True, groups[True]),
            ("State and local law enforcement", False, groups[False]),
        ]

    def clean_person_reference(self):
        reference = self.cleaned_data["person_reference"].strip().upper()
        person = Person.objects.visible_to(self.user).filter(reference=reference).first()
        if person is None:
            raise forms.ValidationError(
                "No person with this reference among the people you may see. Check the reference on their page."
            )
        self.person = person
        return reference

    def clean(self):
        data = super().clean()
        investigation = data.get("investigation")
        # Started from the list, the person is known only now: the choice is checked against them.
        if (
            investigation
            and self.person is not None
            and not investigations_of(Investigation.objects.filter(pk=investigation.pk), self.person).exists()
        ):
            self.add_error(
                "investigation",
                f"{self.person.reference} is not in {investigation.reference}. "
                "Choose an investigation the person is in, or leave it empty.",
            )
        agency = data.get("requested_of_agency")
        if data.get("kind") == ReliefKind.CONTINUED_PRESENCE and agency and agency.level != AgencyLevel.FEDERAL:
            self.add_error(
                "requested_of_agency", "Continued Presence is requested by a federal law-enforcement agency."
            )
        return data


class ReliefStepForm(ScopedForm):
    """One step of a relief request: its date, and a note, a reason or an expiry date."""

    on = forms.DateField(
        label="Date of this step",
        widget=DateInput,
        help_text="Today, unless you are recording a step taken earlier.",
        error_messages={"required": "Give the date of this step."},
    )
    expires_on = forms.DateField(
        label="Runs out on",
        widget=DateInput,
        required=False,
        help_text="When the relief granted ends, if it does.",
    )
    reason = forms.CharField(
        label="Reason for declining",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The agency that asked sees this reason.",
        error_messages={"required": "Give a reason for declining the request."},
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, step: str, request: ReliefRequest, **kwargs):
        today = timezone.localdate()
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("on", today)
        if step == "grant" and request.kind == ReliefKind.CONTINUED_PRESENCE:
            initial.setdefault("expires_on", today + timedelta(days=CONTINUED_PRESENCE_DAYS))
        super().__init__(*args, user=user, **kwargs)
        if step != "grant":
            del self.fields["expires_on"]
        elif request.kind == ReliefKind.CONTINUED_PRESENCE:
            self.fields["expires_on"].help_text = "Continued Presence lasts one year: change it only if told otherwise."
        if step == "decline":
            del self.fields["note"]
        else:
            del self.fields["reason"]
        self._style_fields()
