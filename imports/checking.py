"""Checking every row of an import with the contact form's own rules, before anything is saved.

The choices a row may name come from the contact form itself (`ContactForm`, `NewPersonForm`,
`ServiceOffersForm`, built once for the importer): the operations it offers, their locations,
the active indicators, vulnerability factors and services. Each row is then checked by the
models' own validation (`full_clean`: the text limits, plausible dates and ages, a location
of the operation, no contact in the future), and the warnings the form asks to confirm
(`cases.contact_checks`) are shown with it. Saving goes through the domain actions again
(`cases.actions.record_contact`), so nothing here is trusted to be the last check.

People are matched within the importer's scope only (`Person.objects.visible_to`): a person
the importer may not see is never a match, and a reference to one reads as unknown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone

from cases import contact_checks, people_search
from cases.forms.contacts import ContactForm, NewPersonForm, ServiceOffersForm
from cases.models import (
    Citizenship,
    Contact,
    ContactOutcome,
    ContactRole,
    Gender,
    OfferResponse,
    Person,
)
from cases.models.sounds import keys_of

from .columns import BY_NAME, COLUMN_NAMES, LIST_SEPARATOR

# Which column a model field's error belongs to.
FIELD_COLUMNS = {
    "legal_name": "name",
    "estimated_age": "age",
    "age_estimated_on": "occurred_at",
    "date_of_birth": "date_of_birth",
    "aliases": "aliases",
    "gender": "gender",
    "citizenship": "citizenship",
    "languages": "languages",
    "occurred_at": "occurred_at",
    "location": "location",
    "place": "place",
    "role": "role",
    "outcome": "outcome",
    "narrative": "narrative",
    "operation": "",
}
SYNONYMS = {
    "gender": {"f": Gender.FEMALE, "m": Gender.MALE, "woman": Gender.FEMALE, "man": Gender.MALE},
    "citizenship": {"us citizen": Citizenship.US, "u.s.": Citizenship.US, "foreign national": Citizenship.FOREIGN},
}
YES, NO = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
CANDIDATE_CHUNK = 100  # rows per query of the people search (SQLite limits an expression's depth)


@dataclass
class RowCheck:
    number: int  # the row's line in the file (the header is line 1)
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)  # column ("" for the row) → messages
    warnings: list[str] = field(default_factory=list)
    person: Person | None = None  # named by its reference
    draft: Person | None = None  # a new person, unless a match is chosen
    contact: Contact | None = None
    indicators: list = field(default_factory=list)
    vulnerabilities: list = field(default_factory=list)
    offers: list = field(default_factory=list)  # (service type, response)
    candidates: list = field(default_factory=list)  # people_search.Candidate, best first
    key: str = ""
    repeats: int | None = None  # the earlier line of the file this row repeats
    imported_before: bool = False  # this agency imported the same row already

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)

    def messages(self) -> list[tuple[str, str]]:
        """(column label, message) in the order of the columns, the row's own first."""
        out = []
        for column in ("", *COLUMN_NAMES, "_extra"):
            for message in self.errors.get(column, []):
                label = BY_NAME[column].label if column in BY_NAME else ("Row" if not column else "Extra cells")
                out.append((label, message))
        return out


def row_key(operation_id: int | None, values: dict[str, str]) -> str:
    """The same contact typed the same way gives the same key, whatever file it comes in."""
    plain = {name: " ".join(values.get(name, "").lower().split()) for name in COLUMN_NAMES}
    payload = json.dumps([operation_id, plain], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _lookup(choices) -> dict[str, str]:
    """code and label (any case) → code."""
    table = {}
    for code, label in choices:
        if code:
            table[str(code).lower()] = code
            table[str(label).lower()] = code
    return table


def _names(queryset) -> dict[str, object]:
    """Catalogue entries by name and code, any case."""
    table = {}
    for entry in queryset:
        table[entry.name.lower()] = entry
        table[entry.code.lower()] = entry
    return table


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


class Checker:
    """The rules of one importer's contact form, loaded once, applied to every row."""

    def __init__(self, user, agency, operation=None):
        self.user, self.agency, self.operation = user, agency, operation
        contact_form = ContactForm(user=user, operation=operation)
        person_form = NewPersonForm(user=user)
        self.locations = {}
        if operation is not None:
            for location in contact_form.fields["location"].queryset:
                self.locations.setdefault(location.venue_name.lower(), location)
        self.indicators = _names(contact_form.fields["indicators"].queryset)
        self.vulnerabilities = _names(person_form.fields["vulnerabilities"].queryset)
        self.services = _names(ServiceOffersForm(user=user).services)
        self.choices = {
            "role": _lookup(ContactRole.choices),
            "outcome": _lookup(ContactOutcome.choices),
            "gender": {**_lookup(Gender.choices), **SYNONYMS["gender"]},
            "citizenship": {**_lookup(Citizenship.choices), **SYNONYMS["citizenship"]},
        }
        self.visible_people = Person.objects.visible_to(user)

    # --- one cell ------------------------------------------------------------------

    def _choice(self, row: RowCheck, column: str, default: str = "") -> str:
        text = row.values.get(column, "").strip()
        if not text:
            return default
        found = self.choices[column].get(text.lower())
        if found is None:
            row.add(column, f"“{text}” is not one of the choices: {BY_NAME[column].help}")
            return default
        return found

    def _entries(self, row: RowCheck, column: str, table: dict, what: str) -> list:
        found = []
        for name in _split(row.values.get(column, "")):
            entry = table.get(name.lower())
            if entry is None:
                row.add(column, f"“{name}” is not a {what} of the catalogue (or it is no longer in use).")
            elif entry not in found:
                found.append(entry)
        return found

    def _when(self, row: RowCheck) -> dt.datetime | None:
        text = row.values.get("occurred_at", "").strip()
        if not text:
            row.add("occurred_at", "Say when the contact happened: YYYY-MM-DD HH:MM.")
            return None
        for pattern in DATETIME_FORMATS:
            try:
                return timezone.make_aware(dt.datetime.strptime(text, pattern))
            except ValueError:
                continue
            except Exception:  # a time that does not exist on that day (the clocks went forward)
                break
        row.add("occurred_at", f"“{text}” is not a date and time; write it as YYYY-MM-DD HH:MM (24-hour clock).")
        return None

    def _date(self, row: RowCheck, column: str) -> dt.date | None:
        text = row.values.get(column, "").strip()
        if not text:
            return None
        for pattern in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        row.add(column, f"“{text}” is not a date; write it as YYYY-MM-DD.")
        return None

    def _number(self, row: RowCheck, column: str, low: int, high: int) -> int | None:
        text = row.values.get(column, "").strip()
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            row.add(column, f"“{text}” is not a whole number.")
            return None
        if not low <= number <= high:
            row.add(column, f"Enter a number from {low} to {high}.")
            return None
        return number

    def _yes_no(self, row: RowCheck, column: str) -> bool:
        text = row.values.get(column, "").strip().lower()
        if text in YES:
            return True
        if text not in NO:
            row.add(column, f"“{row.values[column]}” is neither Yes nor No.")
        return False

    # --- one row -------------------------------------------------------------------

    def _model_errors(self, row: RowCheck, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else FIELD_COLUMNS.get(name, "")
            for message in messages:
                row.add(column, message)

    def _person(self, row: RowCheck, when) -> None:
        v = row.values
        reference = v.get("person_reference", "").strip()
        if reference:
            row.person = self._by_reference.get(reference.upper())
            if row.person is None:
                row.add("person_reference", f"No person {reference} is on record among the people you can see.")
            return
        age = self._number(row, "age", 0, 120)
        year = self._number(row, "birth_year", 1900, timezone.localdate().year)
        day = timezone.localtime(when).date() if when else timezone.localdate()
        if age is None and year is not None:
            age = max(0, day.year - year)
        draft = Person(
            legal_name=v.get("name", "").strip(),
            aliases="\n".join(_split(v.get("aliases", ""))),
            estimated_age=age,
            age_estimated_on=day if age is not None else None,
            date_of_birth=self._date(row, "date_of_birth"),
            gender=self._choice(row, "gender", Gender.UNKNOWN),
            citizenship=self._choice(row, "citizenship", Citizenship.UNKNOWN),
            languages=v.get("languages", "").strip(),
            interpreter_needed=self._yes_no(row, "interpreter_needed"),
            created_by_agency=self.agency,
        )
        row.vulnerabilities = self._entries(row, "vulnerabilities", self.vulnerabilities, "vulnerability factor")
        try:
            # The agency is the importer's own: no query per row to find it exists.
            draft.full_clean(exclude=["created_by_agency"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self._model_errors(row, error)
        row.draft = draft

    def _offers(self, row: RowCheck) -> None:
        offered = self._entries(row, "services_offered", self.services, "service")
        accepted = self._entries(row, "services_accepted", self.services, "service")
        # Accepted counts as offered, as on the quick contact form.
        for service in accepted:
            if service not in offered:
                offered.append(service)
        row.offers = [(s, OfferResponse.ACCEPTED if s in accepted else OfferResponse.DECLINED) for s in offered]

    def _contact(self, row: RowCheck, when) -> None:
        v = row.values
        location = None
        venue = v.get("location", "").strip()
        if venue:
            location = self.locations.get(venue.lower())
            if location is None:
                where = "this operation" if self.operation else "a walk-in (no operation was chosen)"
                row.add("location", f"“{venue}” is not a location of {where}. Write it under “place” instead.")
        outcome = self._choice(row, "outcome")
        if not outcome and not v.get("outcome", "").strip():
            if row.offers:
                outcome = ContactOutcome.OFFERED_SERVICES
            else:
                row.add("outcome", "Say what happened: no service was offered.")
        role = self._choice(row, "role")
        if not v.get("role", "").strip():
            row.add("role", "Say the person's role in the contact.")
        contact = Contact(
            operation=self.operation,
            location=location,
            place=v.get("place", "").strip(),
            occurred_at=when,
            agency=self.agency,
            role=role,
            outcome=outcome,
            narrative=v.get("narrative", "").strip(),
        )
        row.indicators = self._entries(row, "indicators", self.indicators, "trafficking indicator")
        # The foreign keys were loaded above from the form's own choices: no query per row for them.
        exclude = ["person", "operation", "location", "agency"] + [
            name for name in ("occurred_at", "role", "outcome") if not getattr(contact, name)
        ]
        try:
            contact.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self._model_errors(row, error)
        row.contact = contact

    def check_row(self, number: int, values: dict[str, str]) -> RowCheck:
        row = RowCheck(number, values, key=row_key(self.operation.pk if self.operation else None, values))
        if values.get("_extra"):
            row.add("_extra", "Cells beyond the named columns: give them a column name or remove them.")
        when = self._when(row)
        self._person(row, when)
        self._offers(row)
        self._contact(row, when)
        if when is not None and row.contact is not None and row.contact.role:
            person = row.person or row.draft
            for warning in contact_checks.warnings_for(self.operation, when, row.contact.role, person):
                row.warnings.append(warning.message)
        return row

    # --- the whole file ------------------------------------------------------------

    def _load_references(self, rows: list[dict[str, str]]) -> None:
        """The people named by reference, in one query, among those the importer sees."""
        wanted = {r.get("person_reference", "").strip().upper() for r in rows} - {""}
        self._by_reference = {}
        if not wanted:
            return
        for person in self.visible_people.filter(reference__in=wanted):
            survivor = person.merged_into if person.merged_into_id else person
            self._by_reference[person.reference] = survivor
        # A merged-away record's survivor must be visible too.
        survivors = {p.pk for p in self._by_reference.values()}
        visible = set(self.visible_people.filter(pk__in=survivors).values_list("pk", flat=True))
        self._by_reference = {ref: p for ref, p in self._by_reference.items() if p.pk in visible}

    def check(self, rows: list[dict[str, str]]) -> list[RowCheck]:
        self._load_references(rows)
        checked = [self.check_row(index + 2, values) for index, values in enumerate(rows)]
        first_line = {}
        for row in checked:
            if row.key in first_line:
                row.repeats = first_line[row.key]
            else:
                first_line[row.key] = row.number
        match_candidates(self.visible_people, [r for r in checked if r.draft is not None and r.repeats is None])
        return checked


def match_candidates(visible, rows: list[RowCheck], chunk: int = CANDIDATE_CHUNK) -> None:
    """Each new person's possible matches among `visible` people, a few queries for the whole file.

    The same test as the duplicate check of the contact form (`people_search.candidates_for`):
    every sound-alike key of the name in the name or the aliases, then ages and genders that agree
    (`people_search.likeness`).
    """
    keyed = [(row, keys) for row in rows if (keys := keys_of(row.draft.legal_name))]
    live = visible.active().filter(merged_into__isnull=True)
    pool: dict[int, Person] = {}
    for start in range(0, len(keyed), chunk):
        wanted = Q(pk__in=[])
        for _row, keys in keyed[start : start + chunk]:
            one = Q()
            for key in keys:
                one &= Q(name_keys__contains=f" {key} ") | Q(alias_keys__contains=f" {key} ")
            wanted |= one
        for person in live.filter(wanted):
            pool[person.pk] = person
    people = sorted(pool.values(), key=lambda p: p.pk)
    for row, keys in keyed:
        found = []
        for person in people:
            if all(f" {k} " in person.name_keys or f" {k} " in person.alias_keys for k in keys):
                candidate = people_search.likeness(row.draft, person)
                if candidate is not None:
                    found.append(candidate)
        row.candidates = sorted(found, key=lambda c: (-c.score, c.person.pk))[: people_search.CANDIDATES]
