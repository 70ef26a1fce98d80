"""Keeping the person access rows (cases.models.PersonAccess) in step with the records.

The rows say, for each agency, which people its staff may see and through which scope; the
person rule of the access policy (cases/access/rules.py, `_people`) reads them instead of
deriving the answer per person. They are derived from the records below (`WAYS`), refreshed
for the people concerned whenever one of those records is written or removed (the signal
receivers at the end, connected in CasesConfig.ready), and rebuilt from scratch by
`manage.py rebuild_people_access` (after bulk loads such as `generate_data`, which write no
signals). Refreshing recomputes a person's rows from the records themselves, so a refresh
can never drift from a rebuild: both run the same SQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_init, post_save

from ..models import (
    Contact,
    CustodyHandoff,
    Detention,
    InvestigationAgency,
    InvestigationPerson,
    Participation,
    Person,
    PersonAccess,
    Prosecution,
    Referral,
    ReferralStatus,
    ReliefRequest,
)
from .viewer import ADVOCATE, CASEWORKER, OFFICER


class AccessWay(models.TextChoices):
    """Which scope of the agency's staff a row opens the person to (PersonAccess.way)."""

    ANY = "any", "Recorded by the agency (every scope)"
    OFFICER = OFFICER, "Officers and prosecutors"
    ADVOCATE = ADVOCATE, "Advocates"
    CASEWORKER = CASEWORKER, "Caseworkers"


# Parameters per statement stay under SQLite's limit.
CHUNK = 500


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ways() -> list[tuple[AccessWay, str, str, str, str]]:
    """(way, agency column, person column, FROM clause, condition) for every way in.

    The same ways as the rule they replace (cases/access/rules.py, `_people`), one per branch.
    """
    contact, participation = _t(Contact), _t(Participation)
    referral, handoff, detention = _t(Referral), _t(CustodyHandoff), _t(Detention)
    inv_person, inv_agency = _t(InvestigationPerson), _t(InvestigationAgency)
    prosecution, relief, person = _t(Prosecution), _t(ReliefRequest), _t(Person)
    officer, advocate = AccessWay.OFFICER, AccessWay.ADVOCATE
    sent = f"x.status <> '{ReferralStatus.DRAFT.value}'"
    return [
        # Recorded by the agency: every scope of its staff.
        (AccessWay.ANY, "x.created_by_agency_id", "x.id", f"{person} x", ""),
        # Officers: contacts made by the agency or in one of its operations, referrals it sent,
        # children it took into custody, its detentions, the people of its investigations and
        # prosecutions, and those it is asked to request immigration relief for.
        (officer, "x.agency_id", "x.person_id", f"{contact} x", ""),
        (
            officer,
            "p.agency_id",
            "x.person_id",
            f"{contact} x JOIN {participation} p ON p.operation_id = x.operation_id",
            "",
        ),
        (officer, "x.from_agency_id", "x.person_id", f"{referral} x", ""),
        (officer, "x.custody_agency_id", "x.person_id", f"{handoff} x", ""),
        (officer, "x.agency_id", "x.person_id", f"{detention} x", ""),
        (
            officer,
            "a.agency_id",
            "x.person_id",
            f"{inv_person} x JOIN {inv_agency} a ON a.investigation_id = x.investigation_id",
            "",
        ),
        (officer, "x.prosecuting_agency_id", "x.defendant_id", f"{prosecution} x", ""),
        (officer, "x.requested_of_agency_id", "x.person_id", f"{relief} x", ""),
        # Advocates: the people referred to the agency (once sent) and those it referred.
        (advocate, "x.to_agency_id", "x.person_id", f"{referral} x", sent),
        (advocate, "x.from_agency_id", "x.person_id", f"{referral} x", ""),
        # Caseworkers: the children received.
        (AccessWay.CASEWORKER, "x.receiving_agency_id", "x.person_id", f"{handoff} x", ""),
    ]


def _insert_sql(narrow: str | None) -> tuple[str, int]:
    """The INSERT … SELECT of the rows, of the people in `narrow` (a list of marks) or of everyone;
    and how many times the list of people is used."""
    parts, uses = [], 0
    for way, agency, person, source, condition in _ways():
        conditions = [f"{agency} IS NOT NULL", *([condition] if condition else [])]
        if narrow:
            conditions.append(f"{person} IN ({narrow})")
            uses += 1
        parts.append(
            f"SELECT {agency} AS agency_id, {person} AS person_id, '{way.value}' AS way"
            f" FROM {source} WHERE {' AND '.join(conditions)}"
        )
    access = _t(PersonAccess)
    sql = (
        f"INSERT INTO {access} (agency_id, person_id, way)"
        f" SELECT DISTINCT agency_id, person_id, way FROM ({' UNION ALL '.join(parts)}) ways"
    )
    return sql, uses


def refresh_people(person_ids: Iterable[int | None]) -> None:
    """Recompute the access rows of these people from their records (in the caller's transaction)."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    access = _t(PersonAccess)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {access} WHERE person_id IN ({marks})", chunk)
            sql, uses = _insert_sql(marks)
            cursor.execute(sql, chunk * uses)


def rebuild() -> int:
    """Every access row recomputed from the records; returns how many there are."""
    access = _t(PersonAccess)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {access}")
        cursor.execute(_insert_sql(None)[0])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {access}")
    return PersonAccess.objects.count()


# --- kept in step: which people a written record concerns ------------------------------------

# For each record: the fields naming the person, or naming what leads to people.
_PERSON_FIELDS = {
    Contact: ("person_id",),
    Referral: ("person_id",),
    CustodyHandoff: ("person_id",),
    Detention: ("person_id",),
    InvestigationPerson: ("person_id",),
    Prosecution: ("defendant_id",),
    ReliefRequest: ("person_id",),
    Person: ("id",),
}


def _people_of_operations(operation_ids) -> set[int]:
    ids = [pk for pk in operation_ids if pk is not None]
    return set(Contact.objects.filter(operation_id__in=ids).values_list("person_id", flat=True).distinct())


def _people_of_investigations(investigation_ids) -> set[int]:
    ids = [pk for pk in investigation_ids if pk is not None]
    return set(
        InvestigationPerson.objects.filter(investigation_id__in=ids).values_list("person_id", flat=True).distinct()
    )


_LEADS = {
    # An agency joining or leaving an operation opens or closes everyone contacted in it.
    Participation: ("operation_id", _people_of_operations),
    # An agency added to or removed from an investigation: everyone named in it.
    InvestigationAgency: ("investigation_id", _people_of_investigations),
}

# The fields whose loaded value is remembered, so a change of person refreshes the old one too.
_WATCHED = {**{m: f for m, f in _PERSON_FIELDS.items() if m is not Person}, **{m: (f,) for m, (f, _) in _LEADS.items()}}
_WATCHED[Person] = ("created_by_agency_id",)


def _remember(sender, instance, **kwargs) -> None:
    instance._access_loaded = tuple(instance.__dict__.get(f) for f in _WATCHED[sender])


def _concerned(sender, instance) -> set[int]:
    loaded = getattr(instance, "_access_loaded", ())
    if sender in _LEADS:
        field, people_of = _LEADS[sender]
        return people_of({getattr(instance, field), *loaded})
    if sender is Person:
        return {instance.pk}
    return {getattr(instance, f) for f in _PERSON_FIELDS[sender]} | set(loaded)


def _saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    if raw:
        return
    if sender is Person:
        # A person's own edits change nothing here; only who recorded them does.
        if not created and (instance.created_by_agency_id,) == getattr(instance, "_access_loaded", None):
            _remember(sender, instance)
            return
    refresh_people(_concerned(sender, instance))
    _remember(sender, instance)


def _deleted(sender, instance, **kwargs) -> None:
    if sender is Person:
        return  # its rows go with it (on_delete=CASCADE)
    refresh_people(_concerned(sender, instance))


def connect() -> None:
    for model in _WATCHED:
        uid = f"people_access:{model._meta.label_lower}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
