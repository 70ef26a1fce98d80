"""The forgiving search for people: misspellings and transliterations, ranked, never outside scope.

Each spelling pair is recorded twice: once in the St. Joseph operation (SJPD's officer sees it)
and once in Kansas City (it does not). The officer finds the first by the other spelling, through
the people list, the contact form's "find first" and the API's ?q=, and never the second.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.filters import PersonFilterSet
from cases.models import Gender, Person
from cases.models.sounds import sound_key
from tests import factories as f

# (as recorded, as typed): misspellings and transliterations officers meet.
SPELLINGS = [
    ("Destiny", "Destny"),
    ("Guadalupe", "Guadelupe"),
    ("Jesús", "Jesus"),
    ("Jesus", "Jesús"),
    ("Oleksandra", "Aleksandra"),
    ("Oleksandra", "Alexandra"),
    ("Yulia", "Julia"),
    ("Olena", "Elena"),
    ("Dmytro", "Dmitri"),
    ("Xiaoling", "Shiaoling"),
    ("Zhang", "Jang"),
    ("Guillermo", "Giyermo"),
]


_recorded = f.person_met


def _found_by_filter(world, user, text: str, **params) -> list[Person]:
    request = type("Request", (), {"user": user})()
    fs = PersonFilterSet({"q": text, **params}, queryset=Person.objects.visible_to(user), request=request)
    assert fs.is_valid(), fs.errors
    return list(fs.qs)


@pytest.mark.parametrize(("recorded", "typed"), SPELLINGS)
def test_the_same_sound_has_the_same_key(recorded, typed):
    assert sound_key(recorded) == sound_key(typed)


def test_different_names_have_different_keys():
    assert len({sound_key(n) for n in ("Destiny", "Dana", "Guadalupe", "Oleksandra", "Maria", "Jordan")}) == 6


@pytest.mark.parametrize(("recorded", "typed"), SPELLINGS)
def test_officer_finds_a_misspelled_name_in_scope_only(world, client, recorded, typed):
    mine = _recorded(world, f"{recorded} Quarrington")
    theirs = _recorded(world, f"{recorded} Quarrington", side="kcpd")
    officer = world.users.officer_sjpd
    assert _found_by_filter(world, officer, f"{typed} Quarrington") == [mine]
    # The people list.
    client.force_login(officer)
    listed = client.get(reverse("web:person_list"), {"q": typed}).context["object_list"]
    assert mine in listed and theirs not in listed
    # The contact form's "find first".
    results = client.get(reverse("web:person_search"), {"q": typed}).context["results"]
    assert mine in results and theirs not in results
    # The API.
    api = APIClient()
    api.force_authenticate(officer)
    ids = {row["id"] for row in api.get("/api/v1/people/", {"q": typed, "page_size": 100}).json()["results"]}
    assert mine.pk in ids and theirs.pk not in ids


def test_the_coordinator_finds_both_and_kcpd_only_its_own(world):
    mine = _recorded(world, "Destiny Quarrington")
    theirs = _recorded(world, "Destiny Quarrington", side="kcpd")
    assert set(_found_by_filter(world, world.users.coordinator, "Destny")) >= {mine, theirs}
    found = _found_by_filter(world, world.users.officer_kcpd, "Destny")
    assert theirs in found and mine not in found


def test_an_officer_finds_a_person_by_a_misspelled_alias(world):
    person = _recorded(world, "Quinta Marlowe", aliases="Destiny\nLa Güera")
    assert _found_by_filter(world, world.users.officer_sjpd, "Destny") == [person]
    assert _found_by_filter(world, world.users.officer_sjpd, "La Guera") == [person]


def test_an_advocate_does_not_search_aliases(world):
    person = world.records.victim_sjpd.person
    person.aliases = "Destiny"
    person.save()
    assert person not in _found_by_filter(world, world.users.advocate_harbor, "Destny")
    # By name (what it may read) the advocate finds its client, spelled loosely.
    assert person in _found_by_filter(world, world.users.advocate_harbor, "Dana Inventid")


def test_the_exact_spelling_comes_before_sound_alikes(world):
    sounds = _recorded(world, "Destiny Quarrington")
    exact = _recorded(world, "Destny Quarrington")
    found = _found_by_filter(world, world.users.officer_sjpd, "Destny Quarrington")
    assert found[:2] == [exact, sounds]


def test_a_reference_comes_first(world):
    person = _recorded(world, "Quinta Marlowe")
    found = _found_by_filter(world, world.users.officer_sjpd, person.reference)
    assert found == [person]
    assert _found_by_filter(world, world.users.officer_sjpd, str(person.pk)) == [person]


def test_narrowed_by_birth_year_gender_and_agency(world):
    born_2001 = _recorded(world, "Guadalupe Quarrington", date_of_birth=date(2001, 5, 1), estimated_age=None)
    born_1990 = _recorded(world, "Guadalupe Quarrington", date_of_birth=date(1990, 5, 1), estimated_age=None)
    male = _recorded(world, "Guadalupe Quarrington", gender=Gender.MALE, estimated_age=50)
    officer = world.users.officer_sjpd
    assert _found_by_filter(world, officer, "Guadelupe", birth_year=2001) == [born_2001]
    assert born_1990 not in _found_by_filter(world, officer, "Guadelupe", birth_year=2001)
    assert _found_by_filter(world, officer, "Guadelupe", gender="male") == [male]
    assert set(_found_by_filter(world, officer, "Guadelupe", agency=world.agencies.sjpd.pk)) == {
        born_2001,
        born_1990,
        male,
    }
    assert _found_by_filter(world, officer, "Guadelupe", agency=world.agencies.kcpd.pk) == []


def test_an_estimated_age_counts_for_the_birth_year(world):
    person = _recorded(world, "Olena Quarrington", estimated_age=30)
    year = person.age_estimated_on.year - 30
    assert _found_by_filter(world, world.users.officer_sjpd, "Elena", birth_year=year) == [person]
    assert _found_by_filter(world, world.users.officer_sjpd, "Elena", birth_year=year - 5) == []


def test_the_people_list_ranks_a_search_and_costs_the_same(world, client, django_assert_max_num_queries):
    for _ in range(3):
        _recorded(world, "Destiny Quarrington")
    exact = _recorded(world, "Destny Quarrington")
    client.force_login(world.users.officer_sjpd)
    with django_assert_max_num_queries(16) as few:
        listed = list(client.get(reverse("web:person_list"), {"q": "Destny Quarrington"}).context["object_list"])
    assert listed[0] == exact and len(listed) == 4
    for _ in range(10):
        _recorded(world, "Destiny Quarrington")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:person_list"), {"q": "Destny Quarrington"})


def test_a_merged_away_reference_finds_the_survivor(world):
    from cases import merging

    survivor = _recorded(world, "Destiny Quarrington")
    other = _recorded(world, "Destny Quarington")
    merging.merge_people(world.users.supervisor_sjpd, survivor, other)
    found = _found_by_filter(world, world.users.officer_sjpd, other.reference)
    assert found == [survivor]
    # The merged-away record is not listed on its own any more.
    assert other not in _found_by_filter(world, world.users.officer_sjpd, "Destny")


def test_keys_follow_a_change_of_name(world):
    person = _recorded(world, "Quinta Marlowe")
    person.legal_name = "Destiny Marlowe"
    person.save(update_fields=["legal_name"])
    person.refresh_from_db()
    assert f" {sound_key('Destny')} " in person.name_keys
