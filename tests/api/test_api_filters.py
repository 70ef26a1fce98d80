"""Every filter of every list endpoint, on the persona world, as the coordinator (who sees all).

`test_every_filter_has_a_case` fails when a FilterSet gains a filter without a case here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import models as m
from cases.api.urls import router
from tests.test_access_matrix import _resolve

from .conftest import ids

TODAY = lambda w: timezone.localdate().isoformat()  # noqa: E731
LONG_AGO = "2000-01-01"
FUTURE = lambda w: (timezone.localdate() + timedelta(days=30)).isoformat()  # noqa: E731

BOTH = lambda kind: [f"records.{kind}_sjpd", f"records.{kind}_kcpd"]  # noqa: E731
LIFECYCLE_CASES = [
    ("investigations", "q", "KCPD", ["records.investigation_kcpd"]),
    ("investigations", "status", "referred", BOTH("investigation")),
    ("investigations", "trafficking_type", "labor", []),
    ("investigations", "lead_agency", lambda w: w.agencies.kcpd.pk, ["records.investigation_kcpd"]),
    ("investigations", "agency", lambda w: w.agencies.prosecutor.pk, ["records.investigation_sjpd"]),
    ("investigations", "operation", lambda w: w.records.op_kcpd.pk, ["records.investigation_kcpd"]),
    ("investigations", "opened_after", FUTURE, []),
    ("investigations", "opened_before", TODAY, BOTH("investigation")),
    ("prosecutions", "investigation", lambda w: w.records.investigation_sjpd.pk, ["records.prosecution_sjpd"]),
    ("prosecutions", "defendant", lambda w: w.records.buyer_kcpd.person.pk, ["records.prosecution_kcpd"]),
    ("prosecutions", "agency", lambda w: w.agencies.usao.pk, ["records.prosecution_kcpd"]),
    ("prosecutions", "prosecuting_agency", lambda w: w.agencies.prosecutor.pk, ["records.prosecution_sjpd"]),
    ("prosecutions", "state", "pending", BOTH("prosecution")),
    ("prosecutions", "court_jurisdiction", "federal", ["records.prosecution_kcpd"]),
    ("prosecutions", "disposition", "pending", BOTH("prosecution")),
    ("prosecutions", "trafficking_count", "true", ["records.prosecution_kcpd"]),
    ("prosecutions", "filed_after", FUTURE, []),
    ("prosecutions", "filed_before", TODAY, BOTH("prosecution")),
    ("counts", "prosecution", lambda w: w.records.prosecution_kcpd.pk, ["records.count_kcpd"]),
    ("counts", "statute", lambda w: w.records.count_sjpd.statute_id, ["records.count_sjpd"]),
    ("counts", "disposition", "pending", BOTH("count")),
    ("counts", "trafficking", "false", ["records.count_sjpd"]),
    ("counts", "disposed_after", LONG_AGO, []),
    ("counts", "disposed_before", TODAY, []),
    ("court-events", "kind", "hearing", BOTH("court_event")),
    ("court-events", "status", "cancelled", []),
    ("court-events", "after", TODAY, BOTH("court_event")),
    ("court-events", "before", TODAY, []),
    ("court-events", "prosecution", lambda w: w.records.prosecution_sjpd.pk, ["records.court_event_sjpd"]),
    ("court-events", "agency", lambda w: w.agencies.usao.pk, ["records.court_event_kcpd"]),
    ("relief-requests", "q", lambda w: w.records.relief_sjpd.reference, ["records.relief_sjpd"]),
    ("relief-requests", "status", "under_review", ["records.relief_kcpd"]),
    ("relief-requests", "kind", "u_visa", []),
    ("relief-requests", "person", lambda w: w.records.victim_kcpd.person.pk, ["records.relief_kcpd"]),
    ("relief-requests", "investigation", lambda w: w.records.investigation_sjpd.pk, ["records.relief_sjpd"]),
    ("relief-requests", "requested_by_agency", lambda w: w.agencies.harbor.pk, ["records.relief_sjpd"]),
    ("relief-requests", "requested_of_agency", lambda w: w.agencies.kcpd.pk, ["records.relief_kcpd"]),
    ("relief-requests", "overdue", "true", ["records.relief_kcpd"]),
    ("relief-requests", "expiring", "true", ["records.relief_sjpd"]),
    ("relief-requests", "requested_after", FUTURE, []),
    ("relief-requests", "requested_before", TODAY, BOTH("relief")),
    ("statutes", "q", "1591", ["records.count_kcpd.statute"]),
    ("statutes", "jurisdiction", "federal", ["records.count_kcpd.statute"]),
    ("statutes", "is_trafficking", "false", ["records.count_sjpd.statute"]),
    ("statutes", "active", "true", "*"),
    # Tasks, as the coordinator holds them: the task force's queue and those it gave out.
    ("tasks", "q", "review", ["records.task_tf_queue"]),
    ("tasks", "holder", "mine", []),
    ("tasks", "holder", "queue", ["records.task_tf_queue"]),
    ("tasks", "holder", "given", ["records.task_officer_sjpd", "records.task_out_of_sight"]),
    ("tasks", "status", "done", []),
    ("tasks", "overdue", "true", []),
    ("tasks", "due_before", FUTURE, ["records.task_officer_sjpd"]),
]

# (prefix, filter name, value (callable of world), names expected in world.records / agencies)
CASES = [
    ("agencies", "q", "Police", ["agencies.sjpd", "agencies.kcpd"]),
    ("agencies", "kind", "victim_services", ["agencies.harbor", "agencies.northland"]),
    ("agencies", "level", "federal", ["agencies.fbi", "agencies.usao"]),
    ("agencies", "active", "false", []),
    ("agencies", "service_type", lambda w: w.records.food.pk, []),
    ("service-types", "active", "true", ["records.shelter", "records.food"]),
    ("service-types/indicators", "category", "behavioural", "behavioural"),
    ("service-types/indicators", "active", "true", "*"),
    ("service-types/vulnerability-factors", "active", "false", []),
    ("operations", "q", "Crossroads", ["records.op_sjpd"]),
    ("operations", "status", "active", ["records.op_sjpd", "records.op_kcpd"]),
    ("operations", "kind", "rescue", []),
    ("operations", "trafficking_type", "sex", ["records.op_sjpd", "records.op_kcpd"]),
    ("operations", "agency", lambda w: w.agencies.fbi.pk, ["records.op_sjpd"]),
    ("operations", "starts_after", FUTURE, []),
    ("operations", "starts_before", TODAY, ["records.op_sjpd", "records.op_kcpd"]),
    ("operations", "county", "Buchanan", ["records.op_sjpd", "records.op_kcpd"]),
    ("people", "q", "Dana", ["records.victim_sjpd.person"]),
    ("people", "age_group", "infant", ["records.kc_child_contact.person"]),
    ("people", "age", "3", ["records.child_contact.person", "records.kc_child_contact.person"]),
    ("people", "age", "44", ["records.buyer_contact.person"]),
    ("people", "q", "Dana Inventid", ["records.victim_sjpd.person"]),  # misspelled: the forgiving search
    ("people", "birth_year", lambda w: timezone.localdate().year - 44, ["records.buyer_contact.person"]),
    ("people", "gender", "male", ["records.buyer_contact.person", "records.buyer_kcpd.person"]),
    ("people", "agency", lambda w: w.agencies.fbi.pk, ["records.buyer_contact.person"]),
    (
        "contacts",
        "operation",
        lambda w: w.records.op_kcpd.pk,
        ["records.victim_kcpd", "records.buyer_kcpd", "records.kc_child_contact"],
    ),
    ("contacts", "walk_in", "true", []),
    ("contacts", "person", lambda w: w.records.victim_sjpd.person.pk, ["records.victim_sjpd"]),
    ("contacts", "agency", lambda w: w.agencies.fbi.pk, ["records.buyer_contact"]),
    ("contacts", "role", "buyer", ["records.buyer_contact", "records.buyer_kcpd"]),
    ("contacts", "outcome", "protective_custody", ["records.child_contact", "records.kc_child_contact"]),
    ("contacts", "age_group", "child", ["records.child_contact"]),
    ("contacts", "indicator", lambda w: w.indicator.pk, ["records.victim_kcpd"]),
    ("contacts", "occurred_after", FUTURE, []),
    ("contacts", "occurred_before", LONG_AGO, []),
    ("contacts", "voided", "true", []),
    ("service-offers", "person", lambda w: w.records.victim_kcpd.person.pk, ["records.offer_kcpd"]),
    ("service-offers", "contact", lambda w: w.records.victim_sjpd.pk, ["records.offer_sjpd"]),
    ("service-offers", "referral", lambda w: w.records.referral_sjpd.pk, []),
    ("service-offers", "service_type", lambda w: w.records.food.pk, ["records.offer_kcpd"]),
    ("service-offers", "offered_by", lambda w: w.agencies.sjpd.pk, ["records.offer_sjpd"]),
    ("service-offers", "provider", lambda w: w.agencies.harbor.pk, []),
    ("service-offers", "response", "accepted", ["records.offer_sjpd", "records.offer_kcpd"]),
    ("service-offers", "delivered", "true", []),
    ("service-offers", "offered_after", FUTURE, []),
    ("service-offers", "offered_before", TODAY, ["records.offer_sjpd", "records.offer_kcpd"]),
    ("referrals", "q", lambda w: w.records.victim_kcpd.person.reference, ["records.referral_kcpd"]),
    ("referrals", "status", "draft", ["records.draft_sjpd"]),
    ("referrals", "to_agency", lambda w: w.agencies.northland.pk, ["records.referral_kcpd"]),
    ("referrals", "from_agency", lambda w: w.agencies.kcpd.pk, ["records.referral_kcpd"]),
    ("referrals", "service_type", lambda w: w.records.food.pk, ["records.referral_kcpd"]),
    ("referrals", "overdue", "true", ["records.referral_kcpd"]),
    ("referrals", "sent_after", FUTURE, []),
    ("referrals", "sent_before", TODAY, ["records.referral_sjpd", "records.referral_kcpd"]),
    ("custody-handoffs", "person", lambda w: w.records.child_contact.person.pk, ["records.handoff_sjpd"]),
    ("custody-handoffs", "operation", lambda w: w.records.op_kcpd.pk, ["records.handoff_kcpd"]),
    ("custody-handoffs", "custody_agency", lambda w: w.agencies.sjpd.pk, ["records.handoff_sjpd"]),
    (
        "custody-handoffs",
        "receiving_agency",
        lambda w: w.agencies.childrens.pk,
        ["records.handoff_sjpd", "records.handoff_kcpd"],
    ),
    ("custody-handoffs", "state", "in_custody", ["records.handoff_kcpd"]),
    ("custody-handoffs", "taken_after", FUTURE, []),
    ("custody-handoffs", "taken_before", TODAY, ["records.handoff_sjpd", "records.handoff_kcpd"]),
    ("detentions", "person", lambda w: w.records.buyer_kcpd.person.pk, ["records.detention_kcpd"]),
    ("detentions", "operation", lambda w: w.records.op_sjpd.pk, ["records.detention_sjpd"]),
    ("detentions", "agency", lambda w: w.agencies.fbi.pk, ["records.detention_sjpd"]),
    ("detentions", "outcome", "arrested", ["records.detention_sjpd", "records.detention_kcpd"]),
    ("detentions", "pending", "true", []),
    ("detentions", "trafficking_charge", "true", ["records.detention_sjpd"]),
    ("detentions", "detained_after", FUTURE, []),
    ("detentions", "detained_before", TODAY, ["records.detention_sjpd", "records.detention_kcpd"]),
    *LIFECYCLE_CASES,
]


@pytest.fixture
def richer_world(world):
    """The persona world plus what some filters need: an indicator and an overdue referral."""
    world.indicator = m.Indicator.objects.create(code="scripted", name="Scripted answers", category="behavioural")
    world.records.victim_kcpd.indicators.add(world.indicator)
    m.Referral.objects.filter(pk=world.records.referral_kcpd.pk).update(
        acknowledge_due_at=timezone.now() - timedelta(hours=1)
    )
    # Kansas City's relief request unanswered past its due day; St. Joseph's granted and running out.
    m.ReliefRequest.objects.filter(pk=world.records.relief_kcpd.pk).update(
        answer_due_on=timezone.localdate() - timedelta(days=1)
    )
    m.ReliefRequest.objects.filter(pk=world.records.relief_sjpd.pk).update(
        status=m.ReliefStatus.GRANTED, expires_on=timezone.localdate() + timedelta(days=20)
    )
    return world


@pytest.mark.parametrize("prefix, name, value, expected", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_filter(richer_world, api, prefix, name, value, expected):
    w = richer_world
    value = value(w) if callable(value) else value
    response = api(w.users.coordinator).get(f"/api/v1/{prefix}/", {name: value, "page_size": 1000})
    got = ids(response)
    if expected == "behavioural":
        assert got == set(m.Indicator.objects.filter(category="behavioural").values_list("pk", flat=True))
        assert w.indicator.pk in got and m.Indicator.objects.exclude(pk__in=got).exists()
        return
    if expected == "*":
        viewset = dict((p, v) for p, v, _ in router.registry)[prefix]
        assert got == set(viewset.model.objects.values_list("pk", flat=True)) and got
        return
    assert got == {_resolve(w, target).pk for target in expected}
    # Each filter narrows: without it the list is larger unless it already matched all.
    everything = ids(api(w.users.coordinator).get(f"/api/v1/{prefix}/", {"page_size": 1000}))
    assert got <= everything


def test_filter_choices_are_scoped_like_any_dropdown(world, api):
    # The KCPD officer names an operation it cannot see: refused like an id that does not exist.
    client = api(world.users.officer_kcpd)
    hidden = client.get("/api/v1/contacts/", {"operation": world.records.op_sjpd.pk})
    missing = client.get("/api/v1/contacts/", {"operation": 987654})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["operation"] == missing.json()["operation"]


def test_every_filter_has_a_case():
    covered = {(prefix, name) for prefix, name, _, _ in CASES}
    missing = []
    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        names = list(filterset.base_filters) if filterset else list(getattr(viewset, "filterset_fields", ()))
        missing += [f"{prefix}?{name}" for name in names if (prefix, name) not in covered]
    assert not missing, "filters without a test case"
