"""Agencies, memberships and user accounts in the admin, under the access policy.

The system administrator keeps the accounts (logins, passwords); it and the coordinator
keep the directory and every membership; a supervisor manages its own agency's
memberships (never the coordinator role); everyone else reads. The coordinator and
supervisors see accounts (to place them in an agency) but do not create or edit them.
Accounts are scoped by the policy's User rule (cases/access/rules.py), in lists and dropdowns.
Two-step enrolment codes are issued here, by the "reset two-step sign-in" action.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, EnrolmentCode, Membership, User
from audit import enrolment
from cases import access
from cases.readonly_admin import ReadOnlyAdminMixin

from .base import ScopedAdminMixin, is_member


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


def _manages_all(request) -> bool:
    """Every agency's memberships, the coordinator role included: coordinator and system administrator."""
    return access.can(request.user, "membership.manage_all")


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
        return _manages_all(request)

    def change_target(self, obj):
        return obj.agency

    def has_change_permission(self, request, obj=None):
        # Only the coordinator (or the system administrator) touches a coordinator's membership.
        if obj is not None and not access.may_manage_membership_role(request.user, obj.role):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not _manages_all(request):
            # A supervisor picks among the accounts the policy shows it: its agency's staff, past and
            # present, and new accounts not yet placed anywhere (never another agency's former staff).
            kwargs["queryset"] = User.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not _manages_all(request):
            kwargs["choices"] = access.grantable_roles(request.user)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def write_problem(self, request, obj, adding):
        if not access.may_manage_membership_role(request.user, obj.role):
            return "Only the coordinator grants the coordinator role."
        return super().write_problem(request, obj, adding)


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "agency", "is_active", "is_staff", "is_demo")
    list_filter = ("is_active", "is_staff", "is_demo")
    search_fields = ("username", "first_name", "last_name", "email")
    # Django's groups and per-user permissions are left out: the access policy (cases/access/)
    # decides what an account may do, from its membership, not from those tables.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
        ("Demonstration", {"fields": ("is_demo",)}),
    )
    view_action = "membership.manage"
    add_action = "user.manage"
    change_action = "user.manage"
    actions = ["reset_two_step"]

    def scope(self, qs, request):
        qs = qs.visible_to(request.user)
        current = Membership.objects.current().filter(user=OuterRef("pk")).values("agency__short_name")[:1]
        return qs.annotate(agency_short_name=Subquery(current))

    @admin.display(description="Agency", ordering="agency_short_name")
    def agency(self, obj) -> str:
        return obj.agency_short_name or "—"

    def has_view_permission(self, request, obj=None):
        return is_member(request) and request.user.is_staff and access.can(request.user, "membership.manage")

    def has_change_permission(self, request, obj=None):
        # Accounts are the system administrator's; the others who see them only read them.
        if not access.can(request.user, self.change_action):
            return False
        # Nobody but a superuser edits a superuser (a password reset would hand over the keys).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "last_login", "date_joined"]
        return fields

    def save_related(self, request, form, formsets, change):
        # Only the system administrator saves accounts, and it sees every one: no scope to re-check.
        admin.ModelAdmin.save_related(self, request, form, formsets, change)

    def has_issue_enrolment_permission(self, request):
        return self.has_view_permission(request) and access.can(request.user, "user.issue_enrolment")

    @admin.action(description="Reset two-step sign-in and issue an enrolment code", permissions=["issue_enrolment"])
    def reset_two_step(self, request, queryset):
        """Remove the users' authenticators and recovery codes and show each a new enrolment code, once."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Reset two-step sign-in",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        if "confirm_reset" not in request.POST:
            return TemplateResponse(
                request, "admin/agencies/user/reset_two_step.html", {**context, "queryset": queryset}
            )
        issued, refused = [], []
        for user in queryset:
            if not access.can(request.user, "user.issue_enrolment", user):
                refused.append(user)
                continue
            with transaction.atomic():
                # Deleting the devices is logged as a reset (audit.signals); the code as issued.
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
                issued.append((user, enrolment.issue(request, request.user, user)))
        if refused:
            names = ", ".join(u.get_username() for u in refused)
            self.message_user(request, f"Not reset (not a user your role may reset): {names}.", messages.WARNING)
        return TemplateResponse(request, "admin/agencies/user/reset_two_step.html", {**context, "issued": issued})


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Who issued which enrolment code, and whether it was used; read-only (codes are issued from Users)."""

    list_display = ("user", "issued_by", "issued_at", "expires_at", "used_at", "state")
    list_select_related = ("user", "issued_by")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    date_hierarchy = "issued_at"
    view_action = "user.issue_enrolment"
    fields = ("user", "issued_by", "issued_at", "expires_at", "used_at", "withdrawn_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return is_member(request) and request.user.is_staff and access.can(request.user, self.view_action)
