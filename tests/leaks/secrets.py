"""What a persona must never read, derived from the access policy rather than listed by hand.

For every kind of record that has a printable identity (a person's reference and name, an
operation's code and name, a venue, a referral's or hand-off's reference, a note's text),
the records the policy does not let the user read give the strings that must not appear
in anything the user can open. "Read" is the policy's own answer: the record is in
`visible_to(user)`, an operation the user may report on, or (for the audit trail's
readers) its change history is in the user's audit scope and the policy does not
withhold the text (victim-services notes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audit.policy import hides_note_text
from cases import access
from cases import models as m
from cases.reports.scope import report_scope

# (model, fields whose values name the record); references computed from the id are added below.
NAMED_FIELDS = {
    m.Person: ("reference", "legal_name"),
    m.Operation: ("code", "name"),
    m.Location: ("venue_name",),
    m.Referral: (),
    m.CustodyHandoff: (),
    m.Note: ("text",),
    m.Investigation: ("title",),
    m.Prosecution: ("docket_number",),
}
# Shorter values are too common to mean one record (an empty name, "N/A").
MIN_LENGTH = 6


@dataclass(frozen=True)
class Secret:
    text: str
    what: str  # e.g. "Person 12 legal_name", for the failure message


def readable_ids(user, model) -> set[int]:
    """The records of `model` the user may read: in scope, reported on, or in its audit scope."""
    ids = set(model.objects.visible_to(user).values_list("pk", flat=True))
    if model is m.Operation and access.can(user, "report.view"):
        # A report names the operation it is about (the analyst's are whole-task-force).
        ids |= set(report_scope(user).records(m.Operation).values_list("pk", flat=True))
    history = getattr(model, "history", None)
    if history is not None and access.can(user, "audit.view"):
        ids |= set(access.scope(history.model.objects.all(), user).values_list("id", flat=True))
    return ids


def _values(model, obj) -> dict[str, str]:
    values = {name: getattr(obj, name) or "" for name in NAMED_FIELDS[model]}
    if hasattr(obj, "reference") and model is not m.Person:
        values["reference"] = obj.reference
    return values


def secrets_for(user) -> list[Secret]:
    """Every string that names a record the user may not read (and no readable one)."""
    hidden: dict[str, str] = {}
    shown: set[str] = set()
    for model in NAMED_FIELDS:
        readable = readable_ids(user, model)
        for obj in model.objects.all():
            for field, value in _values(model, obj).items():
                if len(value) < MIN_LENGTH:
                    continue
                if obj.pk in readable and not (model is m.Note and hides_note_text(user, obj)):
                    shown.add(value)
                else:
                    hidden.setdefault(value, f"{model.__name__} {obj.pk} {field}")
    # The same words on a record the user may read are not a leak (two people of one name).
    return [Secret(text, what) for text, what in hidden.items() if text not in shown]


def _forms(text: str) -> set[str]:
    from django.utils.html import escape

    return {text, escape(text), text.replace('"', '\\"')}


def leaks_in(body: str, secrets: list[Secret]) -> list[Secret]:
    """The secrets printed in `body` (as a whole word, as typed or HTML-escaped)."""
    found = []
    for secret in secrets:
        for form in _forms(secret.text):
            if re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", body):
                found.append(secret)
                break
    return found
