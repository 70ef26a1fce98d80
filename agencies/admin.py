"""Agencies, memberships and user accounts in the admin, under the access policy.

The coordinator keeps the directory, the accounts and every membership; a supervisor
manages its own agency's memberships (never the coordinator role); everyone else reads.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import OuterRef, Q, Subquery

from cases import access
from cases.admin.base import ScopedAdminMixin, is_member, viewer

from .models import Agency, Membership, Role, User


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "level", "jurisdiction", "active")
    list_filter = ("kind", "level", "active")
    search_fields = ("name", "short_name", "jurisdiction")
    filter_horizontal = ("services",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    view_action = None
    add_action = "agency.manage"
    change_action = "agency.manage"


def _coordinator(request) -> bool:
    return access.can(request.user, "user.manage")


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "agency", "role", "active", "start_date", "end_date", "can_override_consent")
    list_filter = ("role", "active", "agency")
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__name", "agency__short_name")
    date_hierarchy = "start_date"
    view_action = None
    add_action = "membership.manage"
    change_action = "membership.manage"
    own_agency_fields = ("agency",)

    def chooses_any_agency(self, request) -> bool:
        return _coordinator(request)

    def change_target(self, obj):
        return obj.agency

    def has_change_permission(self, request, obj=None):
        # Only the coordinator touches a coordinator's membership.
        if obj is not None and obj.role == Role.COORDINATOR and not _coordinator(request):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not _coordinator(request):
            # A supervisor picks among its own staff and accounts not yet in any agency.
            v = viewer(request)
            placed = Membership.objects.current().values("user_id")
            own = Membership.objects.filter(agency_id=v.agency_id).values("user_id")
            kwargs["queryset"] = User.objects.filter(Q(pk__in=own) | ~Q(pk__in=placed))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not _coordinator(request):
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value != Role.COORDINATOR]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def write_problem(self, request, obj, adding):
        if obj.role == Role.COORDINATOR and not _coordinator(request):
            return "Only the coordinator grants the coordinator role."
        return super().write_problem(request, obj, adding)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "agency", "is_active", "is_staff", "is_demo")
    list_filter = ("is_active", "is_staff", "is_demo")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = DjangoUserAdmin.fieldsets + (("Demonstration", {"fields": ("is_demo",)}),)
    view_action = "membership.manage"
    add_action = "user.manage"
    change_action = "user.manage"

    def scope(self, qs, request):
        # Accounts follow memberships: whoever may see a membership sees its user.
        if not _coordinator(request):
            qs = qs.filter(pk__in=Membership.objects.visible_to(request.user).values("user_id"))
        current = Membership.objects.current().filter(user=OuterRef("pk")).values("agency__short_name")[:1]
        return qs.annotate(agency_short_name=Subquery(current))

    @admin.display(description="Agency", ordering="agency_short_name")
    def agency(self, obj) -> str:
        return obj.agency_short_name or "—"

    def has_view_permission(self, request, obj=None):
        return is_member(request) and request.user.is_staff and access.can(request.user, "membership.manage")

    def has_change_permission(self, request, obj=None):
        # Nobody but a superuser edits a superuser (a password reset would hand over the keys).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups", "user_permissions", "last_login", "date_joined"]
        return fields

    def save_related(self, request, form, formsets, change):
        # The coordinator sees every account; there is no agency scope to re-check.
        admin.ModelAdmin.save_related(self, request, form, formsets, change)
