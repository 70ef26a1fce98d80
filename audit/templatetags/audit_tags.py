"""{% audit_panel obj %}: "who viewed or changed this", for auditors and the coordinator."""

from django import template

from cases import access

from ..log import rows_showing
from ..models import AccessLog

register = template.Library()

PANEL_ROWS = 10


@register.inclusion_tag("audit/_panel.html", takes_context=True)
def audit_panel(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not access.can(user, "audit.view"):
        return {"show": False}
    label, pk = obj._meta.label_lower, str(obj.pk)
    changes = []
    history = getattr(type(obj), "history", None)
    if history is not None:
        changes = access.scope(
            history.model.objects.filter(id=obj.pk).select_related("history_user", "history_agency"), user
        ).order_by("-history_date")[:PANEL_ROWS]
    views = rows_showing(AccessLog.objects.visible_to(user).select_related("agency"), label, pk, PANEL_ROWS)
    return {"show": True, "label": label, "pk": pk, "changes": changes, "views": views}
