"""The audit trail in the staff's words: kinds of record, record names, reasons as sentences.

Names of records go through the access policy (cases.disclosure): a record the reader
may not see is printed "Not shown", whatever the trail says about it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from cases.disclosure import NOT_SHOWN, Disclosure
from cases.models.relief import RELIEF_TRANSITIONS

from .log import show

# Steps of the referral workflow as written in the trail ("Referral start_service: …").
REFERRAL_STEPS = {
    "send": "sent",
    "acknowledge": "acknowledged",
    "accept": "accepted",
    "decline": "declined",
    "start_service": "started service",
    "close": "closed",
    "revoke": "revoked",
}
_REFERRAL = re.compile(r"^Referral (\w+):\s*(.*)$", re.S)
# Steps of a relief request ("Relief decline: no cooperation" → "Relief request declined: …").
_RELIEF = re.compile(r"^Relief (\w+):\s*(.*)$", re.S)
_STATUS = re.compile(r"^Status changed from (\w+) to (\w+)$")


# Kinds whose model name would read oddly in the trail ("Investigation person").
KIND_NAMES = {
    "cases.investigationagency": "Agency in an investigation",
    "cases.investigationperson": "Person in an investigation",
    "cases.count": "Count of a prosecution",
    "cases.courtevent": "Court date",
    "cases.statute": "Statute",
    "cases.reliefevent": "Relief request step",
}


def kind_name(label: str) -> str:
    """ "cases.person" → "Person"; an unknown label is returned as it is."""
    if label in KIND_NAMES:
        return KIND_NAMES[label]
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def kind_choices(labels) -> list[tuple[str, str]]:
    """Kinds of record for a select, by their names."""
    return sorted(((label, kind_name(label)) for label in labels), key=lambda item: item[1].lower())


def reason_sentence(reason: str) -> str:
    """ "Referral start_service: note" → "Referral started service: note"; codes of a status as labels."""
    if not reason:
        return ""
    found = _REFERRAL.match(reason)
    if found:
        step, rest = found.groups()
        verb = REFERRAL_STEPS.get(step, step.replace("_", " "))
        rest = rest.strip()
        return f"Referral {verb}" + (f": {rest}" if rest else "")
    found = _RELIEF.match(reason)
    if found and found.group(1) in RELIEF_TRANSITIONS:
        step, rest = found.groups()
        rest = rest.strip()
        return f"Relief request {RELIEF_TRANSITIONS[step][2]}" + (f": {rest}" if rest else "")
    found = _STATUS.match(reason)
    if found:
        from cases.models import OperationStatus

        labels = dict(OperationStatus.choices)
        old, new = (str(labels.get(code, code)).lower() for code in found.groups())
        return f"Status changed from {old} to {new}"
    return reason


def field_name(model, name: str) -> str:
    try:
        text = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def field_value(model, name: str, value):
    """A changed value as the pages show it: a choice by its label."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    return value


def record_names(user, items, request=None) -> dict[tuple[str, int], str]:
    """(label, id) → the record's name as `user` may read it, one query per kind of record.

    `items` are (model label, id) pairs; a record the user may not see, or that is gone,
    is named "Not shown". With `request`, the records named go to the request's access-log
    row like any page's (a person's name in the audit trail is a read of that person).
    """
    wanted: dict[str, set[int]] = defaultdict(set)
    for label, pk in items:
        if pk is not None and str(pk).isdigit():
            wanted[label].add(int(pk))
    disclosure = Disclosure(user)
    names: dict[tuple[str, int], str] = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        found = {obj.pk: obj for obj in model._base_manager.filter(pk__in=pks)}
        disclosure.prime_ids(model, found)
        named = []
        for pk in pks:
            obj = found.get(pk)
            names[(label, pk)] = disclosure.label(obj) if obj is not None else NOT_SHOWN
            if obj is not None and names[(label, pk)] != NOT_SHOWN:
                named.append(obj)
        if request is not None and named:
            show(request, named)
    return names


def record_title(label: str, name: str, pk) -> str:
    """ "Person P-000034"; "Referral R-000012" (a name that already says its kind is not repeated)."""
    kind = kind_name(label)
    if not name:
        return f"{kind} {pk}"
    return name if name.lower().startswith(kind.lower()) else f"{kind} {name}"
