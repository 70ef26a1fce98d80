"""The access log in the admin: read-only, nothing can be added, changed or deleted.

Two-step sign-in is reset in the admin by deleting the user's devices under
"TOTP devices" and "Static devices" (django-otp); the reset is logged. Lock-outs are
released under "Access attempts" (django-axes), also logged.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import access
from cases.readonly_admin import ReadOnlyAdminMixin, RemoveOnlyAdminMixin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "username", "agency", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "agency"]
    search_fields = ["username", "object_id", "request_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AccessLog._meta.fields]

    def get_queryset(self, request):
        return AccessLog.objects.visible_to(request.user).select_related("agency")

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, "audit.view")

    def has_module_permission(self, request):
        return self.has_view_permission(request)


class ResetOnlyDeviceAdmin(RemoveOnlyAdminMixin):
    """Authenticator devices are removed (a reset) here, never added or edited.

    Whoever could add a device for someone else would hold that person's second factor;
    a new device is enrolled by its owner with a one-time enrolment code (audit/enrolment.py).
    """


def _reset_only(model, base):
    admin.site.unregister(model)
    admin.site.register(model, type(f"ResetOnly{base.__name__}", (ResetOnlyDeviceAdmin, base), {}))


_reset_only(TOTPDevice, TOTPDeviceAdmin)
_reset_only(StaticDevice, StaticDeviceAdmin)
# Django's groups and per-user permissions play no part: the access policy decides (cases/access/).
admin.site.unregister(Group)
