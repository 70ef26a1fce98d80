"""Who a user is in the task force: the current membership, cached per request.

What the membership lets the user see and do is the policy's (cases/access/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
