"""What a page may print about a related record: its name and link, or "Not shown".

A record in a user's scope can point at one that is not (an offer provided by a partner
names a person never referred to it; a hand-off names the operation a caseworker does
not see). Every rendering of such a related record goes through here: the template tag
`{% related %}` (cases.templatetags.web), the admin's list columns and read-only fields
(cases.admin.base) and the API's related ids (cases.api.fields, which answers null).

The checks are batched: `prime()` asks once per kind of record for a page's worth of
ids, and each answer is remembered for the rest of the request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from cases import access

NOT_SHOWN = "Not shown"


def _is_ruled_record(model) -> bool:
    """Case records the policy scopes; the directory, catalogues and users are open to members."""
    return model in access.RULED_MODELS and model not in access.OPEN_MODELS


def hides_related(field) -> bool:
    """Does this model field point at a record that may be outside the viewer's scope?"""
    return bool(field.is_relation and (field.many_to_one or field.one_to_one) and _is_ruled_record(field.related_model))


def label(obj) -> str:
    """How a related record is named on a page: an operation by code and name, others by str()."""
    from cases.models import Operation

    if isinstance(obj, Operation):
        return f"{obj.code} {obj.name}".strip()
    return str(obj)


class Disclosure:
    """One user's answers to "may I print this related record?", checked in batches."""

    def __init__(self, user):
        self.user = user
        self._seen: dict[type, dict[int, bool]] = defaultdict(dict)

    def prime(self, objects: Iterable, *paths: str) -> None:
        """Check, one query per kind of record, the records at `paths` ("contact.operation") of `objects`."""
        wanted: dict[type, set[int]] = defaultdict(set)
        for obj in objects:
            for path in paths:
                related = _follow(obj, path)
                if related is not None and _is_ruled_record(type(related)):
                    wanted[type(related)].add(related.pk)
        for model, pks in wanted.items():
            self._check(model, pks)

    def prime_ids(self, model, pks: Iterable[int]) -> None:
        """Check these ids of one kind of record in one query (an export does, a chunk at a time)."""
        if _is_ruled_record(model):
            self._check(model, pks)

    def _check(self, model, pks) -> None:
        # The API's own check (one query for the lot, id by id on PostgreSQL).
        cache = self._seen[model]
        todo = {pk for pk in pks if pk is not None and pk not in cache}
        if not todo:
            return
        seen = todo if access.sees_every_row(self.user, model) else access.visible_ids(self.user, model, todo)
        for pk in todo:
            cache[pk] = pk in seen

    def sees(self, obj: models.Model | None) -> bool:
        """May the user see this related record? (None: there is nothing to see.)"""
        if obj is None:
            return False
        model = type(obj)
        if not _is_ruled_record(model):
            return True
        if obj.pk not in self._seen[model]:
            self._check(model, [obj.pk])
        return self._seen[model][obj.pk]

    def shown(self, obj):
        """The record itself if the user may see it, else None."""
        return obj if self.sees(obj) else None

    def label(self, obj) -> str:
        """The record's name, "Not shown" when outside the user's scope, "" when there is none."""
        if obj is None:
            return ""
        return label(obj) if self.sees(obj) else NOT_SHOWN


def _follow(obj, path: str):
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def disclosure_for(request) -> Disclosure:
    """The request's Disclosure, made once and shared by everything that renders the page."""
    found = getattr(request, "_disclosure", None)
    if found is None or found.user is not request.user:
        found = Disclosure(request.user)
        request._disclosure = found
    return found
