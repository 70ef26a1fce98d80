"""The editable lists: service types, trafficking indicators and vulnerability factors."""

from __future__ import annotations

from django.contrib import admin

from cases import access
from cases.models import Indicator, ServiceType, VulnerabilityFactor

from .base import ScopedModelAdmin


class CatalogueAdmin(ScopedModelAdmin):
    """Every member reads the lists; the system administrator keeps them. Retire an entry with "active"."""

    list_display = ("name", "code", "order", "active")
    list_editable = ()
    list_filter = ("active",)
    search_fields = ("name", "code", "description")
    prepopulated_fields = {"code": ("name",)}
    view_action = None
    add_action = "catalogue.manage"
    change_action = "catalogue.manage"
    actions = []

    def has_change_permission(self, request, obj=None):
        # Whoever may not keep the lists reads them: "view" links, not "change" ones.
        return access.can(request.user, self.change_action) and super().has_change_permission(request, obj)


admin.site.register(ServiceType, CatalogueAdmin)
admin.site.register(VulnerabilityFactor, CatalogueAdmin)


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    list_display = ("name", "code", "category", "order", "active")
    list_filter = ("category", "active")
