"""Which records a report is computed over, for the user asking.

Every role reads reports within its own scope (`visible_to`); the analyst reads the
whole task force's, with small counts suppressed; the auditor reads none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from agencies.models import Agency, AgencyKind
from cases import access
from cases.models import Charge, Operation

# Parents whose voiding voids the record for reporting purposes.
_PARENTS = {
    "Contact": ("person", "operation"),
    "ServiceOffer": ("person", "contact", "referral"),
    "Referral": ("person", "contact"),
    "CustodyHandoff": ("person", "contact", "operation"),
    "Detention": ("person", "contact"),
    "Operation": (),
}


@dataclass(frozen=True)
class ReportScope:
    user: object
    suppressed: bool  # the analyst: whole task force, small counts hidden
    sees_contacts: bool
    sees_custody: bool
    sees_enforcement: bool

    def records(self, model) -> QuerySet:
        """The model's records this report may count: in scope and not voided."""
        qs = model.objects.all() if self.suppressed else model.objects.visible_to(self.user)
        if model is Charge:
            return qs.filter(detention__voided_at__isnull=True, detention__person__voided_at__isnull=True)
        qs = qs.filter(voided_at__isnull=True)
        for parent in _PARENTS.get(model.__name__, ()):
            qs = qs.filter(Q(**{f"{parent}__isnull": True}) | Q(**{f"{parent}__voided_at__isnull": True}))
        return qs

    def operation(self, pk) -> Operation:
        """The operation, if this user may report on it; Operation.DoesNotExist otherwise."""
        return self.records(Operation).select_related("lead_agency").get(pk=pk)


def report_scope(user) -> ReportScope:
    """The user's reporting scope; PermissionDenied (403) for a role without reports."""
    access.require(user, "report.view")
    suppressed = access.can(user, "report.suppressed")
    viewer = access.viewer_for(user)
    everything = suppressed or viewer.superuser or viewer.scope == access.COORDINATOR
    return ReportScope(
        user=user,
        suppressed=suppressed,
        sees_contacts=everything or viewer.scope == access.OFFICER,
        sees_custody=everything or viewer.scope in (access.OFFICER, access.CASEWORKER),
        sees_enforcement=suppressed or access.sees_detentions(user),
    )


def task_force_name() -> str:
    found = Agency.objects.filter(kind=AgencyKind.TASK_FORCE, active=True).order_by("id").values_list("name", flat=True).first()
    return found or "Human Trafficking Task Force"
