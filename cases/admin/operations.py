"""Operations, their locations and the agencies taking part."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from cases import access
from cases.models import Location, Operation, Participation, ParticipationRole

from .base import ScopedInlineMixin, ScopedModelAdmin, VoidedFilter, voided


class ParticipationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        deleted = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        if Participation.objects.filter(pk__in=deleted, role=ParticipationRole.LEAD).exists():
            raise ValidationError("The lead agency stays on its operation; change the lead agency instead.")


class ParticipationInline(ScopedInlineMixin, admin.TabularInline):
    model = Participation
    formset = ParticipationFormSet
    fields = ("agency", "role", "staff_count")

    def has_delete_permission(self, request, obj=None):
        # An agency wrongly added may be taken off again; the lead stays (change the lead instead).
        return self._may_change_parent(request, obj) and obj is not None


class LocationInline(ScopedInlineMixin, admin.StackedInline):
    model = Location
    fields = (("venue_name", "venue_type"), "address", ("city", "county", "state"), ("latitude", "longitude"))

    def has_view_permission(self, request, obj=None):
        # Locations are investigative detail, not part of a service provider's briefing.
        return super().has_view_permission(request, obj) and access.admin_may_view(request.user, Location)

    def has_add_permission(self, request, obj):
        return self.has_view_permission(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request) and super().has_change_permission(request, obj)


@admin.register(Operation)
class OperationAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "kind", "trafficking_type", "status", "starts_at", "lead_agency", voided)
    list_filter = ("status", "kind", "trafficking_type", "lead_agency", VoidedFilter)
    list_select_related = ("lead_agency",)
    search_fields = ("code", "name")
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline, LocationInline]
    add_action = "operation.add"
    change_action = "operation.change"
    own_agency_fields = ("lead_agency",)

    def chooses_any_agency(self, request) -> bool:
        return access.can(request.user, "operation.choose_lead")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        briefing = access.operation_fields(request.user)
        # A service provider reads the briefing only, never the investigative summary.
        return fields if briefing is None else [f for f in fields if f in briefing]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        briefing = access.operation_fields(request.user)
        return fields if briefing is None else [f for f in fields if f in briefing]

    def write_problem(self, request, obj, adding):
        problem = super().write_problem(request, obj, adding)
        if problem or adding:
            return problem
        before = Operation.objects.only("status").get(pk=obj.pk).status
        if obj.status != before and obj.status not in _next_statuses(before):
            return f"An operation that is {before} cannot become {obj.status}."
        return None


def _next_statuses(status: str) -> set[str]:
    from cases.models.operations import OPERATION_TRANSITIONS

    return OPERATION_TRANSITIONS[status]


class OperationPartAdmin(ScopedModelAdmin):
    """Records that belong to an operation: changed by those who may change the operation."""

    add_action = "operation.change"
    change_action = "operation.change"

    def may_add(self, request) -> bool:
        return access.admin_may_add(request.user, self.model)

    def add_target(self, obj):
        return obj.operation if obj.operation_id else None

    def change_target(self, obj):
        return obj.operation


@admin.register(Location)
class LocationAdmin(OperationPartAdmin):
    list_display = ("venue_name", "venue_type", "operation", "city", "county", "state", voided)
    list_filter = ("venue_type", "state", "operation", VoidedFilter)
    list_select_related = ("operation",)
    search_fields = ("venue_name", "address", "city", "county")
    autocomplete_fields = ("operation",)


@admin.register(Participation)
class ParticipationAdmin(OperationPartAdmin):
    list_display = ("operation", "agency", "role", "staff_count")
    list_filter = ("role", "agency")
    list_select_related = ("operation", "agency")
    search_fields = ("operation__code", "operation__name", "agency__name", "agency__short_name")
    autocomplete_fields = ("operation",)
    actions = []

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request) or access.admin_may_add(request.user, Participation)
        if obj.role == ParticipationRole.LEAD:
            return False
        return self.has_view_permission(request) and access.can(request.user, "operation.change", obj.operation)
