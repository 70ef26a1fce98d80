"""The person access rows (cases/access/people_access.py) give exactly the people the policy gave
when it derived them per person, and stay in step with every write they are derived from."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q

from cases import access, merging
from cases.access import people_access
from cases.access.viewer import ADVOCATE, CASEWORKER, OFFICER, viewer_for
from cases.models import (
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
from tests import factories as f
from tests.test_access_matrix import ALL_PERSONAS


def _derived(user) -> set[int]:
    """The people rule as it was before the rows: every way in re-derived per person."""
    v = viewer_for(user)
    a = v.agency_id
    own = Q(created_by_agency_id=a)
    person = OuterRef("pk")
    sent = Q(to_agency_id=a) & ~Q(status=ReferralStatus.DRAFT)
    if v.scope == OFFICER:
        operations = Participation.objects.filter(agency_id=a).values("operation_id")
        investigations = InvestigationAgency.objects.filter(agency_id=a).values("investigation_id")
        rule = (
            own
            | Exists(Contact.objects.filter(Q(operation_id__in=operations) | Q(agency_id=a), person_id=person))
            | Exists(Referral.objects.filter(person_id=person, from_agency_id=a))
            | Exists(CustodyHandoff.objects.filter(person_id=person, custody_agency_id=a))
            | Exists(Detention.objects.filter(person_id=person, agency_id=a))
            | Exists(InvestigationPerson.objects.filter(person_id=person, investigation_id__in=investigations))
            | Exists(Prosecution.objects.filter(defendant_id=person, prosecuting_agency_id=a))
            | Exists(ReliefRequest.objects.filter(person_id=person, requested_of_agency_id=a))
        )
    elif v.scope == ADVOCATE:
        rule = own | Q(id__in=Referral.objects.filter(sent | Q(from_agency_id=a)).values("person_id"))
    elif v.scope == CASEWORKER:
        rule = own | Q(id__in=CustodyHandoff.objects.filter(receiving_agency_id=a).values("person_id"))
    else:
        return set()
    return set(Person.objects.filter(rule).values_list("pk", flat=True))


def _rows() -> set[tuple[int, int, str]]:
    return set(PersonAccess.objects.values_list("agency_id", "person_id", "way"))


def _in_step() -> None:
    """The rows kept by the writes are the rows a rebuild derives from scratch."""
    kept = _rows()
    people_access.rebuild()
    assert kept == _rows()


def _visible(user) -> set[int]:
    return set(Person.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_every_persona_sees_the_people_it_saw_when_they_were_derived(world, persona):
    user = getattr(world.users, persona)
    if access.sees_every_row(user, Person) or viewer_for(user).scope not in (OFFICER, ADVOCATE, CASEWORKER):
        pytest.skip("not under the person rule")
    assert _visible(user) == _derived(user)
    assert _derived(user), "the persona should see someone in the world"


@pytest.mark.parametrize("few", [0, 1_000_000], ids=["sees-many", "sees-few"])
def test_an_officer_sees_the_same_people_whether_its_agency_sees_many_or_few(world, monkeypatch, few):
    """On PostgreSQL an agency that sees few people has them read as a list first, one that sees
    many has each person checked (cases/access/rules.py, _sees_few_people): the same people."""
    from cases.access import rules

    monkeypatch.setattr(rules, "FEW_PEOPLE", few)
    for persona in ("officer_sjpd", "prosecutor"):
        user = type(getattr(world.users, persona)).objects.get(
            pk=getattr(world.users, persona).pk
        )  # a fresh membership, counted anew
        assert viewer_for(user).scope == OFFICER
        assert _visible(user) == _derived(user) and _derived(user)


def test_the_rows_built_by_the_writes_are_those_the_rebuild_command_derives(world):
    kept = _rows()
    assert kept
    PersonAccess.objects.all().delete()
    call_command("rebuild_people_access", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _rows() == kept


def test_a_contact_in_an_operation_opens_the_person_to_each_participating_agency(world):
    a, r, u = world.agencies, world.records, world.users
    person = f.PersonFactory(created_by_agency=a.harbor)
    assert person.pk not in _visible(u.officer_sjpd)
    contact = f.ContactFactory(person=person, operation=r.op_sjpd, agency=a.sjpd)
    assert person.pk in _visible(u.officer_sjpd)
    _in_step()
    # Joining the operation opens everyone contacted in it to the new agency; leaving closes them.
    assert person.pk not in _visible(u.officer_kcpd)
    joined = f.ParticipationFactory(operation=r.op_sjpd, agency=a.kcpd)
    assert person.pk in _visible(u.officer_kcpd)
    _in_step()
    joined.delete()
    assert person.pk not in _visible(u.officer_kcpd)
    _in_step()
    # Moved to another agency's operation: the first agency loses the person.
    contact.operation = r.op_kcpd
    contact.agency = a.kcpd
    contact.location = None
    contact.save()
    assert person.pk not in _visible(u.officer_sjpd)
    assert person.pk in _visible(u.officer_kcpd)
    _in_step()


def test_a_referral_opens_the_person_to_the_advocate_once_sent_and_voiding_changes_nothing(world):
    a, u = world.agencies, world.users
    person = f.PersonFactory(created_by_agency=a.kcpd)
    referral = f.ReferralFactory(person=person, contact=None, from_agency=a.kcpd, to_agency=a.harbor, status="draft")
    assert person.pk not in _visible(u.advocate_harbor)
    referral.status = ReferralStatus.SENT
    referral.save()
    assert person.pk in _visible(u.advocate_harbor)
    _in_step()
    referral.mark_voided(u.coordinator, "Entered twice.")
    assert person.pk in _visible(u.advocate_harbor)  # the policy shows voided records too
    _in_step()


def test_custody_detention_investigation_prosecution_and_relief_keep_the_rows_in_step(world):
    a, r, u = world.agencies, world.records, world.users
    child = f.PersonFactory(created_by_agency=a.harbor, estimated_age=8)
    f.CustodyHandoffFactory(
        person=child, contact=None, operation=None, custody_agency=a.sjpd, receiving_agency=a.childrens
    )
    assert child.pk in _visible(u.caseworker) and child.pk in _visible(u.officer_sjpd)
    adult = f.PersonFactory(created_by_agency=a.harbor)
    f.DetentionFactory(person=adult, contact=None, agency=a.kcpd)
    named = InvestigationPerson.objects.create(investigation=r.investigation_sjpd, person=adult, role="suspect")
    f.ProsecutionFactory(investigation=r.investigation_sjpd, prosecuting_agency=a.prosecutor, defendant=adult)
    f.ReliefRequestFactory(person=adult, requested_by_agency=a.harbor, requested_of_agency=a.sjpd)
    assert adult.pk in _visible(u.prosecutor)
    _in_step()
    named.delete()
    _in_step()
    for persona in ("officer_sjpd", "officer_kcpd", "caseworker", "prosecutor", "advocate_harbor"):
        user = getattr(u, persona)
        assert _visible(user) == _derived(user), persona


def test_merge_and_undo_keep_the_rows_in_step(world):
    a, r, u = world.agencies, world.records, world.users
    survivor = f.person_met(world, "Destiny Quarrington", estimated_age=6)
    other = f.PersonFactory(legal_name="Destny Quarington", estimated_age=6, created_by_agency=a.kcpd)
    contact = f.ContactFactory(person=other, operation=r.op_kcpd, agency=a.kcpd)
    f.ReferralFactory(contact=contact, person=other, from_agency=a.kcpd, to_agency=a.harbor)
    InvestigationPerson.objects.create(investigation=r.investigation_sjpd, person=other, role="victim")
    visible_before = {p: _visible(getattr(u, p)) for p in ALL_PERSONAS}

    merge = merging.merge_people(u.coordinator, survivor, other)
    _in_step()
    assert survivor.pk in _visible(u.officer_kcpd)
    for persona in ALL_PERSONAS:
        user = getattr(u, persona)
        if not access.sees_every_row(user, Person):
            assert _visible(user) == _derived(user), persona

    merging.undo_merge(u.coordinator, merge)
    _in_step()
    assert {p: _visible(getattr(u, p)) for p in ALL_PERSONAS} == visible_before
