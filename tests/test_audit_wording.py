"""The audit trail in the staff's words: record names through the policy, reasons as sentences, times with zone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.log import record_access
from audit.models import Action
from audit.wording import kind_name, reason_sentence
from cases import actions


@pytest.mark.parametrize(
    "stored, sentence",
    [
        ("Referral start_service:", "Referral started service"),
        ("Referral decline: no beds tonight", "Referral declined: no beds tonight"),
        ("Referral send:", "Referral sent"),
        ("Status changed from active to concluded", "Status changed from active to concluded"),
        ("Status changed from planned to active", "Status changed from planned to active"),
        ("Voided: entered twice", "Voided: entered twice"),
        ("Relief review:", "Relief request put under review"),
        ("Relief decline: no cooperation yet", "Relief request declined: no cooperation yet"),
        ("Relief grant: signed by the chief", "Relief request signed or granted: signed by the chief"),
        ("", ""),
    ],
)
def test_reasons_read_as_sentences(stored, sentence):
    assert reason_sentence(stored) == sentence


def test_kinds_of_record_by_name():
    assert kind_name("cases.person") == "Person"
    assert kind_name("cases.custodyhandoff").startswith("Custody")
    assert kind_name("no.such") == "no.such"
    assert kind_name("cases.reliefrequest") == "Relief request"
    assert kind_name("cases.reliefevent") == "Relief request step"


def test_change_list_names_records_says_why_and_when_with_zone(world, client, django_assert_max_num_queries):
    u, r = world.users, world.records
    actions.transition_referral(u.advocate_harbor, r.referral_sjpd, "acknowledge")
    client.force_login(u.coordinator)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("audit:change-list"), {"model": "cases.referral"})
    html = response.content.decode()
    assert "Referral acknowledged" in html
    assert "Referral acknowledge:" not in html
    # "2 Dec 2026, 14:05 CST": the time with its zone.
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2} C[SD]T", html)
    assert f"Referral R-{r.referral_sjpd.pk:06d}" in html
    # The kinds are offered by name, not "cases.referral".
    assert ">Referral<" in html and ">cases.referral<" not in html


def test_an_auditor_sees_no_name_of_a_record_outside_its_scope(world, client):
    u, r = world.users, world.records
    person = r.victim_sjpd.person
    record_access(None, Action.PERSON_VIEW, obj=person, user=u.officer_sjpd)
    client.force_login(u.tf_auditor)
    html = client.get(reverse("audit:accesslog-list"), {"object_type": "cases.person", "object_id": person.pk})
    html = html.content.decode()
    assert "Person Not shown" in html
    assert f"number {person.pk}" in html
    client.force_login(u.coordinator)
    html = client.get(reverse("audit:accesslog-list"), {"object_type": "cases.person", "object_id": person.pk})
    assert f"Person {person.reference}" in html.content.decode()


def test_the_record_filter_takes_a_reference(world, client):
    u, r = world.users, world.records
    seen = r.victim_sjpd.person
    other = r.victim_kcpd.person
    record_access(None, Action.PERSON_VIEW, obj=seen, user=u.officer_sjpd)
    record_access(None, Action.PERSON_VIEW, obj=other, user=u.officer_kcpd)
    client.force_login(u.coordinator)
    response = client.get(reverse("audit:accesslog-list"), {"record": seen.reference})
    rows = [entry["row"] for entry in response.context["entries"]]
    assert rows and all(row.object_id == str(seen.pk) or seen.pk in row.people for row in rows)
    html = response.content.decode()
    # The form asks for a record by reference; no box for a kind or an id typed by hand.
    assert 'name="record"' in html
    assert 'type="text" name="object_type"' not in html and 'type="text" name="object_id"' not in html
    assert "Record id" not in html
    # An operation by its code.
    r.op_sjpd.summary = "edited"
    actions.update_record(u.officer_sjpd, r.op_sjpd, "operation.change")
    response = client.get(reverse("audit:change-list"), {"record": r.op_sjpd.code})
    assert {item["record"].id for item in response.context["rows"]} == {r.op_sjpd.pk}


def test_the_id_parameter_of_a_link_still_filters(world, client):
    u, r = world.users, world.records
    person = r.victim_sjpd.person
    record_access(None, Action.PERSON_VIEW, obj=person, user=u.officer_sjpd)
    record_access(None, Action.PERSON_VIEW, obj=r.victim_kcpd.person, user=u.officer_kcpd)
    client.force_login(u.coordinator)
    response = client.get(reverse("audit:accesslog-list"), {"object_type": "cases.person", "object_id": person.pk})
    rows = [entry["row"] for entry in response.context["entries"]]
    assert rows and {row.object_id for row in rows} == {str(person.pk)}
    # The hidden parameter is carried by the form, so filtering again keeps it.
    assert f'name="object_id" value="{person.pk}"' in response.content.decode()


def test_kinds_of_the_case_lifecycle_read_as_words():
    assert kind_name("cases.investigation") == "Investigation"
    assert kind_name("cases.investigationperson") == "Person in an investigation"
    assert kind_name("cases.investigationagency") == "Agency in an investigation"
    assert kind_name("cases.courtevent") == "Court date"
