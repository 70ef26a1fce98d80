"""After the operation: investigations with their agencies and people, prosecutions with
their counts, court dates, relief requests with their read-only steps, and the statutes.

Investigations, prosecutions and counts are law-enforcement and prosecution records:
their pages are closed to advocates and caseworkers (cases.access.admin_may_view). An
advocate reads a court date as its notice only: when, what kind, where.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet

from cases import access, investigation_actions
from cases.models import (
    Count,
    CourtEvent,
    Investigation,
    InvestigationAgency,
    InvestigationAgencyRole,
    InvestigationPerson,
    Operation,
    Prosecution,
    ReliefEvent,
    ReliefRequest,
    Statute,
)

from .base import (
    SHOWN,
    EventInline,
    ScopedInlineMixin,
    ScopedModelAdmin,
    VoidedFilter,
    WorkflowEventAdmin,
    void_selected,
    voided,
)
from .catalogues import CatalogueAdmin


class InvestigationRecordAdmin(ScopedModelAdmin):
    """Only the roles that see investigations open these pages at all."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and access.admin_may_view(request.user, self.model)


class InvestigationAgencyFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if form.cleaned_data.get("role") == InvestigationAgencyRole.LEAD and not form.instance.pk:
                raise ValidationError("Choose the lead agency on the investigation itself.")


class InvestigationAgencyInline(ScopedInlineMixin, admin.TabularInline):
    model = InvestigationAgency
    formset = InvestigationAgencyFormSet
    parent_action = "investigation.change"
    fields = ("agency", "role", "since")


class InvestigationPersonInline(ScopedInlineMixin, admin.TabularInline):
    model = InvestigationPerson
    parent_action = "investigation.change"
    fields = ("person", "role", "note")
    autocomplete_fields = ("person",)


@admin.action(description="Reopen selected closed investigations")
def reopen_selected(modeladmin, request, queryset):
    done = 0
    for investigation in queryset:
        try:
            investigation_actions.reopen_investigation(request.user, investigation)
        except (PermissionDenied, ValidationError):
            continue
        done += 1
    refused = len(queryset) - done
    modeladmin.message_user(request, f"Reopened {done}.", messages.SUCCESS if done else messages.WARNING)
    if refused:
        modeladmin.message_user(
            request, f"{refused} could not be reopened: not closed, or not yours to reopen.", messages.WARNING
        )


@admin.register(Investigation)
class InvestigationAdmin(InvestigationRecordAdmin):
    list_display = ("reference", "title", "status", "trafficking_type", "lead_agency", "opened_on", "closed_on", voided)
    list_filter = ("status", "trafficking_type", "closing_reason", "lead_agency", VoidedFilter)
    list_select_related = ("lead_agency",)
    search_fields = ("reference", "title")
    date_hierarchy = "opened_on"
    filter_horizontal = ("operations",)
    inlines = [InvestigationAgencyInline, InvestigationPersonInline]
    actions = [void_selected, reopen_selected]
    add_action = "investigation.add"
    change_action = "investigation.change"
    own_agency_fields = ("lead_agency",)

    def change_target(self, obj):
        # Closing is a change of an investigation that is not yet closed: ask about it as stored.
        if obj.pk is None:
            return obj
        return Investigation.objects.get(pk=obj.pk)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["reference"] if obj is not None else fields

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only, the operations are listed through the policy (a prosecutor may not see them).
            return ["visible_operations" if name == "operations" else name for name in fields]
        return fields

    def save_related(self, request, form, formsets, change):
        """The operations change through the domain actions (linked, or unlinked with a line in
        the history), as on the page and in the API. The widget offers only the operations the
        user sees; the others stay linked."""
        investigation, chosen = form.instance, form.cleaned_data.get("operations")
        if change and chosen is not None:
            form.cleaned_data["operations"] = list(investigation.operations.all())
        super().save_related(request, form, formsets, change)
        if change and chosen is not None:
            chosen = set(chosen)
            shown = set(Operation.objects.visible_to(request.user).filter(investigations=investigation))
            for operation in sorted(shown - chosen, key=lambda op: op.pk):
                investigation_actions.unlink_operation(request.user, investigation, operation)
            if chosen - shown:
                investigation_actions.link_operations(
                    request.user, investigation, sorted(chosen - shown, key=lambda op: op.pk)
                )

    @admin.display(description="Operations")
    def visible_operations(self, obj) -> str:
        disclosure = getattr(obj, "_disclosure", None)
        if disclosure is None:
            return ""
        shown = Operation.objects.visible_to(disclosure.user).filter(investigations=obj).order_by("code")
        return ", ".join(f"{op.code} {op.name}" for op in shown)


class ProsecutionPartAdmin(InvestigationRecordAdmin):
    """Counts (and, below, court dates) are added and changed with their prosecution."""

    add_action = "prosecution.change"
    change_action = "prosecution.change"
    actions = []

    def may_add(self, request) -> bool:
        return access.admin_may_add(request.user, self.model)

    def add_target(self, obj):
        return obj.prosecution if obj.prosecution_id else None

    def change_target(self, obj):
        return obj.prosecution


class CountInline(ScopedInlineMixin, admin.TabularInline):
    model = Count
    parent_action = "prosecution.change"
    fields = (
        "number",
        "statute",
        "disposition",
        "disposition_on",
        "custody_months",
        "probation_months",
        "restitution",
    )


@admin.register(Prosecution)
class ProsecutionAdmin(InvestigationRecordAdmin):
    list_display = (
        "reference",
        "investigation",
        "prosecuting_agency",
        "court_jurisdiction",
        "court",
        "docket_number",
        "filed_on",
        voided,
    )
    list_filter = ("court_jurisdiction", "prosecuting_agency", VoidedFilter)
    list_select_related = ("investigation", "prosecuting_agency")
    search_fields = ("docket_number", "court", "investigation__reference")
    date_hierarchy = "filed_on"
    autocomplete_fields = ("investigation", "defendant")
    inlines = [CountInline]
    add_action = "prosecution.add"
    change_action = "prosecution.change"
    own_agency_fields = ("prosecuting_agency",)

    def may_add(self, request) -> bool:
        return access.admin_may_add(request.user, Prosecution)

    def add_target(self, obj):
        return obj.investigation if obj.investigation_id else None


@admin.register(Count)
class CountAdmin(ProsecutionPartAdmin):
    list_display = ("__str__", "prosecution", "statute", "disposition", "disposition_on", "custody_months")
    list_filter = ("disposition", "statute__is_trafficking", "statute")
    list_select_related = ("prosecution", "statute")
    search_fields = ("statute__citation", "prosecution__docket_number")
    autocomplete_fields = ("prosecution",)


@admin.register(CourtEvent)
class CourtEventAdmin(ProsecutionPartAdmin):
    """The prosecution team's court dates; a victim's advocate reads when, what kind and where."""

    list_display = ("kind", "scheduled_at", "court", "courtroom", "status", "prosecution")
    list_filter = ("kind", "status")
    list_select_related = ("prosecution",)
    search_fields = ("court", "courtroom")
    date_hierarchy = "scheduled_at"
    autocomplete_fields = ("prosecution",)

    def _notice(self, request, names):
        allowed = access.court_event_fields(request.user)
        if allowed is None:
            return names
        return [name for name in names if isinstance(name, str) and name.removesuffix(SHOWN) in allowed]

    def get_list_display(self, request):
        return self._notice(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._notice(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._notice(request, super().get_readonly_fields(request, obj))


@admin.register(InvestigationAgency)
class InvestigationAgencyAdmin(InvestigationRecordAdmin):
    list_display = ("investigation", "agency", "role", "since")
    list_filter = ("role", "agency")
    list_select_related = ("investigation", "agency")
    search_fields = ("investigation__reference", "agency__name", "agency__short_name")
    autocomplete_fields = ("investigation",)
    add_action = "investigation.change"
    change_action = "investigation.change"
    actions = []

    def may_add(self, request) -> bool:
        return access.admin_may_add(request.user, self.model)

    def add_target(self, obj):
        return obj.investigation if obj.investigation_id else None

    def change_target(self, obj):
        return obj.investigation


@admin.register(InvestigationPerson)
class InvestigationPersonAdmin(InvestigationAgencyAdmin):
    list_display = ("investigation", "person", "role")
    list_filter = ("role",)
    list_select_related = ("investigation", "person")
    search_fields = ("investigation__reference", "person__reference")
    autocomplete_fields = ("investigation", "person")


class ReliefEventInline(EventInline):
    model = ReliefEvent
    fields = ("on", "action", "from_status", "to_status", "user", "agency", "note", "recorded_at")
    ordering = ("on", "id")


@admin.register(ReliefRequest)
class ReliefRequestAdmin(ScopedModelAdmin):
    list_display = (
        "__str__",
        "person",
        "kind",
        "requested_by_agency",
        "requested_of_agency",
        "status",
        "requested_on",
        "answer_due_on",
        "overdue",
        "expiring",
        voided,
    )
    list_filter = ("status", "kind", "requested_by_agency", "requested_of_agency", VoidedFilter)
    list_select_related = ("person", "requested_by_agency", "requested_of_agency")
    search_fields = ("person__reference",)
    date_hierarchy = "requested_on"
    autocomplete_fields = ("person", "investigation")
    # The status moves only through the workflow (review, grant, …) in the case screens and the API.
    readonly_fields = ("status", "expires_on")
    inlines = [ReliefEventInline]
    add_action = "relief.add"
    change_action = "relief.change"
    own_agency_fields = ("requested_by_agency",)

    @admin.display(description="Overdue", boolean=True)
    def overdue(self, obj) -> bool:
        return obj.is_overdue

    @admin.display(description="Expiring", boolean=True)
    def expiring(self, obj) -> bool:
        return obj.is_expiring

    def add_target(self, obj):
        return obj.person if obj.person_id else None


@admin.register(ReliefEvent)
class ReliefEventAdmin(WorkflowEventAdmin):
    record_field, when_field = "request", "on"


@admin.register(Statute)
class StatuteAdmin(CatalogueAdmin):
    """The offences counts cite; kept by the system administrator, read by every member."""

    list_display = ("citation", "name", "jurisdiction", "is_trafficking", "order", "active")
    list_filter = ("jurisdiction", "is_trafficking", "active")
    search_fields = ("citation", "name", "code", "description")
