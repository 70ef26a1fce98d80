"""The admin's "never by hand" permissions, shared by every app's admin pages.

Here, in the core of cases rather than in cases.admin, so that the apps below the case
admin (audit, notifications, apitokens) can use it without importing the case admin.
"""

from __future__ import annotations


class RemoveOnlyAdminMixin:
    """Rows the admin shows and may remove, but never adds or edits (API tokens, authenticators)."""

    # `obj`: an inline's add permission is asked with its parent record; a model admin's without.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin(RemoveOnlyAdminMixin):
    """Rows the admin shows and never adds, changes or deletes (events, logs, jobs, derived rows)."""

    def has_delete_permission(self, request, obj=None):
        return False
