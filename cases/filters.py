"""django-filter FilterSets, shared by the browser pages and the API.

Every choice a filter offers comes from `visible_to(request.user)`, like any dropdown.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agencies.models import Agency
from cases import access
from cases.forms.agency_field import AgencyField, AgencyInput
from cases.models import (
    AgeGroup,
    Charge,
    Contact,
    ContactOutcome,
    ContactRole,
    Count,
    CourtEvent,
    CourtEventKind,
    CourtEventStatus,
    CustodyHandoff,
    Detention,
    DetentionOutcome,
    Disposition,
    Gender,
    Indicator,
    Investigation,
    InvestigationAgency,
    InvestigationStatus,
    Jurisdiction,
    Location,
    OfferResponse,
    Operation,
    OperationKind,
    OperationStatus,
    Participation,
    Person,
    Prosecution,
    Referral,
    ReferralStatus,
    ReliefKind,
    ReliefRequest,
    ReliefStatus,
    ServiceOffer,
    ServiceType,
    Statute,
    TraffickingType,
)
from cases.models.relief import OPEN_RELIEF_STATUSES
from cases.people_search import born_in, forgiving_search


def filter_agencies(request):
    """The agencies a filter's agency box offers and accepts (also its suggestions)."""
    user = getattr(request, "user", None)
    return Agency.objects.visible_to(user).filter(active=True)


class AgencyFilter(django_filters.ModelChoiceFilter):
    """An agency filter: by id (links, the API) or by the name typed in the page's suggestion box."""

    field_class = AgencyField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", filter_agencies)
        kwargs.setdefault("widget", AgencyInput)
        super().__init__(*args, **kwargs)


def _service_types(request):
    user = getattr(request, "user", None)
    return ServiceType.objects.visible_to(user)


class ColumnChoicesFilter(django_filters.MultipleChoiceFilter):
    """Several choices of one column of the row itself (a status, an age group).

    Without django-filter's DISTINCT for a multiple choice: a column of the row cannot repeat
    the row, and with DISTINCT PostgreSQL gathered and de-duplicated every matching row before
    the first page (an officer's accepted offers; figures in docs/PERFORMANCE.md).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class _AnyOrSeveralField(django_filters.fields.MultipleChoiceField):
    def to_python(self, value):
        return [v for v in super().to_python(value) if v != ""]


class AnyOrSeveralFilter(ColumnChoicesFilter):
    """Several choices from the address (?status=sent&status=accepted, as the API takes them), or
    one from a page's dropdown, whose first entry ("Any status") sends an empty value: no filter."""

    field_class = _AnyOrSeveralField


def text_search(queryset, value: str, *fields: str):
    """The rows with the text typed in any of these fields; all of them when nothing is typed."""
    value = value.strip()
    if not value:
        return queryset
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": value})
    return queryset.filter(match)


def by_reference(queryset, value: str, prefix: str):
    """A record by its own reference ("R-000012": `prefix` and its id) or its person's ("P-000034")."""
    value = value.strip()
    if not value:
        return queryset
    match = Q(person__reference__iexact=value)
    upper = value.upper()
    if upper.startswith(prefix) and upper[len(prefix) :].isdigit():
        match |= Q(pk=int(upper[len(prefix) :]))
    return queryset.filter(match)


class ReferralFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference or person")
    status = AnyOrSeveralFilter(choices=ReferralStatus.choices, widget=forms.CheckboxSelectMultiple, label="Status")
    to_agency = AgencyFilter(label="Referred to")
    from_agency = AgencyFilter(label="Referred by")
    service_type = django_filters.ModelChoiceFilter(
        field_name="service_types", queryset=_service_types, label="Service", empty_label="Any service", distinct=True
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Only overdue", widget=forms.CheckboxInput)
    sent_after = django_filters.DateFilter(
        field_name="sent_at",
        lookup_expr="date__gte",
        label="Sent on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sent_before = django_filters.DateFilter(
        field_name="sent_at",
        lookup_expr="date__lte",
        label="Sent on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Referral
        fields = ["q", "status", "to_agency", "from_agency", "service_type", "overdue", "sent_after", "sent_before"]

    def search(self, queryset, name, value):
        return by_reference(queryset, value, "R-")

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=ReferralStatus.SENT, acknowledge_due_at__lt=timezone.now())


# --- operations and people (browser pages and API) ----------------------------


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


def _date_range(field: str, what: str) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """The pair "<what> on or after" / "on or before" of a date field."""
    return tuple(
        django_filters.DateFilter(
            field_name=field, lookup_expr=lookup, label=f"{what} on or {word}", widget=_date_widget()
        )
        for lookup, word in (("gte", "after"), ("lte", "before"))
    )


class OperationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Code or name")
    status = ColumnChoicesFilter(choices=OperationStatus.choices, widget=forms.CheckboxSelectMultiple, label="Status")
    kind = django_filters.ChoiceFilter(choices=OperationKind.choices, label="Kind", empty_label="Any kind")
    trafficking_type = django_filters.ChoiceFilter(
        choices=TraffickingType.choices, label="Trafficking type", empty_label="Any type"
    )
    agency = AgencyFilter(method="filter_agency", label="Lead or participating agency")
    starts_after = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="Starts on or after", widget=_date_widget()
    )
    starts_before = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label="Starts on or before", widget=_date_widget()
    )
    county = django_filters.CharFilter(method="filter_county", label="County")

    class Meta:
        model = Operation
        fields = ["q", "status", "kind", "trafficking_type", "agency", "starts_after", "starts_before", "county"]

    def search(self, queryset, name, value):
        return text_search(queryset, value, "code", "name")

    def filter_agency(self, queryset, name, agency):
        if not agency:
            return queryset
        return queryset.filter(
            Q(lead_agency=agency) | Q(id__in=Participation.objects.filter(agency=agency).values("operation_id"))
        )

    def filter_county(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Only locations the user may see: a service provider cannot probe where operations happen.
        user = getattr(self.request, "user", None)
        locations = Location.objects.visible_to(user).active().filter(county__icontains=value)
        return queryset.filter(id__in=locations.values("operation_id"))


class PersonFilterSet(django_filters.FilterSet):
    """People by reference, name or alias (forgiving: misspellings and sound-alikes, best first),
    narrowed by age or year of birth, gender and the agency that recorded them."""

    q = django_filters.CharFilter(
        method="search",
        label="Reference, name or alias",
        help_text="Spelling need not be exact: “Destny” finds Destiny, “Jesus” finds Jesús.",
    )
    age_group = ColumnChoicesFilter(choices=AgeGroup.choices, widget=forms.CheckboxSelectMultiple, label="Age group")
    # Bounded: a huge age would overflow the date arithmetic in filter_age.
    age = django_filters.NumberFilter(
        method="filter_age",
        label="Estimated age (within 3 years)",
        min_value=0,
        max_value=130,
    )
    birth_year = django_filters.NumberFilter(
        method="filter_birth_year",
        label="Year of birth (within a year for an estimated age)",
        min_value=1890,
        max_value=2100,
    )
    gender = django_filters.ChoiceFilter(
        choices=Gender.choices, method="filter_gender", label="Gender", empty_label="Any gender"
    )
    agency = AgencyFilter(method="filter_agency", label="Recorded by agency")

    class Meta:
        model = Person
        fields = ["q", "age_group", "age", "birth_year", "gender", "agency"]

    def search(self, queryset, name, value):
        # Aliases are only searched for users who may read them (not the advocates'
        # minimum view); cases.access.person_fields says which fields that is.
        user = getattr(self.request, "user", None)
        found = forgiving_search(queryset, value, aliases=access.person_fields(user) is None)
        return found.filter(merged_into__isnull=True) if value.strip() else found

    def _reads_full_records(self) -> bool:
        # The advocates' minimum view holds no birth date, gender or recording agency to narrow by.
        return access.person_fields(getattr(self.request, "user", None)) is None

    def filter_birth_year(self, queryset, name, value):
        if value is None or not self._reads_full_records():
            return queryset
        return born_in(queryset, int(value))

    def filter_gender(self, queryset, name, value):
        return queryset.filter(gender=value) if value and self._reads_full_records() else queryset

    def filter_agency(self, queryset, name, agency):
        return queryset.filter(created_by_agency=agency) if agency and self._reads_full_records() else queryset

    def filter_age(self, queryset, name, value):
        if value is None:
            return queryset
        value = int(value)
        today = timezone.localdate()
        # Born so that today's age is within three years of the one asked for.
        born_after = today - timedelta(days=round(365.25 * (value + 4)))
        born_before = today - timedelta(days=round(365.25 * max(value - 3, 0)))
        return queryset.filter(
            Q(estimated_age__gte=value - 3, estimated_age__lte=value + 3)
            | Q(date_of_birth__gt=born_after, date_of_birth__lte=born_before)
        )


# --- contacts, offers, custody, detentions, directory (API; browser welcome) ---


def _visible(model):
    """A callable queryset: the choices a filter offers are the records the user may see."""

    def choices(request):
        return model.objects.visible_to(getattr(request, "user", None))

    return choices


class AgencyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or abbreviation")
    kind = django_filters.ChoiceFilter(choices=Agency._meta.get_field("kind").choices, label="Kind")
    level = django_filters.ChoiceFilter(choices=Agency._meta.get_field("level").choices, label="Level")
    active = django_filters.BooleanFilter(label="Active")
    service_type = django_filters.ModelChoiceFilter(
        field_name="services", queryset=_service_types, label="Provides service", distinct=True
    )

    class Meta:
        model = Agency
        fields = ["q", "kind", "level", "active", "service_type"]

    def search(self, queryset, name, value):
        return text_search(queryset, value, "name", "short_name")


class ServiceTypeFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = ServiceType
        fields = ["active"]


class ContactFilterSet(django_filters.FilterSet):
    operation = django_filters.ModelChoiceFilter(queryset=_visible(Operation), label="Operation")
    walk_in = django_filters.BooleanFilter(field_name="operation", lookup_expr="isnull", label="Walk-ins only")
    person = django_filters.ModelChoiceFilter(queryset=_visible(Person), label="Person")
    agency = AgencyFilter(label="Contacting agency")
    role = ColumnChoicesFilter(choices=ContactRole.choices, label="Role")
    outcome = ColumnChoicesFilter(choices=ContactOutcome.choices, label="Outcome")
    age_group = ColumnChoicesFilter(choices=AgeGroup.choices, label="Age group on the day")
    indicator = django_filters.ModelChoiceFilter(
        field_name="indicators", queryset=_visible(Indicator), label="Indicator observed", distinct=True
    )
    occurred_after = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label="On or after")
    occurred_before = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label="On or before")
    voided = django_filters.BooleanFilter(field_name="voided_at", lookup_expr="isnull", exclude=True, label="Voided")

    class Meta:
        model = Contact
        fields = [
            "operation",
            "walk_in",
            "person",
            "agency",
            "role",
            "outcome",
            "age_group",
            "indicator",
            "occurred_after",
            "occurred_before",
            "voided",
        ]


class ServiceOfferFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(queryset=_visible(Person), label="Person")
    contact = django_filters.ModelChoiceFilter(queryset=_visible(Contact), label="Contact")
    referral = django_filters.ModelChoiceFilter(queryset=_visible(Referral), label="Referral")
    service_type = django_filters.ModelChoiceFilter(queryset=_service_types, label="Service")
    offered_by = AgencyFilter(label="Offered by")
    provider = AgencyFilter(label="Provided by")
    response = ColumnChoicesFilter(choices=OfferResponse.choices, label="Response")
    delivered = django_filters.BooleanFilter(
        field_name="delivered_at", lookup_expr="isnull", exclude=True, label="Delivered"
    )
    offered_after = django_filters.DateFilter(
        field_name="offered_at", lookup_expr="date__gte", label="Offered on or after"
    )
    offered_before = django_filters.DateFilter(
        field_name="offered_at", lookup_expr="date__lte", label="Offered on or before"
    )

    class Meta:
        model = ServiceOffer
        fields = [
            "person",
            "contact",
            "referral",
            "service_type",
            "offered_by",
            "provider",
            "response",
            "delivered",
            "offered_after",
            "offered_before",
        ]


class CustodyHandoffFilterSet(django_filters.FilterSet):
    STATES = (
        ("in_custody", "In protective custody"),
        ("handed_over", "Handed over, awaiting receipt"),
        ("received", "Received by child welfare"),
    )

    person = django_filters.ModelChoiceFilter(queryset=_visible(Person), label="Child")
    operation = django_filters.ModelChoiceFilter(queryset=_visible(Operation), label="Operation")
    custody_agency = AgencyFilter(label="Agency taking custody")
    receiving_agency = AgencyFilter(label="Receiving agency")
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state", label="State")
    taken_after = django_filters.DateFilter(field_name="taken_at", lookup_expr="date__gte", label="Taken on or after")
    taken_before = django_filters.DateFilter(field_name="taken_at", lookup_expr="date__lte", label="Taken on or before")

    class Meta:
        model = CustodyHandoff
        fields = ["person", "operation", "custody_agency", "receiving_agency", "state", "taken_after", "taken_before"]

    def filter_state(self, queryset, name, value):
        if value == "in_custody":
            return queryset.filter(handed_over_at__isnull=True)
        if value == "handed_over":
            return queryset.filter(handed_over_at__isnull=False, acknowledged_at__isnull=True)
        if value == "received":
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


class DetentionFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(queryset=_visible(Person), label="Person")
    operation = django_filters.ModelChoiceFilter(queryset=_visible(Operation), label="Operation")
    agency = AgencyFilter(label="Detaining agency")
    outcome = ColumnChoicesFilter(choices=DetentionOutcome.choices, label="Outcome")
    pending = django_filters.BooleanFilter(label="Pending with the prosecutor")
    trafficking_charge = django_filters.BooleanFilter(method="filter_trafficking", label="Has a trafficking charge")
    detained_after = django_filters.DateFilter(field_name="detained_at", lookup_expr="date__gte", label="On or after")
    detained_before = django_filters.DateFilter(field_name="detained_at", lookup_expr="date__lte", label="On or before")

    class Meta:
        model = Detention
        fields = [
            "person",
            "operation",
            "agency",
            "outcome",
            "pending",
            "trafficking_charge",
            "detained_after",
            "detained_before",
        ]

    def filter_trafficking(self, queryset, name, value):
        if value is None:
            return queryset
        charged = Charge.objects.filter(is_trafficking=True).values("detention_id")
        return queryset.filter(id__in=charged) if value else queryset.exclude(id__in=charged)


def relief_overdue() -> Q:
    """Not answered within RELIEF_ANSWER_DAYS of the request."""
    return Q(status__in=OPEN_RELIEF_STATUSES, answer_due_on__lt=timezone.localdate())


def relief_expiring() -> Q:
    """Granted, and running out within RELIEF_EXPIRY_NOTICE_DAYS (or already past its date)."""
    notice = timezone.localdate() + timedelta(days=settings.RELIEF_EXPIRY_NOTICE_DAYS)
    return Q(status=ReliefStatus.GRANTED, expires_on__isnull=False, expires_on__lte=notice)


# --- after the operation: investigations, prosecutions, court dates, relief (pages and API) ---


class InvestigationFilterSet(django_filters.FilterSet):
    """The investigations list page and /api/v1/investigations/."""

    q = django_filters.CharFilter(method="search", label="Reference or title")
    status = ColumnChoicesFilter(
        choices=InvestigationStatus.choices, widget=forms.CheckboxSelectMultiple, label="Status"
    )
    lead_agency = AgencyFilter(label="Lead agency")
    trafficking_type = django_filters.ChoiceFilter(
        choices=TraffickingType.choices, label="Type of trafficking", empty_label="Any type"
    )
    agency = AgencyFilter(method="filter_agency", label="Lead, participating or prosecuting agency")
    operation = django_filters.ModelChoiceFilter(
        field_name="operations", queryset=_visible(Operation), label="Operation", distinct=True
    )
    opened_after, opened_before = _date_range("opened_on", "Opened")

    class Meta:
        model = Investigation
        fields = [
            "q",
            "status",
            "lead_agency",
            "trafficking_type",
            "agency",
            "operation",
            "opened_after",
            "opened_before",
        ]

    # The page offers all but the API's filters by record and its aliases (ScopedListView.get_filterset).
    page_filters = [
        name
        for name in Meta.fields
        if name
        not in (
            "agency",
            "operation",
        )
    ]

    def search(self, queryset, name, value):
        return text_search(queryset, value, "reference", "title")

    def filter_agency(self, queryset, name, agency):
        if not agency:
            return queryset
        return queryset.filter(id__in=InvestigationAgency.objects.filter(agency=agency).values("investigation_id"))


class ProsecutionFilterSet(django_filters.FilterSet):
    """The prosecutions list page and /api/v1/prosecutions/ (`agency` is the API's name of the
    prosecuting agency, kept for its clients)."""

    investigation = django_filters.ModelChoiceFilter(queryset=_visible(Investigation), label="Investigation")
    defendant = django_filters.ModelChoiceFilter(queryset=_visible(Person), label="Defendant")
    prosecuting_agency = AgencyFilter(label="Prosecuting agency")
    agency = AgencyFilter(field_name="prosecuting_agency", label="Prosecuting agency")
    court_jurisdiction = django_filters.ChoiceFilter(
        choices=Jurisdiction.choices, label="Court", empty_label="State or federal"
    )
    state = django_filters.ChoiceFilter(
        choices=(("pending", "Pending: a count not yet disposed of"), ("disposed", "Disposed: every count decided")),
        method="filter_state",
        label="Pending or disposed",
        empty_label="Either",
    )
    disposition = django_filters.ChoiceFilter(
        choices=Disposition.choices,
        method="filter_disposition",
        label="Has a count with this disposition",
        empty_label="Any disposition",
    )
    trafficking_count = django_filters.BooleanFilter(method="filter_trafficking", label="Has a trafficking count")
    filed_after, filed_before = _date_range("filed_on", "Filed")

    class Meta:
        model = Prosecution
        fields = [
            "investigation",
            "defendant",
            "prosecuting_agency",
            "agency",
            "court_jurisdiction",
            "state",
            "disposition",
            "trafficking_count",
            "filed_after",
            "filed_before",
        ]

    # The page offers all but the API's filters by record and its aliases (ScopedListView.get_filterset).
    page_filters = [
        name
        for name in Meta.fields
        if name
        not in (
            "investigation",
            "defendant",
            "agency",
            "trafficking_count",
        )
    ]

    def filter_state(self, queryset, name, value):
        pending = Count.objects.filter(prosecution=OuterRef("pk"), disposition=Disposition.PENDING)
        if value == "pending":
            return queryset.filter(Exists(pending) | ~Exists(Count.objects.filter(prosecution=OuterRef("pk"))))
        if value == "disposed":
            return queryset.filter(~Exists(pending), Exists(Count.objects.filter(prosecution=OuterRef("pk"))))
        return queryset

    def filter_disposition(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(id__in=Count.objects.filter(disposition=value).values("prosecution_id"))

    def filter_trafficking(self, queryset, name, value):
        if value is None:
            return queryset
        counted = Count.objects.filter(statute__is_trafficking=True).values("prosecution_id")
        return queryset.filter(id__in=counted) if value else queryset.exclude(id__in=counted)


class CountFilterSet(django_filters.FilterSet):
    prosecution = django_filters.ModelChoiceFilter(queryset=_visible(Prosecution), label="Prosecution")
    statute = django_filters.ModelChoiceFilter(queryset=_visible(Statute), label="Statute")
    disposition = ColumnChoicesFilter(choices=Disposition.choices, label="Disposition")
    trafficking = django_filters.BooleanFilter(field_name="statute__is_trafficking", label="Trafficking offence")
    disposed_after = django_filters.DateFilter(
        field_name="disposition_on", lookup_expr="gte", label="Disposed of on or after"
    )
    disposed_before = django_filters.DateFilter(
        field_name="disposition_on", lookup_expr="lte", label="Disposed of on or before"
    )

    class Meta:
        model = Count
        fields = ["prosecution", "statute", "disposition", "trafficking", "disposed_after", "disposed_before"]


# What an advocate or a caseworker may filter court dates by: only what it may read of them.
COURT_EVENT_NOTICE_FILTERS = ("kind", "status", "after", "before")


class CourtEventFilterSet(django_filters.FilterSet):
    kind = ColumnChoicesFilter(choices=CourtEventKind.choices, label="Kind")
    status = ColumnChoicesFilter(choices=CourtEventStatus.choices, label="Status")
    after = django_filters.DateFilter(field_name="scheduled_at", lookup_expr="date__gte", label="On or after")
    before = django_filters.DateFilter(field_name="scheduled_at", lookup_expr="date__lte", label="On or before")
    prosecution = django_filters.ModelChoiceFilter(queryset=_visible(Prosecution), label="Prosecution")
    agency = AgencyFilter(field_name="prosecution__prosecuting_agency", label="Prosecuting agency")

    class Meta:
        model = CourtEvent
        fields = ["kind", "status", "after", "before", "prosecution", "agency"]


class ReliefRequestFilterSet(django_filters.FilterSet):
    """The relief list page (the certifying agency's inbox) and /api/v1/relief-requests/."""

    q = django_filters.CharFilter(method="search", label="Reference or person")
    status = AnyOrSeveralFilter(choices=ReliefStatus.choices, widget=forms.CheckboxSelectMultiple, label="Status")
    kind = AnyOrSeveralFilter(choices=ReliefKind.choices, widget=forms.CheckboxSelectMultiple, label="Kind")
    person = django_filters.ModelChoiceFilter(queryset=_visible(Person), label="Person")
    investigation = django_filters.ModelChoiceFilter(queryset=_visible(Investigation), label="Investigation")
    requested_of_agency = AgencyFilter(label="Agency asked")
    requested_by_agency = AgencyFilter(label="Agency asking")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Only overdue", widget=forms.CheckboxInput)
    expiring = django_filters.BooleanFilter(
        method="filter_expiring", label="Only running out soon", widget=forms.CheckboxInput
    )
    requested_after, requested_before = _date_range("requested_on", "Requested")

    class Meta:
        model = ReliefRequest
        fields = [
            "q",
            "status",
            "kind",
            "person",
            "investigation",
            "requested_of_agency",
            "requested_by_agency",
            "overdue",
            "expiring",
            "requested_after",
            "requested_before",
        ]

    # The page offers all but the API's filters by record and its aliases (ScopedListView.get_filterset).
    page_filters = [
        name
        for name in Meta.fields
        if name
        not in (
            "person",
            "investigation",
        )
    ]

    def search(self, queryset, name, value):
        return by_reference(queryset, value, "IR-")

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(relief_overdue()) if value else queryset

    def filter_expiring(self, queryset, name, value):
        return queryset.filter(relief_expiring()) if value else queryset


class StatuteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Citation or name")
    jurisdiction = django_filters.ChoiceFilter(choices=Jurisdiction.choices, label="Jurisdiction")
    is_trafficking = django_filters.BooleanFilter(label="Trafficking offence")
    active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Statute
        fields = ["q", "jurisdiction", "is_trafficking", "active"]

    def search(self, queryset, name, value):
        return text_search(queryset, value, "citation", "name")
