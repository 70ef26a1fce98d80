"""Forms of investigations: open and edit one, its agencies, people, operations and arrests."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from agencies.roles import membership_of
from cases import access
from cases.models import Detention, Investigation, InvestigationPersonRole, Operation, Person
from cases.models.investigations import ClosingReason

from .base import DateInput, ScopedForm, ScopedModelForm
from .operations import LEAD_KINDS


class InvestigationForm(ScopedModelForm):
    class Meta:
        model = Investigation
        fields = ["title", "reference", "trafficking_type", "opened_on", "lead_agency", "summary"]
        labels = {
            "opened_on": "Opened on",
            "summary": "Investigative summary",
            "trafficking_type": "Type of trafficking",
        }
        help_texts = {"title": "A short name the team will know it by, for example “Riverside motel ring”."}
        widgets = {"opened_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].required = False
        if self.instance.pk:
            self.fields["reference"].disabled = True
            self.fields["reference"].help_text = "The reference cannot change once given."
        if access.can(self.user, "operation.choose_lead"):
            self.fields["lead_agency"].queryset = self.fields["lead_agency"].queryset.filter(
                active=True, kind__in=LEAD_KINDS
            )
            self.fields["lead_agency"].help_text = "The agency leading the investigation."
            membership = membership_of(self.user)
            if not self.instance.pk and membership is not None and not self.is_bound:
                self.fields["lead_agency"].initial = membership.agency_id
        else:
            # The lead is the opener's agency; only the coordinator chooses another.
            del self.fields["lead_agency"]


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} ({agency.short_name})"


class AgencyChoiceForm(ScopedForm):
    """One agency to add to an investigation (those already in it are not offered)."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), empty_label="- Choose an agency -")

    #: Which kinds of agency are offered (None: every active agency).
    kinds: tuple[str, ...] | None = None

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        offered = self.fields["agency"].queryset.filter(active=True).order_by("name")
        if self.kinds:
            offered = offered.filter(kind__in=self.kinds)
        self.fields["agency"].queryset = offered.exclude(id__in=self.taken(investigation))
        self.fields["agency"].label_from_instance = _agency_label

    def taken(self, investigation):
        return investigation.agencies.values("agency_id")


class AddAgencyForm(AgencyChoiceForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        empty_label="- Choose an agency -",
        label="Agency taking part",
        help_text="Its officers will see the investigation and what is recorded in it.",
    )


class ReferForm(AgencyChoiceForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        empty_label="- Choose a prosecutor's office -",
        label="Prosecutor's office",
        help_text="Its prosecutors will see the investigation, its people and arrests, and can file charges.",
        error_messages={"required": "Choose the prosecutor's office to refer the investigation to."},
    )
    kinds = (AgencyKind.PROSECUTOR,)

    def taken(self, investigation):
        # A participating prosecutor may still be referred; the lead and those referred may not.
        return investigation.agencies.exclude(role="participant").values("agency_id")


class CloseForm(ScopedForm):
    reason = forms.ChoiceField(
        choices=[("", "- Choose the reason -"), *ClosingReason.choices],
        label="Why does it close?",
        error_messages={"required": "Choose why the investigation closes."},
    )
    note = forms.CharField(
        required=False,
        label="More about why",
        help_text="Needed when the reason is “Other”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    closed_on = forms.DateField(label="Closed on", widget=DateInput(), initial=timezone.localdate)

    def clean(self):
        data = super().clean()
        if data.get("reason") == ClosingReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the investigation closes.")
        return data


class EmptyForm(ScopedForm):
    """A confirmation with nothing to fill in."""


class AddPersonForm(ScopedForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        widget=forms.RadioSelect,
        label="Person",
        error_messages={"required": "Choose the person from the search results."},
    )
    role = forms.ChoiceField(
        choices=[("", "- Choose the role -"), *InvestigationPersonRole.choices],
        label="Role in the investigation",
        error_messages={"required": "Choose the person's role in the investigation."},
    )
    note = forms.CharField(required=False, label="Note", help_text="Optional, for the investigation team.")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the people the search found (each one the user may see: ScopedForm scoped them).
        self.fields["person"].queryset = self.fields["person"].queryset.filter(pk__in=[p.pk for p in people])
        self.fields["person"].label_from_instance = lambda p: " — ".join(filter(None, [p.reference, p.legal_name]))


class LinkOperationsForm(ScopedForm):
    operations = forms.ModelMultipleChoiceField(
        queryset=Operation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Operations it came from",
        error_messages={"required": "Tick at least one operation to link."},
    )

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["operations"]
        field.queryset = (
            field.queryset.exclude(id__in=investigation.operations.values("id"))
            .filter(voided_at__isnull=True)
            .order_by("-starts_at", "-pk")
        )
        field.label_from_instance = lambda op: f"{op.code} {op.name} ({timezone.localtime(op.starts_at):%b %Y})"


class LinkDetentionForm(ScopedForm):
    detention = forms.ModelChoiceField(
        queryset=Detention.objects.all(),
        label="Arrest or detention",
        empty_label="- Choose an arrest or detention -",
        error_messages={"required": "Choose the arrest or detention to link."},
    )

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["detention"]
        field.queryset = (
            field.queryset.filter(voided_at__isnull=True)
            .exclude(investigation=investigation)
            .select_related("person", "agency")
            .order_by("-detained_at", "-pk")
        )
        field.label_from_instance = lambda d: (
            f"{d.person.reference}, {timezone.localtime(d.detained_at):%d %b %Y} by {d.agency.short_name} "
            f"({d.get_outcome_display().lower()})"
        )
