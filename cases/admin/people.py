"""People, the contacts with them, and the services offered to them."""

from __future__ import annotations

from django.contrib import admin

from cases import access
from cases.models import Contact, NotSamePerson, Person, PersonAccess, PersonMerge, ServiceOffer
from cases.readonly_admin import ReadOnlyAdminMixin

from .base import ScopedModelAdmin, VoidedFilter, voided


def _sees_minimum(request) -> bool:
    """Does the user read only the minimum about people in general (cases.access.fields)?"""
    return access.person_fields(request.user) is not None


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin):
    list_display = (
        "reference",
        "legal_name",
        "age_group",
        "is_minor",
        "gender",
        "citizenship",
        "created_by_agency",
        voided,
    )
    list_filter = (
        "age_group",
        "is_minor",
        "gender",
        "citizenship",
        "interpreter_needed",
        "created_by_agency",
        VoidedFilter,
    )
    list_select_related = ("created_by_agency",)
    search_fields = ("reference", "legal_name", "aliases")
    filter_horizontal = ("vulnerabilities",)
    readonly_fields = ("reference", "age_group", "is_minor")
    add_action = "person.add"
    change_action = "person.change"
    own_agency_fields = ("created_by_agency",)

    # An advocate lists only the minimum about referred people, and filters and
    # searches on nothing more than it may read.
    def get_list_display(self, request):
        if _sees_minimum(request):
            return ("reference", "legal_name", "age_group", "is_minor", "languages", "interpreter_needed", voided)
        return super().get_list_display(request)

    def get_list_filter(self, request):
        if _sees_minimum(request):
            return ("age_group", "is_minor", VoidedFilter)
        return super().get_list_filter(request)

    def get_search_fields(self, request):
        return ("reference", "legal_name") if _sees_minimum(request) else super().get_search_fields(request)

    def get_fields(self, request, obj=None):
        return _only(super().get_fields(request, obj), request, obj)

    def get_readonly_fields(self, request, obj=None):
        return _only(super().get_readonly_fields(request, obj), request, obj)


def _only(fields, request, person):
    """The fields of a person's record the user may read (all, when adding one's own)."""
    allowed = access.person_fields(request.user, person) if person is not None else None
    return fields if allowed is None else [f for f in fields if f in allowed]


@admin.register(Contact)
class ContactAdmin(ScopedModelAdmin):
    list_display = ("__str__", "person", "operation", "agency", "role", "outcome", "occurred_at", voided)
    list_filter = ("role", "outcome", "age_group", "agency", "operation", VoidedFilter)
    list_select_related = ("person", "operation", "agency")
    search_fields = ("person__reference", "person__legal_name", "place", "narrative")
    date_hierarchy = "occurred_at"
    autocomplete_fields = ("person", "operation", "location")
    filter_horizontal = ("indicators",)
    readonly_fields = ("age_group",)
    add_action = "contact.add"
    change_action = "contact.change"
    own_agency_fields = ("agency",)

    def add_target(self, obj):
        return obj.operation if obj.operation_id else None


@admin.register(ServiceOffer)
class ServiceOfferAdmin(ScopedModelAdmin):
    list_display = (
        "__str__",
        "person",
        "service_type",
        "offered_by",
        "provider",
        "response",
        "offered_at",
        "delivered_at",
        voided,
    )
    list_filter = ("response", "service_type", "offered_by", "provider", VoidedFilter)
    list_select_related = ("person", "service_type", "offered_by", "provider")
    search_fields = ("person__reference", "person__legal_name", "service_type__name")
    date_hierarchy = "offered_at"
    autocomplete_fields = ("person", "contact", "referral")
    add_action = "serviceoffer.add"
    change_action = "serviceoffer.change"
    own_agency_fields = ("offered_by",)

    def may_add(self, request) -> bool:
        # Offered during a contact or under a referral; the one chosen is checked on save.
        return access.admin_may_add(request.user, ServiceOffer)

    def add_target(self, obj):
        if obj.contact_id:
            return obj.contact
        return obj.referral if obj.referral_id else None


class _DecisionAdmin(ScopedModelAdmin):
    """Read-only here: merges and "not the same person" are decided on the staff pages
    (cases/merging.py), where the whole policy of a merge is checked."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonMerge)
class PersonMergeAdmin(_DecisionAdmin):
    list_display = ("__str__", "survivor", "merged", "agency", "merged_at", "undone_at")
    list_filter = ("agency",)
    list_select_related = ("survivor", "merged", "agency")
    fields = ("survivor", "merged", "merged_by", "agency", "merged_at", "reason", "undone_at", "undone_by")
    date_hierarchy = "merged_at"


@admin.register(NotSamePerson)
class NotSamePersonAdmin(_DecisionAdmin):
    list_display = ("__str__", "first", "second", "agency", "decided_at")
    list_filter = ("agency",)
    list_select_related = ("first", "second", "agency")
    fields = ("first", "second", "decided_by", "agency", "decided_at")


@admin.register(PersonAccess)
class PersonAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Derived rows (cases/access/people_access.py) nobody reads or edits: the page lists none."""

    list_display = ("agency", "person", "way")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_module_permission(self, request):
        return access.can(request.user, "person_level.view")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)
