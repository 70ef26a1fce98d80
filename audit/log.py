"""`record_access`: the one call that writes the access log.

Other apps call it where something is looked at or taken away:

    from audit.log import record_access
    record_access(request, "person_view", obj=person)
    record_access(request, "export", detail="operations.csv, 120 rows")

If the row cannot be written the error propagates: an access that cannot be
logged does not happen.
"""

from __future__ import annotations

from django.db import models

from agencies.roles import membership_of

from . import context
from .models import AccessLog, Action


def _user_of(request, user):
    if user is not None:
        return user
    candidate = getattr(request, "user", None) if request is not None else None
    if candidate is not None and getattr(candidate, "is_authenticated", False):
        return candidate
    return None


def record_access(
    request, action: str, obj: models.Model | None = None, detail: str = "", *, user=None, username: str = "",
) -> AccessLog:
    """Write one access-log row for `request` (or, with no request, for `user`)."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}; add it to audit.models.Action.")
    user = _user_of(request, user)
    membership = membership_of(user) if user is not None else None
    info = context.request_info(request)
    entry = AccessLog(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        agency=membership.agency if membership else None,
        action=action,
        detail=detail,
        path=(request.path[:300] if request is not None else ""),
        ip=info.ip if info else None,
        request_id=info.request_id if info else "",
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_label = str(obj)[:200]
    entry.save()
    return entry
