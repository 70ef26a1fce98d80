"""Referrals with their read-only workflow events, and notes."""

from __future__ import annotations

from django.contrib import admin

from cases import access
from cases.models import Note, Referral, ReferralEvent

from .base import EventInline, ScopedModelAdmin, VoidedFilter, WorkflowEventAdmin, voided


class ReferralEventInline(EventInline):
    model = ReferralEvent
    fields = ("at", "action", "from_status", "to_status", "user", "agency", "note")


@admin.register(Referral)
class ReferralAdmin(ScopedModelAdmin):
    list_display = ("__str__", "person", "from_agency", "to_agency", "status", "consent", "sent_at", "overdue", voided)
    list_filter = ("status", "consent", "from_agency", "to_agency", VoidedFilter)
    list_select_related = ("person", "from_agency", "to_agency")
    search_fields = ("person__reference", "person__legal_name", "reason")
    date_hierarchy = "created_at"
    autocomplete_fields = ("person", "contact")
    filter_horizontal = ("service_types",)
    # The status moves only through the workflow (send, acknowledge, …) in the case screens,
    # and a consent override is given there too, by someone allowed to (never typed in here).
    readonly_fields = ("status", "consent_override_reason")
    inlines = [ReferralEventInline]
    add_action = "referral.add"
    change_action = "referral.change"
    own_agency_fields = ("from_agency",)

    @admin.display(description="Overdue", boolean=True)
    def overdue(self, obj) -> bool:
        return obj.is_overdue

    def add_target(self, obj):
        if obj.contact_id:
            return obj.contact
        return obj.person if obj.person_id else None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [
                "sent_at",
                "acknowledge_due_at",
                "acknowledged_at",
                "decline_reason",
                "closure",
                "closed_at",
                "consent_override_by",
            ]
        return fields


@admin.register(ReferralEvent)
class ReferralEventAdmin(WorkflowEventAdmin):
    record_field, when_field = "referral", "at"


@admin.register(Note)
class NoteAdmin(ScopedModelAdmin):
    list_display = ("__str__", "operation", "person", "referral", "agency", "private", "created_at", voided)
    list_filter = ("private", "agency", VoidedFilter)
    list_select_related = ("agency", "operation", "person", "referral")
    search_fields = ("text",)
    date_hierarchy = "created_at"
    autocomplete_fields = ("operation", "person", "referral")
    readonly_fields = ("private",)
    # Journal entries are written once; a wrong one is voided, not edited.
    add_action = "note.add"
    own_agency_fields = ("agency",)

    def may_add(self, request) -> bool:
        return access.admin_may_add(request.user, Note)

    def add_target(self, obj):
        return obj.operation or obj.person or obj.referral
