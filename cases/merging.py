"""Merging two records of one person, "not the same person", and undoing a merge.

Every row attached to a person is found by walking the models with a foreign key to
Person (`Person._meta.related_objects`), so a model added later is moved too — or, when
the walk meets a key it was not told about, the merge refuses to run (ImproperlyConfigured)
and tests/test_person_merge.py fails, rather than leaving rows behind on the merged record.

A merge runs in one transaction: each moved row is saved (its change history says it moved),
the survivor's chosen fields are saved, the merged record points to the survivor, and a
PersonMerge keeps exactly what moved so the coordinator can undo it.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from agencies.acting import acts
from agencies.limits import ALIASES
from agencies.roles import membership_of

from . import access
from .models import NotSamePerson, Person, PersonMerge

# The fields a merge lets the user choose between, field by field.
CHOOSABLE_FIELDS = (
    "legal_name",
    "aliases",
    "date_of_birth",
    "estimated_age",
    "age_estimated_on",
    "gender",
    "citizenship",
    "languages",
    "interpreter_needed",
    "phone",
    "email",
    "safe_contact_notes",
)

# Keys to Person that say something about the record itself, not rows attached to the person.
NOT_ATTACHED = frozenset(
    {
        "cases.person.merged_into",
        "cases.personmerge.survivor",
        "cases.personmerge.merged",
        # Derived access rows: recomputed for both people as their records move (cases/access/people_access.py).
        "cases.personaccess.person",
    }
)

# Every attached key and how it moves. "move": the row now belongs to the survivor.
# "fold": the row moves unless the survivor already has its twin (a unique constraint),
# in which case it is kept in the merge record and removed, and put back on undo.
ATTACHED = {
    "cases.contact.person": "move",
    "cases.serviceoffer.person": "move",
    "cases.referral.person": "move",
    "cases.custodyhandoff.person": "move",
    "cases.detention.person": "move",
    "cases.note.person": "move",
    "cases.investigationperson.person": "fold",
    "cases.prosecution.defendant": "move",
    "cases.reliefrequest.person": "move",
    # Tasks and follows (the work app): a task moves; a user following both records keeps one follow.
    "work.task.person": "move",
    "work.follow.person": "fold",
}

# Other users' work items on a person (their tasks and follows) move with the person but do not
# stop a merge: they record who works on the record, not what is known about the person, and the
# coordinator does not hold every agency's tasks.
NOT_CHECKED = frozenset({"work.task.person", "work.follow.person"})

# For a "fold" key: the fields whose equal values on the survivor's rows make a twin.
TWIN_FIELDS = {
    "cases.investigationperson.person": ("investigation_id", "role"),
    "work.follow.person": ("user_id",),
}

REFUSED_HIDDEN = (
    "These records cannot be merged by you: something recorded about one of these people is outside "
    "what you can see. Ask the task-force coordinator."
)


def attached_keys() -> list[tuple[type[models.Model], str, str]]:
    """(model, field name, "move"/"fold") for every foreign key to Person holding a person's records."""
    found = []
    for relation in Person._meta.related_objects:
        key = f"{relation.related_model._meta.label_lower}.{relation.field.name}"
        if key in NOT_ATTACHED:
            continue
        if relation.many_to_many or key not in ATTACHED:
            raise ImproperlyConfigured(
                f"{key} points to Person and cases/merging.py does not say how a merge moves it; add it to ATTACHED."
            )
        found.append((relation.related_model, relation.field.name, ATTACHED[key]))
    return found


def _key(model, field: str) -> str:
    return f"{model._meta.label_lower}.{field}"


def hidden_attachments(user, people: list[Person]) -> bool:
    """Is any row attached to these people outside what the user may see?"""
    ids = [p.pk for p in people]
    for model, field, _how in attached_keys():
        if _key(model, field) in NOT_CHECKED:
            continue
        every = model.objects.filter(**{f"{field}__in": ids})
        if every.count() != model.objects.visible_to(user).filter(**{f"{field}__in": ids}).count():
            return True
    return False


def attached_counts(user, person: Person) -> dict[str, int]:
    """How many rows of each kind are attached to a person (shown on the merge page, in scope)."""
    counts = {}
    for model, field, _how in attached_keys():
        n = model.objects.visible_to(user).filter(**{field: person}).count()
        if n:
            counts[str(model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural)] = n
    return counts


def check_may_merge(user, survivor: Person, merged: Person) -> None:
    """PermissionDenied unless the user may merge these two (both from `visible_to(user)`)."""
    if survivor.pk == merged.pk:
        raise ValidationError("Choose two different records.")
    for person in (survivor, merged):
        access.require(user, "person.merge", person)
        if access.person_fields(user, person) is not None:
            raise PermissionDenied(REFUSED_HIDDEN)
    if hidden_attachments(user, [survivor, merged]):
        raise PermissionDenied(REFUSED_HIDDEN)


def _stored(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _restored(field_name: str, value):
    return None if value is None else Person._meta.get_field(field_name).to_python(value)


def _with_other_names(survivor: Person, merged: Person) -> str:
    """The survivor's aliases plus the merged record's name and aliases (it is still found by them)."""
    names = survivor.alias_list
    known = {n.casefold() for n in [*names, survivor.legal_name]}
    for name in [merged.legal_name, *merged.alias_list]:
        if name and name.casefold() not in known:
            names.append(name)
            known.add(name.casefold())
    aliases = "\n".join(names)
    if len(aliases) > ALIASES:
        raise ValidationError({"aliases": f"Together the aliases pass {ALIASES} characters; shorten them first."})
    return aliases


def _move(row, field: str, to: Person, reason: str) -> None:
    setattr(row, field, to)
    row._change_reason = reason
    row.save(update_fields=[field])


@acts
@transaction.atomic
def merge_people(user, survivor: Person, merged: Person, take_from_other=(), reason: str = "") -> PersonMerge:
    """Merge `merged` into `survivor`; `take_from_other` names the fields whose value comes from `merged`."""
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    check_may_merge(user, survivor, merged)
    unknown = set(take_from_other) - set(CHOOSABLE_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be chosen in a merge: {', '.join(sorted(unknown))}.")
    history = f"Merged {merged.reference} into {survivor.reference}"[:100]

    before = {"vulnerabilities": sorted(survivor.vulnerabilities.values_list("pk", flat=True))}
    for name in take_from_other:
        before[name] = _stored(getattr(survivor, name))
        setattr(survivor, name, getattr(merged, name))
    if "aliases" not in before:
        before["aliases"] = survivor.aliases
    survivor.aliases = _with_other_names(survivor, merged)

    moved: dict[str, list[int]] = {}
    folded: list[dict] = []
    for model, field, how in attached_keys():
        ids = []
        for row in model.objects.filter(**{field: merged}).order_by("pk"):
            if how == "fold" and _has_twin(row, field, survivor):
                folded.append(_folded(row, field))
                row._change_reason = history
                row.delete()
                continue
            _move(row, field, survivor, history)
            ids.append(row.pk)
        if ids:
            moved[_key(model, field)] = ids

    survivor._change_reason = history
    survivor.full_clean()
    survivor.save()
    survivor.vulnerabilities.add(*merged.vulnerabilities.all())
    merged.merged_into = survivor
    merged._change_reason = history
    merged.save(update_fields=["merged_into", "updated_at"])
    record = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        merged_by=user,
        agency=membership_of(user).agency,
        reason=reason.strip(),
        survivor_before=before,
        moved=moved,
        folded=folded,
    )
    access.ensure_visible(user, survivor)
    return record


def _has_twin(row: models.Model, field: str, survivor: Person) -> bool:
    same = {name: getattr(row, name) for name in TWIN_FIELDS[_key(type(row), field)]}
    return type(row).objects.filter(**same, **{field: survivor}).exists()


def _folded(row: models.Model, field: str) -> dict:
    """What undo needs to put a folded row back: its model and every stored value."""
    values = {
        f.attname: None if getattr(row, f.attname) is None else f.value_to_string(row)
        for f in row._meta.concrete_fields
    }
    return {"model": _key(type(row), field), "id": row.pk, "values": values}


@acts
@transaction.atomic
def undo_merge(user, merge: PersonMerge) -> PersonMerge:
    """Put everything back as it was before the merge (the coordinator only)."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    access.require(user, "person.unmerge", merge)
    survivor, merged = merge.survivor, merge.merged
    history = f"Undid the merge of {merged.reference} into {survivor.reference}"[:100]
    models_by_key = {_key(model, field): (model, field) for model, field, _how in attached_keys()}
    for key, ids in merge.moved.items():
        model, field = models_by_key[key]
        for row in model.objects.filter(pk__in=ids, **{field: survivor}):
            _move(row, field, merged, history)
    for row in merge.folded:
        model, field = models_by_key[row["model"]]
        stored = row["values"]
        restored = model(**{f.attname: f.to_python(stored[f.attname]) for f in model._meta.concrete_fields})
        setattr(restored, field, merged)
        restored._change_reason = history
        try:
            restored.save(force_insert=True)
        except IntegrityError as error:
            raise ValidationError("A row of the merged record cannot be put back (its twin is back first).") from error
    before = dict(merge.survivor_before)
    vulnerabilities = before.pop("vulnerabilities", None)
    for name, value in before.items():
        setattr(survivor, name, _restored(name, value))
    survivor._change_reason = history
    survivor.save()
    if vulnerabilities is not None:
        survivor.vulnerabilities.set(vulnerabilities)
    merged.merged_into = None
    merged._change_reason = history
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge._change_reason = history
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge


@acts
@transaction.atomic
def mark_not_same(user, a: Person, b: Person) -> NotSamePerson:
    """Remember that two records are two people: the pair is not proposed again."""
    for person in (a, b):
        access.require(user, "person.review_duplicates", person)
    if a.pk == b.pk:
        raise ValidationError("Choose two different records.")
    first, second = sorted((a, b), key=lambda p: p.pk)
    decision, _created = NotSamePerson.objects.get_or_create(
        first=first,
        second=second,
        defaults={"decided_by": user, "agency": membership_of(user).agency},
    )
    return decision
