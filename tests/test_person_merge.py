"""One person, one record: merge, undo, "not the same person", the review list and the
candidates shown before saving — all within the access policy.

The merge finds the rows to move by walking every foreign key to Person; a key it was not
told about stops it (test_a_foreign_key_to_person_the_merge_does_not_know_stops_it).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import merging, people_search
from cases.models import InvestigationPerson, NotSamePerson, Person, PersonMerge
from tests import factories as f
from tests.test_access_matrix import ALL_PERSONAS
from work.models import Follow, Task

_person = f.person_met


def _everything_attached(world, person: Person) -> None:
    """One row of every kind attached to a person (a child: custody needs one)."""
    r, a = world.records, world.agencies
    contact = f.ContactFactory(person=person, operation=r.op_sjpd, agency=a.sjpd)
    f.ServiceOfferFactory(contact=contact, person=person, offered_by=a.sjpd)
    f.ReferralFactory(contact=contact, person=person, to_agency=a.harbor)
    f.CustodyHandoffFactory(contact=contact, person=person, receiving_agency=a.childrens, custody_agency=a.sjpd)
    f.DetentionFactory(contact=contact, person=person, agency=a.sjpd)
    f.NoteFactory(operation=None, person=person, agency=a.sjpd, text="Seen again at the truck stop.")
    InvestigationPerson.objects.create(investigation=r.investigation_sjpd, person=person, role="victim")
    f.ProsecutionFactory(investigation=r.investigation_sjpd, prosecuting_agency=a.prosecutor, defendant=person)
    f.ReliefRequestFactory(person=person, requested_by_agency=a.harbor, requested_of_agency=a.sjpd)
    # Another agency's work items on the person move too, without stopping the merge.
    Task.objects.create(title="Offer services again", person=person, assigned_agency=a.harbor)
    Follow.objects.create(user=world.users.advocate_harbor, person=person)


def _rows_of(person: Person) -> dict[str, set[int]]:
    rows = {}
    for model, field, _how in merging.attached_keys():
        rows[f"{model._meta.label_lower}.{field}"] = set(
            model.objects.filter(**{field: person}).values_list("pk", flat=True)
        )
    return rows


# --- every foreign key to Person --------------------------------------------------------


def test_every_foreign_key_to_person_is_handled():
    keys = {f"{model._meta.label_lower}.{field}" for model, field, _how in merging.attached_keys()}
    assert keys == set(merging.ATTACHED)


def test_a_foreign_key_to_person_the_merge_does_not_know_stops_it(monkeypatch):
    known = dict(merging.ATTACHED)
    known.pop("cases.reliefrequest.person")
    monkeypatch.setattr(merging, "ATTACHED", known)
    with pytest.raises(ImproperlyConfigured, match="cases.reliefrequest.person"):
        merging.attached_keys()


# --- the merge and its undo -------------------------------------------------------------


def test_merge_moves_every_related_row_and_undo_puts_each_back(world):
    survivor = _person(world, "Destiny Quarrington", estimated_age=6)
    other = _person(world, "Destny Quarington", estimated_age=6, aliases="Dee")
    _everything_attached(world, other)
    before_survivor, before_other = _rows_of(survivor), _rows_of(other)
    assert all(before_other.values()), "every kind of attached row is in the test"

    merge = merging.merge_people(world.users.coordinator, survivor, other, take_from_other=["languages"])

    after_survivor, after_other = _rows_of(survivor), _rows_of(other)
    assert not any(after_other.values()), "a row stayed on the merged-away record"
    for key, ids in before_other.items():
        assert after_survivor[key] == before_survivor[key] | ids
    other.refresh_from_db()
    survivor.refresh_from_db()
    assert other.merged_into == survivor and not other.is_voided
    assert "Destny Quarington" in survivor.alias_list and "Dee" in survivor.alias_list

    merging.undo_merge(world.users.coordinator, merge)

    assert _rows_of(survivor) == before_survivor and _rows_of(other) == before_other
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert other.merged_into is None and survivor.alias_list == []
    merge.refresh_from_db()
    assert merge.is_undone and merge.undone_by == world.users.coordinator


def test_fields_are_chosen_one_by_one_and_restored_on_undo(world):
    survivor = _person(world, "Guadalupe Quarrington", languages="Spanish", phone="")
    other = _person(world, "Guadelupe Quarrington", languages="English", phone="(555) 010-0199")
    merge = merging.merge_people(world.users.supervisor_sjpd, survivor, other, take_from_other=["phone"])
    survivor.refresh_from_db()
    assert survivor.phone == "(555) 010-0199" and survivor.languages == "Spanish"
    merging.undo_merge(world.users.coordinator, merge)
    survivor.refresh_from_db()
    assert survivor.phone == "" and survivor.languages == "Spanish"


def test_a_repeated_investigation_role_is_folded_and_put_back_with_its_id(world):
    inv = world.records.investigation_sjpd
    survivor = _person(world, "Oleksandra Quarrington")
    other = _person(world, "Aleksandra Quarrington")
    InvestigationPerson.objects.create(investigation=inv, person=survivor, role="victim")
    twin = InvestigationPerson.objects.create(investigation=inv, person=other, role="victim", note="Seen twice")
    merge = merging.merge_people(world.users.coordinator, survivor, other)
    assert not InvestigationPerson.objects.filter(pk=twin.pk).exists()
    assert InvestigationPerson.objects.filter(investigation=inv, person=survivor, role="victim").count() == 1
    merging.undo_merge(world.users.coordinator, merge)
    back = InvestigationPerson.objects.get(pk=twin.pk)
    assert back.person == other and back.note == "Seen twice"


def test_a_user_following_both_records_keeps_one_follow_and_undo_gives_back_both(world):
    survivor = _person(world, "Olena Quarrington")
    other = _person(world, "Elena Quarrington")
    officer = world.users.officer_sjpd
    Follow.objects.create(user=officer, person=survivor)
    twin = Follow.objects.create(user=officer, person=other)
    merge = merging.merge_people(world.users.coordinator, survivor, other)
    assert list(Follow.objects.filter(user=officer, person__in=[survivor, other]).values_list("person", flat=True)) == [
        survivor.pk
    ]
    merging.undo_merge(world.users.coordinator, merge)
    back = Follow.objects.get(pk=twin.pk)
    assert back.person == other and back.user == officer and back.seen_at == twin.seen_at


def test_the_merge_is_in_the_history_in_one_go(world):
    survivor = _person(world, "Jesús Quarrington")
    other = _person(world, "Jesus Quarrington")
    contact = other.contacts.get()
    merging.merge_people(world.users.supervisor_sjpd, survivor, other)
    history = contact.history.first()
    assert history.person_id == survivor.pk and history.history_change_reason.startswith("Merged")
    assert history.history_user == world.users.supervisor_sjpd
    assert other.history.first().merged_into_id == survivor.pk


def test_a_failed_merge_changes_nothing(world):
    survivor = _person(world, "Yulia Quarrington", aliases="x" * 990)
    other = _person(world, "Julia Quarrington", aliases="Another long alias")
    rows = _rows_of(other)
    with pytest.raises(Exception, match="aliases"):
        merging.merge_people(world.users.coordinator, survivor, other)
    assert _rows_of(other) == rows and not PersonMerge.objects.exists()


def test_a_merge_is_undone_only_by_the_coordinator_and_once(world):
    merge = merging.merge_people(
        world.users.supervisor_sjpd, _person(world, "Olena Quarrington"), _person(world, "Elena Quarrington")
    )
    with pytest.raises(PermissionDenied):
        merging.undo_merge(world.users.supervisor_sjpd, merge)
    merging.undo_merge(world.users.coordinator, merge)
    with pytest.raises(PermissionDenied):
        merging.undo_merge(world.users.coordinator, merge)


# --- who may merge --------------------------------------------------------------------


def test_an_officer_may_not_merge(world):
    a, b = _person(world, "Dmytro Quarrington"), _person(world, "Dmitri Quarrington")
    with pytest.raises(PermissionDenied):
        merging.merge_people(world.users.officer_sjpd, a, b)


def test_a_supervisor_may_not_merge_when_something_attached_is_out_of_its_sight(world):
    a, b = _person(world, "Dmytro Quarrington"), _person(world, "Dmitri Quarrington")
    # KCPD met b in its own operation: SJPD's supervisor does not see that contact.
    f.ContactFactory(person=b, operation=world.records.op_kcpd, agency=world.agencies.kcpd)
    with pytest.raises(PermissionDenied, match="outside what you can see"):
        merging.merge_people(world.users.supervisor_sjpd, a, b)
    assert not PersonMerge.objects.exists()


# --- possible duplicates: scoped, remembered --------------------------------------------


def test_the_review_list_pairs_only_people_the_viewer_sees(world):
    sjpd_pair = (_person(world, "Destiny Quarrington"), _person(world, "Destny Quarrington"))
    kcpd_pair = (_person(world, "Guadalupe Quarrington", "kcpd"), _person(world, "Guadelupe Quarrington", "kcpd"))

    def pairs(persona):
        found = people_search.likely_pairs(Person.objects.visible_to(getattr(world.users, persona)))
        return {(p.first.pk, p.second.pk) for p in found}

    sjpd = (sjpd_pair[0].pk, sjpd_pair[1].pk)
    kcpd = (kcpd_pair[0].pk, kcpd_pair[1].pk)
    assert {sjpd, kcpd} <= pairs("coordinator")
    assert sjpd in pairs("supervisor_sjpd") and kcpd not in pairs("supervisor_sjpd")
    assert kcpd not in pairs("officer_sjpd")


def test_not_the_same_person_is_remembered(world):
    a, b = _person(world, "Destiny Quarrington"), _person(world, "Destny Quarrington")
    visible = Person.objects.visible_to(world.users.supervisor_sjpd)
    assert any({p.first, p.second} == {a, b} for p in people_search.likely_pairs(visible))
    merging.mark_not_same(world.users.supervisor_sjpd, b, a)
    merging.mark_not_same(world.users.supervisor_sjpd, a, b)  # twice: one decision
    assert NotSamePerson.objects.count() == 1
    assert not any({p.first, p.second} == {a, b} for p in people_search.likely_pairs(visible))
    assert a not in [c.person for c in people_search.candidates_for(visible, b)]


def test_ages_and_genders_that_disagree_are_not_a_pair(world):
    a = _person(world, "Destiny Quarrington", estimated_age=20)
    b = _person(world, "Destny Quarrington", estimated_age=50)
    assert people_search.likeness(a, b) is None


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_merges_and_decisions_are_seen_with_both_people(world, persona):
    """The access matrix of PersonMerge and NotSamePerson (none in the persona world)."""
    merge = merging.merge_people(
        world.users.coordinator,
        _person(world, "Olena Quarrington", "kcpd"),
        _person(world, "Elena Quarrington", "kcpd"),
    )
    decision = merging.mark_not_same(
        world.users.coordinator, _person(world, "Yulia Quarrington"), _person(world, "Julia Quarrington")
    )
    user = getattr(world.users, persona)
    sees_kcpd = persona in ("coordinator", "officer_kcpd")
    sees_sjpd = persona in ("coordinator", "officer_sjpd", "supervisor_sjpd", "agent_fbi")
    assert set(PersonMerge.objects.visible_to(user)) == ({merge} if sees_kcpd else set())
    assert set(NotSamePerson.objects.visible_to(user)) == ({decision} if sees_sjpd else set())


# --- the pages ------------------------------------------------------------------------


def test_supervisor_reviews_and_merges_on_the_pages(world, client):
    a, b = _person(world, "Destiny Quarrington"), _person(world, "Destny Quarrington", phone="(555) 010-0142")
    client.force_login(world.users.supervisor_sjpd)
    listing = client.get(reverse("web:person_duplicates"))
    assert listing.status_code == 200 and b.reference in listing.content.decode()
    url = reverse("web:person_merge", args=[a.pk, b.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Choose, field by field" in page.content.decode()
    refused = client.post(url, {"take_phone": "other"})
    assert refused.status_code == 200 and "Tick the box" in refused.content.decode()
    assert not PersonMerge.objects.exists()
    done = client.post(url, {"take_phone": "other", "take_legal_name": "survivor", "confirm": "on"})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.phone == "(555) 010-0142" and a.legal_name == "Destiny Quarrington"
    # The old record's page leads to the survivor.
    assert client.get(reverse("web:person_detail", args=[b.pk])).url == reverse("web:person_detail", args=[a.pk])


def test_an_officer_gets_403_and_another_agency_404_on_the_merge_page(world, client):
    a, b = _person(world, "Destiny Quarrington"), _person(world, "Destny Quarrington")
    url = reverse("web:person_merge", args=[a.pk, b.pk])
    client.force_login(world.users.officer_sjpd)
    assert client.get(url).status_code == 403
    client.force_login(world.users.officer_kcpd)
    assert client.get(url).status_code == 404
    client.force_login(world.users.advocate_harbor)
    assert client.get(reverse("web:person_duplicates")).status_code == 403


def test_the_coordinator_undoes_a_merge_after_confirming(world, client):
    a, b = _person(world, "Destiny Quarrington"), _person(world, "Destny Quarrington")
    merge = merging.merge_people(world.users.supervisor_sjpd, a, b)
    client.force_login(world.users.coordinator)
    assert "undo this merge" in client.get(reverse("web:person_detail", args=[a.pk])).content.decode()
    url = reverse("web:person_merge_undo", args=[merge.pk])
    assert "Undo the merge" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    b.refresh_from_db()
    assert b.merged_into is None


def test_the_contact_form_asks_is_this_one_of_these_before_saving(world, client):
    existing = _person(world, "Destiny Quarrington", estimated_age=24)
    client.force_login(world.users.officer_sjpd)
    typed = {
        "operation": world.records.op_sjpd.pk,
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "role": "potential_victim",
        "outcome": "no_action",
        "new-legal_name": "Destny Quarrington",
        "new-estimated_age": "25",
        "new-gender": "female",
    }
    count = Person.objects.count()
    asked = client.post(reverse("web:contact_quick"), typed)
    html = asked.content.decode()
    assert asked.status_code == 200 and "Is this one of these?" in html and existing.reference in html
    assert 'value="Destny Quarrington"' in html  # nothing typed is lost
    assert Person.objects.count() == count
    # "Yes, it is …": the contact is recorded with the person on record.
    chosen = client.post(reverse("web:contact_quick"), {**typed, "person": existing.pk})
    assert chosen.status_code == 302 and existing.contacts.count() == 2
    # "No, this is a new person": recorded as new.
    new = client.post(reverse("web:contact_quick"), {**typed, "confirm": "new_person"})
    assert new.status_code == 302 and Person.objects.count() == count + 1


def test_the_edit_page_asks_before_a_rename_that_matches_someone(world, client):
    existing = _person(world, "Destiny Quarrington")
    person = _person(world, "Quinta Marlowe")
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:person_edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "vulnerabilities"}
    data["legal_name"] = "Destny Quarrington"
    asked = client.post(url, data)
    assert "Is this one of these?" in asked.content.decode() and existing.reference in asked.content.decode()
    person.refresh_from_db()
    assert person.legal_name == "Quinta Marlowe"
    assert client.post(url, {**data, "confirm": "new_person"}).status_code == 302
    person.refresh_from_db()
    assert person.legal_name == "Destny Quarrington"


# --- the API ------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_answers_409_with_the_candidates_then_records_when_confirmed(world):
    existing = _person(world, "Destiny Quarrington")
    hidden = _person(world, "Destiny Quarrington", "kcpd")
    api = _api(world.users.officer_sjpd)
    body = {"legal_name": "Destny Quarrington", "estimated_age": 25, "gender": "female"}
    asked = api.post("/api/v1/people/", body, format="json")
    assert asked.status_code == 409
    ids = {c["id"] for c in asked.json()["possible_duplicates"]}
    assert existing.pk in ids and hidden.pk not in ids
    assert api.post("/api/v1/people/?confirm_new_person=true", body, format="json").status_code == 201
    found = api.get(f"/api/v1/people/{existing.pk}/possible-duplicates/").json()
    assert hidden.pk not in {c["id"] for c in found}


def test_the_api_merges_with_if_match(world):
    a, b = _person(world, "Destiny Quarrington"), _person(world, "Destny Quarrington")
    api = _api(world.users.supervisor_sjpd)
    url = f"/api/v1/people/{a.pk}/merge/"
    assert api.post(url, {"other": b.pk}, format="json").status_code == 428
    etag = api.get(f"/api/v1/people/{a.pk}/")["ETag"]
    done = api.post(url, {"other": b.pk, "take_from_other": ["legal_name"]}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 201 and done.json()["survivor"] == a.pk
    a.refresh_from_db()
    assert a.legal_name == "Destny Quarrington"
    officer = _api(world.users.officer_kcpd)
    assert officer.post(url, {"other": b.pk}, format="json", HTTP_IF_MATCH=etag).status_code == 404
