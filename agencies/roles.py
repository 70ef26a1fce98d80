"""Who a user is in the task force: the current membership, cached per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import AgencyKind, Role

if TYPE_CHECKING:
    from .models import Membership

_CACHE_ATTR = "_taskforce_membership"


def membership_of(user) -> Membership | None:
    """The user's current, active membership, or None.

    A disabled user, an ended membership or an inactive agency give None, so the
    loss of access is immediate.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    from .models import Membership

    found = Membership.objects.current().filter(user=user).select_related("agency").first()
    setattr(user, _CACHE_ATTR, found)
    return found


def scope_role(membership: Membership | None) -> str | None:
    """The role whose visibility a membership has.

    A supervisor sees what the working staff of its agency see: officers in law
    enforcement and prosecution, advocates in service agencies, caseworkers in child
    welfare, and, in the task force itself, what the coordinator sees.
    """
    if membership is None:
        return None
    if membership.role != Role.SUPERVISOR:
        return membership.role
    kind = membership.agency.kind
    if kind == AgencyKind.TASK_FORCE:
        return Role.COORDINATOR
    if kind in (AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR):
        return Role.OFFICER
    if kind == AgencyKind.CHILD_WELFARE:
        return Role.CASEWORKER
    return Role.ADVOCATE
