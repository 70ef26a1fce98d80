"""The downloads a person opens: headings, labels, names and local times instead of the API's codes.

A list export (cases.api.exports) is built from the API's representation of each record:
ids, choice codes, ISO 8601 times in UTC. `?format=csv|xlsx` turns that representation
into what a person reads, column by column; `&raw=1` keeps the machine form for scripts.

- headings from the model's field names ("Contact time", "Agency"), not "occurred_at";
- a choice shows its label ("Potential victim"), a yes/no field "Yes"/"No";
- a related record shows its name (an agency's name, a person's reference, an operation's
  code and name). The ids come from the representation, which already left out (null) a
  record the viewer may not see; each name is still asked of the policy
  (cases.disclosure), a chunk of rows at a time, and one it refuses prints "Not shown";
- a time is the task force's local time, a date a date: real date cells in XLSX.

Nothing is added to what the JSON shows: each value is only rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from rest_framework import relations, serializers

from cases.disclosure import Disclosure

# Headings that read better than the field's own name.
HEADINGS = {
    "id": "ID",
    "occurred_at": "Contact time",
    "starts_at": "Starts",
    "ends_at": "Ends",
    "created_at": "Recorded",
    "updated_at": "Last changed",
    "voided_at": "Voided",
    "void_reason": "Reason voided",
    "is_minor": "Minor",
    "is_overdue": "Overdue",
    "status_label": "Status",
    "created_by_agency": "Recorded by agency",
    "sent_at": "Sent",
    "acknowledge_due_at": "Acknowledgement due",
    "acknowledged_at": "Acknowledged",
    "closed_at": "Closed",
    "offered_at": "Offered",
    "delivered_at": "Delivered",
    "detained_at": "Detained",
    "handed_over_at": "Handed over",
    "taken_at": "Taken into custody",
    "child_age_at_custody": "Child's age at custody",
    "person": "Person",
    "service_types": "Services asked for",
    "short_name": "Short name",
}

# Column widths in XLSX (characters), by kind of value; text up to TEXT_WIDTH.
WIDTHS = {"datetime": 18, "date": 12, "bool": 9, "number": 10, "related": 28, "many": 36}
TEXT_WIDTH = 40
LONG_TEXT = {"narrative", "notes", "summary", "reason", "briefing_notes", "safe_contact_notes", "description"}


@dataclass
class HumanColumn:
    name: str
    heading: str
    kind: str  # text, datetime, date, bool, number, choice, related, many
    choices: dict = field(default_factory=dict)
    model: type | None = None

    @property
    def width(self) -> int:
        if self.kind == "text":
            base = TEXT_WIDTH if self.name in LONG_TEXT else 20
        else:
            base = WIDTHS.get(self.kind, 20)
        return max(base, min(len(self.heading) + 2, TEXT_WIDTH))


def _heading(name: str, model_field) -> str:
    if name in HEADINGS:
        return HEADINGS[name]
    text = str(getattr(model_field, "verbose_name", "") or name.replace("_", " "))
    return text[:1].upper() + text[1:]


def column_for(serializer, name: str) -> HumanColumn:
    """How the representation of one serializer field reads to a person."""
    model = serializer.Meta.model
    api_field = serializer.fields[name]
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        model_field = None
    heading = _heading(name, model_field)
    if isinstance(api_field, relations.ManyRelatedField):
        child = api_field.child_relation
        target = getattr(child, "model", None) or child.queryset.model
        return HumanColumn(name, heading, "many", model=target)
    if isinstance(api_field, relations.PrimaryKeyRelatedField):
        target = getattr(api_field, "model", None) or (model_field.related_model if model_field else None)
        return HumanColumn(name, heading, "related", model=target)
    if isinstance(api_field, serializers.ChoiceField):
        return HumanColumn(name, heading, "choice", choices={str(k): str(v) for k, v in api_field.choices.items()})
    model_choices = getattr(model_field, "choices", None)
    if model_choices:
        return HumanColumn(name, heading, "choice", choices={str(k): str(v) for k, v in model_choices})
    if isinstance(api_field, serializers.DateTimeField):
        return HumanColumn(name, heading, "datetime")
    if isinstance(api_field, serializers.DateField):
        return HumanColumn(name, heading, "date")
    if isinstance(api_field, serializers.BooleanField):
        return HumanColumn(name, heading, "bool")
    if isinstance(api_field, (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)):
        return HumanColumn(name, heading, "number")
    return HumanColumn(name, heading, "text")


def human_columns(serializer, columns: list[str]) -> list[HumanColumn]:
    return [column_for(serializer, name) for name in columns]


def local_datetime(value) -> dt.datetime | None:
    """An ISO 8601 time from the API as the task force's local wall-clock time (naive, for a spreadsheet)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, microsecond=0)


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


class Humanizer:
    """Rewrites rows of representation values into what a person reads, a chunk of rows at a time."""

    def __init__(self, user, columns: list[HumanColumn], chunk: int = 2000):
        self.columns = columns
        self.chunk = chunk
        self.disclosure = Disclosure(user)

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def rows(self, rows: Iterable[list]) -> Iterator[list]:
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.chunk:
                yield from self._convert(batch)
                batch = []
        if batch:
            yield from self._convert(batch)

    def _names(self, batch: list[list]) -> dict[type, dict[int, str]]:
        """The names of every related record of the chunk, one query per kind of record."""
        wanted: dict[type, set[int]] = {}
        for index, column in enumerate(self.columns):
            if column.kind not in ("related", "many") or column.model is None:
                continue
            ids = wanted.setdefault(column.model, set())
            for row in batch:
                value = row[index]
                if column.kind == "many":
                    ids.update(v for v in value or () if v is not None)
                elif value is not None:
                    ids.add(value)
        names: dict[type, dict[int, str]] = {}
        for model, ids in wanted.items():
            found = {obj.pk: obj for obj in model._base_manager.filter(pk__in=ids)} if ids else {}
            self.disclosure.prime_ids(model, found)
            names[model] = {pk: self.disclosure.label(obj) for pk, obj in found.items()}
        return names

    def _convert(self, batch: list[list]) -> Iterator[list]:
        names = self._names(batch)
        for row in batch:
            yield [self._value(column, value, names) for column, value in zip(self.columns, row)]
        # The policy's answers are kept for one chunk only, so memory stays flat.
        self.disclosure = Disclosure(self.disclosure.user)

    @staticmethod
    def _value(column: HumanColumn, value, names):
        if column.kind == "datetime":
            return local_datetime(value)
        if column.kind == "date":
            return _date(value)
        if value is None:
            return None
        if column.kind == "bool":
            return "Yes" if value else "No"
        if column.kind == "choice":
            if isinstance(value, (list, tuple)):
                return [column.choices.get(str(v), v) for v in value]
            return column.choices.get(str(value), value) if value != "" else ""
        if column.kind == "related":
            return names.get(column.model, {}).get(value, "Not shown")
        if column.kind == "many":
            known = names.get(column.model, {})
            return [known.get(v, "Not shown") for v in value]
        return value
