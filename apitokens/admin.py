"""API tokens in the admin: administrators see and revoke anyone's tokens, never make one.

Making a token here would skip the owner's own two-step sign-in, so there is no "add".
"""

from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created", "expiry", "last_used"]
    list_filter = ["created", "expiry"]
    search_fields = ["name", "user__username"]
    fields = ["name", "user", "token_key", "created", "expiry", "last_used"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
