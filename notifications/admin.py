"""The notification tables in the admin: read-only, and each user sees only their own rows.

Nothing here is added or edited by hand: reminders are made by the rules, notifications by
the reminders, mail by send_reminders; a user changes their own preference on its page.
"""

from django.contrib import admin
from django.http import Http404

from cases import access
from cases.readonly_admin import ReadOnlyAdminMixin

from .models import Notification, NotificationPreference, OutboxEmail, Reminder, SendLease


class OwnRowsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Scoped by the policy (own_rows_rule): the rows addressed to the signed-in user."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another user's row and a missing one look the same: 404.
        raise Http404("No such record.")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_module_permission(self, request):
        return access.can(request.user, "notification.view")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Notification)
class NotificationAdmin(OwnRowsAdmin):
    list_display = ["kind", "created_at", "read_at", "email"]
    list_filter = ["kind", "email"]
    list_select_related = ["reminder"]


@admin.register(Reminder)
class ReminderAdmin(OwnRowsAdmin):
    list_display = ["kind", "stage", "created_at", "closed_at", "closed_because"]
    list_filter = ["kind"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(OwnRowsAdmin):
    list_display = ["subject", "sort", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["sort"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(OwnRowsAdmin):
    list_display = ["email", "updated_at"]


@admin.register(SendLease)
class SendLeaseAdmin(OwnRowsAdmin):
    list_display = ["name", "holder", "until"]
