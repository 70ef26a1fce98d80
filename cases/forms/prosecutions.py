"""Forms of prosecutions: filing one, its counts (statute, disposition, sentence) and court dates."""

from __future__ import annotations

from django import forms
from django.db.models import Max

from agencies.models import Agency, AgencyKind
from agencies.roles import membership_of
from cases import access
from cases.models import Count, CourtEvent, CourtEventStatus, Person, Prosecution, Statute
from cases.models.prosecutions import Jurisdiction

from .base import DateInput, DateTimeInput, ScopedModelForm


class ProsecutionForm(ScopedModelForm):
    defendant = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        empty_label="- Choose the defendant -",
        help_text="One of the investigation's people; added to it as a suspect if not one yet.",
    )

    class Meta:
        model = Prosecution
        fields = [
            "defendant",
            "prosecuting_agency",
            "court_jurisdiction",
            "court",
            "docket_number",
            "filed_on",
            "notes",
        ]
        labels = {"court_jurisdiction": "State or federal court", "filed_on": "Filed on"}
        widgets = {"filed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        self.investigation = investigation
        people = self.fields["defendant"].queryset.filter(investigation_roles__investigation=investigation).distinct()
        self.fields["defendant"].queryset = people.order_by("reference")
        self.fields["defendant"].label_from_instance = lambda p: " — ".join(filter(None, [p.reference, p.legal_name]))
        self.fields["court_jurisdiction"].choices = [("", "- Choose -"), *Jurisdiction.choices]
        referred = investigation.agencies.filter(role="prosecution").values("agency_id")
        agencies = self.fields["prosecuting_agency"].queryset.filter(kind=AgencyKind.PROSECUTOR, active=True)
        if access.can(self.user, "operation.choose_lead"):
            # The coordinator files for a prosecutor's office the investigation was referred to
            # (any, when it was referred to none: the office is then referred on filing).
            if investigation.agencies.filter(role="prosecution").exists():
                agencies = agencies.filter(id__in=referred)
        else:
            membership = membership_of(self.user)
            agencies = agencies.filter(pk=membership.agency_id if membership else None)
        self.fields["prosecuting_agency"].queryset = agencies.order_by("name")
        self.fields["prosecuting_agency"].empty_label = None if agencies.count() == 1 else "- Choose -"
        if self.instance.pk:
            # Who is charged, by whom and in which investigation does not change: void and file again.
            for name in ("defendant", "prosecuting_agency"):
                self.fields[name].disabled = True

    def clean_prosecuting_agency(self):
        agency: Agency = self.cleaned_data["prosecuting_agency"]
        if agency.kind != AgencyKind.PROSECUTOR:
            raise forms.ValidationError("Choose a prosecutor's office.")
        return agency


def statute_choices():
    """The catalogue, grouped state/federal, trafficking offences marked."""
    groups = []
    for value, label in Jurisdiction.choices:
        rows = Statute.objects.filter(jurisdiction=value, active=True).order_by("citation")
        options = [
            (s.pk, f"{s.citation} {s.name}" + (" — trafficking offence" if s.is_trafficking else "")) for s in rows
        ]
        if options:
            groups.append((label, options))
    return [("", "- Choose the statute -"), *groups]


class CountForm(ScopedModelForm):
    class Meta:
        model = Count
        fields = [
            "number",
            "statute",
            "disposition",
            "disposition_on",
            "custody_months",
            "probation_months",
            "restitution",
        ]
        labels = {
            "number": "Count number",
            "disposition_on": "Date of the disposition",
            "custody_months": "Custody (months)",
            "probation_months": "Probation (months)",
            "restitution": "Restitution (US$)",
        }
        help_texts = {
            "disposition_on": "Leave empty while the count is pending.",
            "probation_months": "",
        }
        widgets = {"disposition_on": DateInput()}

    SENTENCE_FIELDS = ("custody_months", "probation_months", "restitution")

    def __init__(self, *args, prosecution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statute"].choices = statute_choices()
        if not self.instance.pk and not self.is_bound:
            last = prosecution.counts.aggregate(n=Max("number"))["n"] or 0
            self.fields["number"].initial = last + 1
        for name in self.SENTENCE_FIELDS:
            self.fields[name].widget.attrs["data-sentence"] = ""

    def sentence_fields(self):
        return [self[name] for name in self.SENTENCE_FIELDS]

    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.SENTENCE_FIELDS]


class CourtEventForm(ScopedModelForm):
    class Meta:
        model = CourtEvent
        fields = ["kind", "scheduled_at", "court", "courtroom", "status", "notes"]
        labels = {"scheduled_at": "Date and time", "kind": "Kind of court date"}
        widgets = {"scheduled_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "- Choose -"), *list(self.fields["kind"].choices)[1:]]
        if not self.instance.pk:
            del self.fields["status"]  # a new court date is scheduled


class CourtEventStatusForm(ScopedModelForm):
    """What became of a court date: held, continued (postponed) or cancelled."""

    class Meta:
        model = CourtEvent
        fields = ["status", "notes"]
        widgets = {"status": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"status": "What happened", "notes": "Notes"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in CourtEventStatus.choices if c[0] != CourtEventStatus.SCHEDULED]
        if self.instance.status == CourtEventStatus.SCHEDULED and not self.is_bound:
            self.initial["status"] = None
        self.fields["status"].error_messages["required"] = "Choose what happened to the court date."
