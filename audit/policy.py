"""The audit trail under the access policy (cases.access; its rule is access.audit_trail_rule).

auditor                 rows written by or about its own agency's staff
task-force auditor      every row
coordinator             every row
everyone else           none (the system administrator too: it reads no case history)

For the access log "own agency" is the agency of the user who acted; for the
change history it is the agency the change was made from (history_agency).
"""

from __future__ import annotations

from cases import access

from .history import TRACKED
from .models import AccessLog


def register_all() -> None:
    access.register(AccessLog, access.audit_trail_rule("agency_id"))
    for model in TRACKED:
        hides_private = any(field.name == "private" for field in model._meta.fields)
        access.register(model.history.model, access.audit_trail_rule("history_agency_id", hides_private))


def history_models() -> dict[str, type]:
    """Tracked model label ("cases.person") → its historical model."""
    return {model._meta.label_lower: model.history.model for model in TRACKED}


def hides_note_text(user, note) -> bool:
    """A victim-services agency's private note is for that agency alone (VAWA/VOCA).

    Anyone else who reads the note's history, the task force's auditor included, sees
    that it was written, changed or voided, by whom and when, never its text. `note` is
    a note or one of its historical rows.
    """
    if not note.private:
        return False
    v = access.viewer_for(user)
    return v.agency_id != note.agency_id  # the system administrator has no agency: hidden
