"""Protective-custody hand-offs with their read-only chain of custody, detentions and charges."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from cases import access, investigation_actions
from cases.models import Charge, CustodyEvent, CustodyHandoff, Detention, Investigation

from .base import EventAdmin, EventInline, ScopedInlineMixin, ScopedModelAdmin, VoidedFilter, voided


class CustodyEventInline(EventInline):
    model = CustodyEvent
    fields = ("at", "kind", "user", "agency", "note", "recorded_at")


@admin.register(CustodyHandoff)
class CustodyHandoffAdmin(ScopedModelAdmin):
    list_display = (
        "__str__",
        "person",
        "custody_agency",
        "receiving_agency",
        "taken_at",
        "handed_over_at",
        "acknowledged_at",
        "status_label",
        voided,
    )
    list_filter = ("custody_agency", "receiving_agency", VoidedFilter)
    list_select_related = ("person", "custody_agency", "receiving_agency")
    search_fields = ("person__reference", "person__legal_name", "place")
    date_hierarchy = "taken_at"
    autocomplete_fields = ("person", "contact", "operation")
    inlines = [CustodyEventInline]
    add_action = "custody.add"
    change_action = "custody.change"
    own_agency_fields = ("custody_agency",)

    def add_target(self, obj):
        if obj.contact_id:
            return obj.contact
        return obj.person if obj.person_id else None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["child_age_at_custody", "acknowledged_at", "acknowledged_by"]
        return fields


@admin.register(CustodyEvent)
class CustodyEventAdmin(EventAdmin):
    list_display = ("at", "handoff", "kind", "user", "agency", "recorded_at")
    list_filter = ("kind", "agency")
    list_select_related = ("handoff", "user", "agency")
    search_fields = ("note",)
    date_hierarchy = "at"


class ChargeInline(ScopedInlineMixin, admin.TabularInline):
    model = Charge
    parent_action = "detention.change"
    fields = ("statute", "description", "charge_class", "is_trafficking")


class DetentionRecordAdmin(ScopedModelAdmin):
    """Detentions and charges are law-enforcement records: advocates never see them."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and access.admin_may_view(request.user, self.model)


@admin.register(Detention)
class DetentionAdmin(DetentionRecordAdmin):
    list_display = ("__str__", "person", "agency", "detained_at", "outcome", "pending", "charge_count", voided)
    list_filter = ("outcome", "pending", "agency", VoidedFilter)
    list_select_related = ("person", "agency")
    search_fields = ("person__reference", "person__legal_name", "charges__statute")
    date_hierarchy = "detained_at"
    autocomplete_fields = ("person", "contact")
    inlines = [ChargeInline]
    add_action = "detention.add"
    change_action = "detention.change"
    own_agency_fields = ("agency",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(charge_total=Count("charges"))

    @admin.display(description="Charges", ordering="charge_total")
    def charge_count(self, obj) -> int:
        return obj.charge_total

    def add_target(self, obj):
        return obj.contact if obj.contact_id else None

    def write_problem(self, request, obj, adding: bool) -> str | None:
        problem = super().write_problem(request, obj, adding)
        if problem or adding:
            return problem
        before = Detention.objects.filter(pk=obj.pk).values_list("investigation_id", flat=True).first()
        if before != obj.investigation_id:
            touched = Investigation.objects.filter(pk__in=[pk for pk in (before, obj.investigation_id) if pk])
            if any(not access.can(request.user, "investigation.change", inv) for inv in touched):
                return "Only the investigation's lead agency (and the coordinator) links or unlinks its arrests."
        return None

    def save_model(self, request, obj, form, change):
        """Linking to an investigation, or unlinking, goes through the investigation's domain
        actions (the lead agency's; written in both histories), as on the page and in the API."""
        before = Detention.objects.get(pk=obj.pk).investigation if change else None
        chosen = obj.investigation
        if change and chosen != before:
            obj.investigation = before
        super().save_model(request, obj, form, change)
        if change and chosen != before:
            if before is not None:
                investigation_actions.unlink_detention(request.user, obj)
            if chosen is not None:
                investigation_actions.link_detention(request.user, chosen, obj)


@admin.register(Charge)
class ChargeAdmin(DetentionRecordAdmin):
    list_display = ("statute", "description", "charge_class", "is_trafficking", "detention")
    list_filter = ("charge_class", "is_trafficking")
    list_select_related = ("detention",)
    search_fields = ("statute", "description")
    autocomplete_fields = ("detention",)
    add_action = "detention.change"
    change_action = "detention.change"

    def may_add(self, request) -> bool:
        return access.admin_may_add(request.user, Charge)

    def add_target(self, obj):
        return obj.detention if obj.detention_id else None

    def change_target(self, obj):
        return obj.detention
