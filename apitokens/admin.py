"""API tokens in the admin: administrators see and revoke anyone's tokens, never make one.

Making a token here would skip the owner's own two-step sign-in, so there is no "add".
"""

from django.contrib import admin

from cases.readonly_admin import RemoveOnlyAdminMixin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(RemoveOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "user", "created", "expiry", "last_used"]
    list_filter = ["created", "expiry"]
    search_fields = ["name", "user__username"]
    fields = ["name", "user", "token_key", "created", "expiry", "last_used"]
    readonly_fields = fields
    list_select_related = ["user"]
