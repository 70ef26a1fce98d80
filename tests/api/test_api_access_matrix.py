"""The access matrix through the API: every endpoint, every method, every persona.

Reads: each list shows exactly the records of the policy table (tests/test_access_matrix.py),
each detail answers 200 for those and 404 for every other record, and analysts, auditors
and users without membership get 403 on every case record. Writes and actions: the
WRITES table gives, per route and method, the status for the persona's own record, another
agency's record it can see, and a record outside its scope. `test_every_route_and_method_is_in_the_matrix`
fails when a router-registered route has no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from cases import actions, merging
from cases import models as m
from cases.api.urls import router
from tests import factories
from tests.test_access_matrix import ALL_PERSONAS, CHILD_MATRIX, MATRIX, _resolve

NO_CASE_ACCESS = {"analyst", "tf_auditor", "auditor_sjpd", "sysadmin", "nobody"}
CATALOGUE_MODELS = {Agency, m.ServiceType, m.Indicator, m.VulnerabilityFactor, m.Statute}
REGISTRY = {prefix: (viewset, basename) for prefix, viewset, basename in router.registry}


def _expected_ids(world, model, persona) -> set[int]:
    if model in CATALOGUE_MODELS:
        return set() if persona == "nobody" else set(model.objects.values_list("pk", flat=True))
    if model in CHILD_MATRIX:  # counts: exactly those of the prosecutions the persona sees
        field, _, parents = CHILD_MATRIX[model]
        parent_ids = {_resolve(world.records, name).pk for name in parents[persona]}
        return set(model.objects.filter(**{f"{field}_id__in": parent_ids}).values_list("pk", flat=True))
    return {_resolve(world.records, name).pk for name in MATRIX[model][persona]}


def _read_status(model, persona) -> int:
    if persona == "nobody":
        return 403
    if model not in CATALOGUE_MODELS and persona in NO_CASE_ACCESS:
        return 403
    return 200


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("prefix", list(REGISTRY))
def test_list_shows_exactly_the_policy_table(world, api, prefix, persona):
    viewset, _ = REGISTRY[prefix]
    user = getattr(world.users, persona)
    response = api(user).get(f"/api/v1/{prefix}/", {"page_size": 1000})
    assert response.status_code == _read_status(viewset.model, persona), response.content
    if response.status_code == 200:
        got = {row["id"] for row in response.json()["results"]}
        assert got == _expected_ids(world, viewset.model, persona)
        assert got == set(viewset.model.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("prefix", list(REGISTRY))
def test_detail_is_200_in_scope_and_404_outside(world, api, prefix, persona):
    viewset, _ = REGISTRY[prefix]
    client = api(getattr(world.users, persona))
    expected = _expected_ids(world, viewset.model, persona)
    every = list(viewset.model.objects.values_list("pk", flat=True))
    assert every
    for pk in every:
        response = client.get(f"/api/v1/{prefix}/{pk}/")
        status = _read_status(viewset.model, persona)
        if status == 200:
            status = 200 if pk in expected else 404
        assert response.status_code == status, (pk, response.content)
        if status == 200:
            assert response.json()["id"] == pk
            assert response["ETag"]


def test_unknown_and_huge_ids_are_404(world, api):
    client = api(world.users.coordinator)
    for pk in ("999999", "9223372036854775808", "99999999999999999999999"):
        assert client.get(f"/api/v1/people/{pk}/").status_code == 404
    assert client.get("/api/v1/people/abc/").status_code == 404


@pytest.mark.parametrize("prefix", list(REGISTRY))
def test_delete_is_never_allowed(world, api, prefix):
    viewset, _ = REGISTRY[prefix]
    pk = viewset.model.objects.values_list("pk", flat=True).first()
    response = api(world.users.coordinator).delete(f"/api/v1/{prefix}/{pk}/")
    assert response.status_code == 405
    assert viewset.model.objects.filter(pk=pk).exists()


def test_anonymous_requests_are_refused(world, api):
    for prefix in REGISTRY:
        assert api().get(f"/api/v1/{prefix}/").status_code in (401, 403)


# --- writes and actions: own / other / unrelated ------------------------------------


def _acknowledged(w):
    actions.transition_referral(w.users.advocate_harbor, w.records.referral_sjpd, "acknowledge")


def _accepted(w):
    _acknowledged(w)
    actions.transition_referral(w.users.advocate_harbor, w.records.referral_sjpd, "accept")


@dataclass
class Case:
    route: str  # url name: "<basename>-<action>"
    method: str
    persona: str
    target: str | None  # record name in world.records (None: the list route)
    status: int
    body: Callable | dict = field(default_factory=dict)
    given: Callable | None = None
    # More URL arguments of a nested route: name → record name in world.records
    parts: dict[str, str] = field(default_factory=dict)


NOW = timezone.now


# --- after the operation: investigations, prosecutions, counts, court dates, relief ---

TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731


def _closed(w):
    from cases import investigation_actions

    investigation_actions.close_investigation(w.users.officer_sjpd, w.records.investigation_sjpd, "cleared_by_arrest")


def _requested(w):
    """A relief request Safe Harbor has just made of SJPD (not yet taken up)."""
    w.records.relief_new = m.ReliefRequest.objects.create(
        person=w.records.victim_sjpd.person,
        kind=m.ReliefKind.U_VISA,
        requested_by_agency=w.agencies.harbor,
        requested_of_agency=w.agencies.sjpd,
        consent="written",
        consent_date=timezone.localdate(),
    )


def _granted(w):
    w.records.relief_sjpd.apply("grant", w.users.officer_sjpd, w.agencies.sjpd, expires_on=_in_days(200))


def _merged(w) -> None:
    """SJPD's supervisor has merged a second record of the St. Joseph victim into hers."""
    twin = m.Person.objects.get(pk=_merge_body(w, "sjpd")["other"])
    w.records.merge_api = merging.merge_people(w.users.supervisor_sjpd, w.records.victim_sjpd.person, twin)


def _undo_body(w) -> dict:
    return {"merge": w.records.merge_api.pk}


def _in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def _new_investigation(**extra):
    return lambda w: {"title": "Northbelt Motel investigation", "trafficking_type": "sex", **extra}


def _new_prosecution(w, **extra):
    return {
        "investigation": w.records.investigation_sjpd.pk,
        "court_jurisdiction": "state",
        "court": "Buchanan County Circuit Court",
        "defendant": w.records.buyer_contact.person.pk,
        "filed_on": TODAY(),
        **extra,
    }


def _new_count(w, **extra):
    return {
        "prosecution": w.records.prosecution_sjpd.pk,
        "number": 2,
        "statute": w.records.count_sjpd.statute_id,
        **extra,
    }


def _new_court_event(w, **extra):
    return {
        "prosecution": w.records.prosecution_sjpd.pk,
        "kind": "trial",
        "scheduled_at": (NOW() + timedelta(days=60)).isoformat(),
        **extra,
    }


def _new_relief(person: str, **extra):
    return lambda w: {
        "person": _resolve(w.records, person).pk,
        "kind": "t_visa",
        "requested_of_agency": w.agencies.sjpd.pk,
        "consent": "written",
        "consent_date": TODAY(),
        **{k: v(w) if callable(v) else v for k, v in extra.items()},
    }


# The rows of an investigation's agencies and people, by name (nested routes).
LIFECYCLE_PARTS: dict[str, Callable] = {
    "fbi_on_investigation": lambda w: m.InvestigationAgency.objects.get(
        investigation=w.records.investigation_sjpd, agency=w.agencies.fbi
    ),
    "sjpd_leads_investigation": lambda w: m.InvestigationAgency.objects.get(
        investigation=w.records.investigation_sjpd, agency=w.agencies.sjpd
    ),
    "suspect_sjpd": lambda w: m.InvestigationPerson.objects.get(
        investigation=w.records.investigation_sjpd, role="suspect"
    ),
    "victim_in_sjpd": lambda w: m.InvestigationPerson.objects.get(
        investigation=w.records.investigation_sjpd, role="victim"
    ),
    "suspect_kcpd": lambda w: m.InvestigationPerson.objects.get(
        investigation=w.records.investigation_kcpd, role="suspect"
    ),
    # What is linked to an investigation (unlinking), and what is not.
    "op_sjpd": lambda w: w.records.op_sjpd,
    "op_kcpd": lambda w: w.records.op_kcpd,
    "detention_sjpd": lambda w: w.records.detention_sjpd,
    "detention_kcpd": lambda w: w.records.detention_kcpd,
}

INV = "investigation_sjpd"
LIFECYCLE_WRITES: list[Case] = [
    # investigations: officers of law enforcement and prosecutors open them; the lead agency changes them
    Case("investigation-list", "post", "officer_sjpd", None, 201, _new_investigation()),
    Case("investigation-list", "post", "prosecutor", None, 201, _new_investigation()),
    Case(
        "investigation-list",
        "post",
        "coordinator",
        None,
        201,
        lambda w: {"title": "Truck stop", "lead_agency": w.agencies.kcpd.pk, "operations": [w.records.op_kcpd.pk]},
    ),
    Case("investigation-list", "post", "advocate_harbor", None, 403, _new_investigation()),
    Case("investigation-list", "post", "analyst", None, 403, _new_investigation()),
    Case("investigation-list", "post", "sysadmin", None, 403, _new_investigation()),
    # An operation the officer cannot see is refused like one that does not exist.
    Case(
        "investigation-list",
        "post",
        "officer_sjpd",
        None,
        400,
        lambda w: {"title": "x", "operations": [w.records.op_kcpd.pk]},
    ),
    Case("investigation-detail", "patch", "officer_sjpd", INV, 200, lambda w: {"operations": [w.records.op_sjpd.pk]}),
    Case("investigation-detail", "patch", "agent_fbi", INV, 403, {"title": "Renamed"}),
    Case("investigation-detail", "patch", "prosecutor", INV, 403, {"title": "Renamed"}),
    Case("investigation-detail", "patch", "officer_kcpd", INV, 404, {"title": "Renamed"}),
    Case("investigation-detail", "patch", "advocate_harbor", INV, 404, {"title": "Renamed"}),
    Case("investigation-detail", "patch", "officer_sjpd", INV, 403, {"title": "Renamed"}, _closed),
    Case("investigation-detail", "put", "officer_sjpd", INV, 200, _new_investigation(trafficking_type="labor")),
    Case("investigation-detail", "put", "agent_fbi", INV, 403, _new_investigation()),
    Case("investigation-void", "post", "supervisor_sjpd", INV, 200, {"reason": "Opened twice."}),
    Case("investigation-void", "post", "officer_sjpd", INV, 403, {"reason": "Opened twice."}),
    Case("investigation-void", "post", "officer_kcpd", INV, 404, {"reason": "Opened twice."}),
    Case("investigation-close", "post", "officer_sjpd", INV, 200, {"closing_reason": "cleared_by_arrest"}),
    Case("investigation-close", "post", "officer_sjpd", INV, 400, {"closing_reason": "other"}),  # no note
    Case("investigation-close", "post", "officer_sjpd", INV, 400, {"closing_reason": "other"}, _closed),
    Case("investigation-close", "post", "agent_fbi", INV, 403, {"closing_reason": "cleared_by_arrest"}),
    Case("investigation-close", "post", "officer_kcpd", INV, 404, {"closing_reason": "cleared_by_arrest"}),
    Case("investigation-reopen", "post", "officer_sjpd", INV, 200, {}, _closed),
    Case("investigation-reopen", "post", "officer_sjpd", INV, 400, {}),  # not closed
    Case("investigation-reopen", "post", "agent_fbi", INV, 403, {}, _closed),
    Case("investigation-reopen", "post", "officer_kcpd", INV, 404, {}, _closed),
    Case("investigation-agencies", "post", "officer_sjpd", INV, 201, lambda w: {"agency": w.agencies.kcpd.pk}),
    Case(
        "investigation-agencies",
        "post",
        "coordinator",
        "investigation_kcpd",
        201,
        lambda w: {"agency": w.agencies.prosecutor.pk, "role": "prosecution"},
    ),
    Case("investigation-agencies", "post", "officer_sjpd", INV, 400, lambda w: {"agency": w.agencies.fbi.pk}),
    Case(
        "investigation-agencies",
        "post",
        "officer_sjpd",
        INV,
        400,
        lambda w: {"agency": w.agencies.kcpd.pk, "role": "lead"},
    ),
    Case("investigation-agencies", "post", "agent_fbi", INV, 403, lambda w: {"agency": w.agencies.kcpd.pk}),
    Case("investigation-agencies", "post", "officer_kcpd", INV, 404, lambda w: {"agency": w.agencies.kcpd.pk}),
    Case("investigation-agency-remove", "post", "officer_sjpd", INV, 200, parts={"agency_pk": "fbi_on_investigation"}),
    Case(
        "investigation-agency-remove", "post", "coordinator", INV, 400, parts={"agency_pk": "sjpd_leads_investigation"}
    ),
    Case("investigation-agency-remove", "post", "agent_fbi", INV, 403, parts={"agency_pk": "fbi_on_investigation"}),
    Case("investigation-agency-remove", "post", "officer_kcpd", INV, 404, parts={"agency_pk": "fbi_on_investigation"}),
    Case(
        "investigation-people",
        "post",
        "officer_sjpd",
        INV,
        201,
        lambda w: {"person": w.records.child_contact.person.pk, "role": "witness"},
    ),
    Case(
        "investigation-people",
        "post",
        "officer_sjpd",
        INV,
        400,
        lambda w: {"person": w.records.victim_kcpd.person.pk, "role": "witness"},
    ),
    Case(
        "investigation-people",
        "post",
        "agent_fbi",
        INV,
        403,
        lambda w: {"person": w.records.child_contact.person.pk, "role": "witness"},
    ),
    Case(
        "investigation-people",
        "post",
        "officer_kcpd",
        INV,
        404,
        lambda w: {"person": w.records.victim_kcpd.person.pk, "role": "witness"},
    ),
    Case("investigation-person-remove", "post", "officer_sjpd", INV, 200, parts={"person_pk": "victim_in_sjpd"}),
    # The suspect is the defendant of the prosecution filed in it: they stay (400, as on the page).
    Case("investigation-person-remove", "post", "officer_sjpd", INV, 400, parts={"person_pk": "suspect_sjpd"}),
    Case("investigation-person-remove", "post", "officer_sjpd", INV, 404, parts={"person_pk": "suspect_kcpd"}),
    Case("investigation-person-remove", "post", "agent_fbi", INV, 403, parts={"person_pk": "suspect_sjpd"}),
    Case("investigation-person-remove", "post", "officer_kcpd", INV, 404, parts={"person_pk": "suspect_sjpd"}),
    # unlinking an operation or an arrest: the lead agency's officers and the coordinator; a record
    # not linked to it, or one the user may not see, is 404
    Case("investigation-operation-unlink", "post", "officer_sjpd", INV, 200, parts={"operation_pk": "op_sjpd"}),
    Case("investigation-operation-unlink", "post", "coordinator", INV, 200, parts={"operation_pk": "op_sjpd"}),
    Case("investigation-operation-unlink", "post", "coordinator", INV, 404, parts={"operation_pk": "op_kcpd"}),
    Case("investigation-operation-unlink", "post", "agent_fbi", INV, 403, parts={"operation_pk": "op_sjpd"}),
    Case("investigation-operation-unlink", "post", "prosecutor", INV, 403, parts={"operation_pk": "op_sjpd"}),
    Case("investigation-operation-unlink", "post", "officer_kcpd", INV, 404, parts={"operation_pk": "op_sjpd"}),
    Case("investigation-operation-unlink", "post", "advocate_harbor", INV, 404, parts={"operation_pk": "op_sjpd"}),
    Case("investigation-detention-unlink", "post", "officer_sjpd", INV, 200, parts={"detention_pk": "detention_sjpd"}),
    Case("investigation-detention-unlink", "post", "officer_sjpd", INV, 404, parts={"detention_pk": "detention_kcpd"}),
    Case("investigation-detention-unlink", "post", "agent_fbi", INV, 403, parts={"detention_pk": "detention_sjpd"}),
    Case("investigation-detention-unlink", "post", "officer_kcpd", INV, 404, parts={"detention_pk": "detention_sjpd"}),
    Case(
        "investigation-detention-unlink",
        "post",
        "officer_sjpd",
        INV,
        400,
        parts={"detention_pk": "detention_sjpd"},
        given=_closed,
    ),
    # prosecutions: filed by the prosecutor the investigation was referred to; changed by the prosecuting agency
    Case("prosecution-list", "post", "prosecutor", None, 201, _new_prosecution),
    Case(
        "prosecution-list",
        "post",
        "coordinator",
        None,
        201,
        lambda w: _new_prosecution(w, prosecuting_agency=w.agencies.prosecutor.pk),
    ),
    Case(
        "prosecution-list",
        "post",
        "coordinator",
        None,
        400,
        lambda w: _new_prosecution(w, prosecuting_agency=w.agencies.harbor.pk),  # not a prosecutor's office
    ),
    Case("prosecution-list", "post", "officer_sjpd", None, 403, _new_prosecution),
    Case("prosecution-list", "post", "officer_kcpd", None, 400, _new_prosecution),  # not its investigation
    Case("prosecution-list", "post", "advocate_harbor", None, 400, _new_prosecution),
    Case("prosecution-list", "post", "prosecutor", None, 400, lambda w: _new_prosecution(w, filed_on="2000-01-01")),
    Case("prosecution-detail", "patch", "prosecutor", "prosecution_sjpd", 200, {"docket_number": "26BU-CR00999"}),
    Case("prosecution-detail", "patch", "officer_sjpd", "prosecution_sjpd", 403, {"docket_number": "x"}),
    Case("prosecution-detail", "patch", "officer_kcpd", "prosecution_sjpd", 404, {"docket_number": "x"}),
    Case("prosecution-detail", "patch", "advocate_harbor", "prosecution_sjpd", 404, {"docket_number": "x"}),
    Case(
        "prosecution-detail",
        "patch",
        "prosecutor",
        "prosecution_sjpd",
        400,
        lambda w: {"investigation": w.records.investigation_kcpd.pk},
    ),
    Case("prosecution-detail", "put", "prosecutor", "prosecution_sjpd", 200, _new_prosecution),
    Case("prosecution-detail", "put", "agent_fbi", "prosecution_sjpd", 403, _new_prosecution),
    Case("prosecution-void", "post", "coordinator", "prosecution_sjpd", 200, {"reason": "Filed twice."}),
    Case("prosecution-void", "post", "prosecutor", "prosecution_sjpd", 403, {"reason": "Filed twice."}),
    Case("prosecution-void", "post", "officer_kcpd", "prosecution_sjpd", 404, {"reason": "Filed twice."}),
    # counts and court dates: with their prosecution's right
    Case("count-list", "post", "prosecutor", None, 201, _new_count),
    Case("count-list", "post", "prosecutor", None, 400, lambda w: _new_count(w, number=1)),  # count I exists
    Case("count-list", "post", "officer_sjpd", None, 403, _new_count),
    Case("count-list", "post", "officer_kcpd", None, 400, _new_count),
    Case(
        "count-detail",
        "patch",
        "prosecutor",
        "count_sjpd",
        200,
        lambda w: {"disposition": "pleaded_guilty", "disposition_on": TODAY(), "custody_months": 12},
    ),
    Case("count-detail", "patch", "prosecutor", "count_sjpd", 400, {"disposition": "dismissed"}),  # no date
    Case("count-detail", "patch", "prosecutor", "count_sjpd", 400, {"custody_months": 12}),  # no conviction
    Case("count-detail", "patch", "officer_sjpd", "count_sjpd", 403, {"disposition": "pending"}),
    Case("count-detail", "patch", "officer_kcpd", "count_sjpd", 404, {"disposition": "pending"}),
    Case("count-detail", "put", "prosecutor", "count_sjpd", 200, lambda w: _new_count(w, number=1)),
    Case(
        "count-detail",
        "put",
        "coordinator",
        "count_sjpd",
        400,
        lambda w: _new_count(w, number=1, prosecution=w.records.prosecution_kcpd.pk),
    ),
    Case("court-event-list", "post", "prosecutor", None, 201, _new_court_event),
    Case("court-event-list", "post", "officer_sjpd", None, 403, _new_court_event),
    Case("court-event-list", "post", "advocate_harbor", None, 400, _new_court_event),
    Case("court-event-detail", "patch", "prosecutor", "court_event_sjpd", 200, {"courtroom": "Division 3"}),
    Case("court-event-detail", "patch", "advocate_harbor", "court_event_sjpd", 403, {"courtroom": "Division 3"}),
    Case("court-event-detail", "patch", "officer_sjpd", "court_event_sjpd", 403, {"courtroom": "Division 3"}),
    Case("court-event-detail", "patch", "advocate_northland", "court_event_sjpd", 404, {"courtroom": "Division 3"}),
    Case("court-event-detail", "put", "prosecutor", "court_event_sjpd", 200, _new_court_event),
    Case("court-event-detail", "put", "caseworker", "court_event_sjpd", 404, _new_court_event),
    # relief: asked by an advocate of a law-enforcement agency, which takes the answering steps
    Case("relief-request-list", "post", "advocate_harbor", None, 201, _new_relief("victim_sjpd.person")),
    Case(
        "relief-request-list",
        "post",
        "coordinator",
        None,
        201,
        _new_relief("victim_kcpd.person", requested_by_agency=lambda w: w.agencies.northland.pk),
    ),
    Case(
        "relief-request-list",
        "post",
        "advocate_harbor",
        None,
        400,
        _new_relief("victim_sjpd.person", requested_of_agency=lambda w: w.agencies.northland.pk),
    ),
    Case(
        "relief-request-list",
        "post",
        "advocate_harbor",
        None,
        400,
        _new_relief("victim_sjpd.person", kind="continued_presence"),  # asked of a local police department
    ),
    Case("relief-request-list", "post", "advocate_northland", None, 400, _new_relief("victim_sjpd.person")),
    Case("relief-request-list", "post", "officer_sjpd", None, 403, _new_relief("victim_sjpd.person")),
    Case("relief-request-list", "post", "caseworker", None, 403, _new_relief("child_contact.person")),
    Case(
        "relief-request-detail",
        "patch",
        "advocate_harbor",
        "relief_new",
        200,
        {"notes": "Prefers Spanish."},
        _requested,
    ),
    Case("relief-request-detail", "patch", "officer_sjpd", "relief_new", 403, {"notes": "x"}, _requested),
    Case("relief-request-detail", "patch", "advocate_northland", "relief_new", 404, {"notes": "x"}, _requested),
    Case("relief-request-detail", "patch", "advocate_harbor", "relief_sjpd", 403, {"notes": "x"}),  # under review
    Case(
        "relief-request-detail",
        "put",
        "advocate_harbor",
        "relief_new",
        200,
        _new_relief("victim_sjpd.person", kind="u_visa"),
        _requested,
    ),
    Case("relief-request-void", "post", "coordinator", "relief_sjpd", 200, {"reason": "Asked twice."}),
    Case("relief-request-void", "post", "advocate_harbor", "relief_sjpd", 403, {"reason": "Asked twice."}),
    Case("relief-request-void", "post", "advocate_northland", "relief_sjpd", 404, {"reason": "Asked twice."}),
    Case("relief-request-review", "post", "officer_sjpd", "relief_new", 200, {}, _requested),
    Case("relief-request-review", "post", "advocate_harbor", "relief_new", 403, {}, _requested),
    Case("relief-request-review", "post", "officer_sjpd", "relief_sjpd", 400, {}),  # already under review
    Case("relief-request-review", "post", "officer_kcpd", "relief_sjpd", 404, {}),
    Case(
        "relief-request-grant", "post", "officer_sjpd", "relief_sjpd", 200, lambda w: {"expires_on": str(_in_days(300))}
    ),
    Case("relief-request-grant", "post", "agent_fbi", "relief_sjpd", 403, {}),
    Case("relief-request-grant", "post", "advocate_harbor", "relief_sjpd", 403, {}),
    Case("relief-request-grant", "post", "advocate_northland", "relief_sjpd", 404, {}),
    Case("relief-request-decline", "post", "officer_sjpd", "relief_sjpd", 200, {"reason": "No cooperation yet."}),
    Case("relief-request-decline", "post", "officer_sjpd", "relief_sjpd", 400, {}),  # no reason
    Case("relief-request-decline", "post", "advocate_harbor", "relief_sjpd", 403, {"reason": "x"}),
    Case("relief-request-expire", "post", "officer_sjpd", "relief_sjpd", 200, {}, _granted),
    Case("relief-request-expire", "post", "officer_sjpd", "relief_sjpd", 400, {}),  # not granted
    Case("relief-request-expire", "post", "advocate_harbor", "relief_sjpd", 403, {}, _granted),
    Case("relief-request-renew", "post", "advocate_harbor", "relief_sjpd", 200, {}, _granted),
    Case("relief-request-renew", "post", "officer_sjpd", "relief_sjpd", 403, {}, _granted),
    Case("relief-request-renew", "post", "advocate_harbor", "relief_sjpd", 400, {}),
    Case("relief-request-withdraw", "post", "advocate_harbor", "relief_sjpd", 200, {"note": "Client moved away."}),
    Case("relief-request-withdraw", "post", "officer_sjpd", "relief_sjpd", 403, {}),
    Case("relief-request-withdraw", "post", "advocate_northland", "relief_sjpd", 404, {}),
]


# --- tasks and follows: held tasks only, on records the writer may see ---------------------


def _new_task(record: str, queue: str = "sjpd", **extra):
    return lambda w: {
        "title": "Return the phones",
        "operation": _resolve(w.records, record).pk,
        "assigned_agency": getattr(w.agencies, queue).pk,
        **extra,
    }


def _done(w):
    from work import actions as work

    work.close_task(w.users.officer_sjpd, w.records.task_sjpd_queue)


TASK_WRITES = [
    Case("task-list", "post", "officer_sjpd", None, 201, _new_task("op_sjpd")),
    Case("task-list", "post", "coordinator", None, 201, _new_task("op_kcpd", "kcpd")),
    Case("task-list", "post", "officer_sjpd", None, 400, _new_task("op_kcpd")),  # a record it cannot see
    Case("task-list", "post", "advocate_harbor", None, 400, _new_task("op_sjpd")),  # another agency's queue
    Case("task-list", "post", "officer_sjpd", None, 400, {"title": "Nowhere", "assigned_user": 1}),
    Case("task-list", "post", "analyst", None, 403, _new_task("op_sjpd")),
    Case("task-detail", "patch", "officer_sjpd", "task_sjpd_queue", 200, {"title": "Return all the phones"}),
    Case("task-detail", "patch", "supervisor_sjpd", "task_officer_sjpd", 200, {"due_date": None}),
    Case("task-detail", "patch", "officer_kcpd", "task_sjpd_queue", 404, {"title": "x"}),
    Case("task-detail", "patch", "officer_sjpd", "task_sjpd_queue", 403, {"title": "x"}, _done),  # closed
    Case("task-detail", "patch", "officer_sjpd", "task_sjpd_queue", 400, lambda w: {"person": 1}),
    Case(
        "task-detail",
        "put",
        "officer_sjpd",
        "task_sjpd_queue",
        200,
        lambda w: {
            "title": "Return the phones today",
            "notes": "",
            "due_date": TODAY(),
            "assigned_agency": w.agencies.sjpd.pk,
        },
    ),
    Case("task-done", "post", "officer_sjpd", "task_sjpd_queue", 200, {}),
    Case("task-done", "post", "coordinator", "task_sjpd_queue", 404, {}),
    Case("task-done", "post", "officer_sjpd", "task_sjpd_queue", 403, {}, _done),
    Case("task-cancel", "post", "supervisor_sjpd", "task_officer_sjpd", 200, {}),
    Case("task-cancel", "post", "advocate_harbor", "task_officer_sjpd", 404, {}),
    Case("follow-list", "post", "advocate_harbor", None, 201, lambda w: {"relief_request": w.records.relief_sjpd.pk}),
    Case("follow-list", "post", "advocate_harbor", None, 400, lambda w: {"operation": w.records.op_kcpd.pk}),
    Case("follow-list", "post", "officer_sjpd", None, 400, {}),
    Case("follow-list", "post", "analyst", None, 403, lambda w: {"operation": w.records.op_sjpd.pk}),
    Case("follow-unfollow", "post", "officer_sjpd", "follow_officer_sjpd", 200, {}),
    Case("follow-unfollow", "post", "officer_kcpd", "follow_officer_sjpd", 404, {}),
]


WRITES: list[Case] = [
    # agencies: the coordinator manages the directory.
    Case(
        "agency-list",
        "post",
        "coordinator",
        None,
        201,
        {"name": "Test Shelter", "short_name": "TS", "kind": "victim_services", "level": "non_profit"},
    ),
    Case(
        "agency-list",
        "post",
        "supervisor_sjpd",
        None,
        403,
        {"name": "Test Shelter", "short_name": "TS", "kind": "victim_services", "level": "non_profit"},
    ),
    Case("agency-detail", "patch", "coordinator", "agencies.harbor", 200, {"phone": "555-0100"}),
    Case(
        "agency-detail",
        "put",
        "officer_sjpd",
        "agencies.harbor",
        403,
        {"name": "X", "short_name": "X", "kind": "other", "level": "local"},
    ),
    Case(
        "agency-detail",
        "put",
        "coordinator",
        "agencies.harbor",
        200,
        {"name": "Safe Harbor Advocates", "short_name": "HARBOR", "kind": "victim_services", "level": "non_profit"},
    ),
    Case("agency-detail", "patch", "nobody", "agencies.harbor", 403, {"phone": "555-0100"}),
    # ...and so does the system administrator, who records no case (403 on every case write).
    Case("agency-detail", "patch", "sysadmin", "agencies.harbor", 200, {"phone": "555-0100"}),
    # operations
    Case(
        "operation-list",
        "post",
        "officer_sjpd",
        None,
        201,
        lambda w: {"name": "Operation Test", "kind": "sting", "starts_at": NOW().isoformat()},
    ),
    Case(
        "operation-list",
        "post",
        "coordinator",
        None,
        201,
        lambda w: {
            "name": "Operation Test",
            "kind": "sting",
            "starts_at": NOW().isoformat(),
            "lead_agency": w.agencies.kcpd.pk,
        },
    ),
    Case(
        "operation-list",
        "post",
        "advocate_harbor",
        None,
        403,
        lambda w: {"name": "Operation Test", "kind": "sting", "starts_at": NOW().isoformat()},
    ),
    Case("operation-list", "post", "analyst", None, 403, {}),
    Case(
        "operation-list",
        "post",
        "sysadmin",
        None,
        403,
        lambda w: {
            "name": "Operation Test",
            "kind": "sting",
            "starts_at": NOW().isoformat(),
            "lead_agency": w.agencies.kcpd.pk,
        },
    ),
    Case("operation-detail", "patch", "sysadmin", "op_sjpd", 403, {"name": "Renamed"}),
    Case("operation-detail", "patch", "officer_sjpd", "op_sjpd", 200, {"name": "Renamed"}),
    Case("operation-detail", "patch", "agent_fbi", "op_sjpd", 403, {"name": "Renamed"}),
    Case("operation-detail", "patch", "officer_kcpd", "op_sjpd", 404, {"name": "Renamed"}),
    Case(
        "operation-detail",
        "put",
        "officer_sjpd",
        "op_sjpd",
        200,
        lambda w: {"name": "Renamed", "kind": "sting", "starts_at": w.records.op_sjpd.starts_at.isoformat()},
    ),
    Case("operation-detail", "put", "advocate_harbor", "op_sjpd", 403, {}),
    Case("operation-move", "post", "officer_sjpd", "op_sjpd", 200, {"status": "concluded"}),
    Case("operation-move", "post", "agent_fbi", "op_sjpd", 403, {"status": "concluded"}),
    Case("operation-move", "post", "officer_kcpd", "op_sjpd", 404, {"status": "concluded"}),
    Case("operation-void", "post", "supervisor_sjpd", "op_sjpd", 200, {"reason": "Entered twice."}),
    Case("operation-void", "post", "officer_sjpd", "op_sjpd", 403, {"reason": "Entered twice."}),
    Case("operation-void", "post", "officer_kcpd", "op_sjpd", 404, {"reason": "Entered twice."}),
    # who takes part and where: the lead agency's officers and the coordinator
    Case(
        "operation-participants",
        "post",
        "officer_sjpd",
        "op_sjpd",
        201,
        lambda w: {"agency": w.agencies.kcpd.pk, "staff_count": 4},
    ),
    Case(
        "operation-participants",
        "post",
        "coordinator",
        "op_kcpd",
        201,
        lambda w: {"agency": w.agencies.fbi.pk, "role": "support"},
    ),
    Case("operation-participants", "post", "officer_sjpd", "op_sjpd", 400, lambda w: {"agency": w.agencies.fbi.pk}),
    Case(
        "operation-participants",
        "post",
        "officer_sjpd",
        "op_sjpd",
        400,
        lambda w: {"agency": w.agencies.kcpd.pk, "role": "lead"},
    ),
    Case("operation-participants", "post", "agent_fbi", "op_sjpd", 403, lambda w: {"agency": w.agencies.kcpd.pk}),
    Case("operation-participants", "post", "advocate_harbor", "op_sjpd", 403, lambda w: {"agency": w.agencies.kcpd.pk}),
    Case("operation-participants", "post", "officer_kcpd", "op_sjpd", 404, lambda w: {"agency": w.agencies.kcpd.pk}),
    Case(
        "operation-participant-remove",
        "post",
        "officer_sjpd",
        "op_sjpd",
        200,
        parts={"participation_pk": "participation_fbi"},
    ),
    Case(
        "operation-participant-remove",
        "post",
        "coordinator",
        "op_sjpd",
        400,
        parts={"participation_pk": "participation_lead"},
    ),
    Case(
        "operation-participant-remove",
        "post",
        "officer_sjpd",
        "op_sjpd",
        404,
        parts={"participation_pk": "participation_kcpd_lead"},
    ),
    Case(
        "operation-participant-remove",
        "post",
        "agent_fbi",
        "op_sjpd",
        403,
        parts={"participation_pk": "participation_fbi"},
    ),
    Case(
        "operation-participant-remove",
        "post",
        "officer_kcpd",
        "op_sjpd",
        404,
        parts={"participation_pk": "participation_fbi"},
    ),
    Case(
        "operation-locations",
        "post",
        "officer_sjpd",
        "op_sjpd",
        201,
        {"venue_name": "Northbelt Motel", "venue_type": "hotel", "state": "MO"},
    ),
    Case(
        "operation-locations",
        "post",
        "officer_sjpd",
        "op_sjpd",
        400,
        {"venue_name": "Northbelt Motel", "venue_type": "castle"},
    ),
    Case(
        "operation-locations",
        "post",
        "agent_fbi",
        "op_sjpd",
        403,
        {"venue_name": "Northbelt Motel", "venue_type": "hotel"},
    ),
    Case(
        "operation-locations",
        "post",
        "officer_kcpd",
        "op_sjpd",
        404,
        {"venue_name": "Northbelt Motel", "venue_type": "hotel"},
    ),
    Case(
        "operation-location-remove",
        "post",
        "officer_sjpd",
        "op_sjpd",
        200,
        {"reason": "Wrong place."},
        parts={"location_pk": "location_sjpd"},
    ),
    Case(
        "operation-location-remove", "post", "officer_sjpd", "op_sjpd", 400, {}, parts={"location_pk": "location_sjpd"}
    ),
    Case(
        "operation-location-remove",
        "post",
        "officer_sjpd",
        "op_sjpd",
        404,
        {"reason": "x"},
        parts={"location_pk": "location_kcpd"},
    ),
    Case(
        "operation-location-remove",
        "post",
        "advocate_harbor",
        "op_sjpd",
        403,
        {"reason": "x"},
        parts={"location_pk": "location_sjpd"},
    ),
    Case(
        "operation-location-remove",
        "post",
        "officer_kcpd",
        "op_sjpd",
        404,
        {"reason": "x"},
        parts={"location_pk": "location_sjpd"},
    ),
    # people
    Case("person-list", "post", "officer_sjpd", None, 201, {"legal_name": "Alex Invented", "estimated_age": 30}),
    Case("person-list", "post", "advocate_harbor", None, 201, {"legal_name": "Alex Invented"}),
    Case("person-list", "post", "tf_auditor", None, 403, {"legal_name": "Alex Invented"}),
    Case("person-detail", "patch", "officer_sjpd", "victim_sjpd.person", 200, {"languages": "English, Spanish"}),
    Case("person-detail", "patch", "advocate_harbor", "victim_sjpd.person", 403, {"languages": "English"}),
    # Merging another record into this one: supervisors and the coordinator, who see both
    # and everything attached; an officer 403; another agency's person 404.
    Case("person-merge", "post", "supervisor_sjpd", "victim_sjpd.person", 201, lambda w: _merge_body(w, "sjpd")),
    Case("person-merge", "post", "coordinator", "victim_kcpd.person", 201, lambda w: _merge_body(w, "kcpd")),
    Case("person-merge", "post", "officer_sjpd", "victim_sjpd.person", 403, lambda w: _merge_body(w, "sjpd")),
    Case("person-merge", "post", "advocate_harbor", "victim_sjpd.person", 403, lambda w: _merge_body(w, "sjpd")),
    Case("person-merge", "post", "officer_kcpd", "victim_sjpd.person", 404, lambda w: _merge_body(w, "sjpd")),
    Case("person-merge", "post", "supervisor_sjpd", "victim_kcpd.person", 404, lambda w: _merge_body(w, "kcpd")),
    # Undoing a merge: the coordinator only (a supervisor who merged is refused), once.
    Case("person-undo-merge", "post", "coordinator", "victim_sjpd.person", 200, lambda w: _undo_body(w), _merged),
    Case("person-undo-merge", "post", "supervisor_sjpd", "victim_sjpd.person", 403, lambda w: _undo_body(w), _merged),
    Case("person-undo-merge", "post", "officer_sjpd", "victim_sjpd.person", 403, lambda w: _undo_body(w), _merged),
    Case("person-undo-merge", "post", "officer_kcpd", "victim_sjpd.person", 404, lambda w: _undo_body(w), _merged),
    Case("person-detail", "patch", "officer_kcpd", "victim_sjpd.person", 404, {"languages": "English"}),
    Case(
        "person-detail",
        "put",
        "caseworker",
        "child_contact.person",
        200,
        {"legal_name": "Robin Invented", "estimated_age": 3},
    ),
    Case("person-detail", "put", "caseworker", "victim_sjpd.person", 404, {"legal_name": "X"}),
    Case("person-void", "post", "supervisor_sjpd", "victim_sjpd.person", 200, {"reason": "Duplicate."}),
    Case("person-void", "post", "officer_sjpd", "victim_sjpd.person", 403, {"reason": "Duplicate."}),
    Case("person-void", "post", "officer_kcpd", "victim_sjpd.person", 404, {"reason": "Duplicate."}),
    # contacts
    Case(
        "contact-list",
        "post",
        "officer_sjpd",
        None,
        201,
        lambda w: {
            "person": w.records.victim_sjpd.person.pk,
            "operation": w.records.op_sjpd.pk,
            "role": "potential_victim",
            "outcome": "offered_services",
        },
    ),
    Case(
        "contact-list",
        "post",
        "officer_kcpd",
        None,
        400,
        lambda w: {
            "person": w.records.victim_sjpd.person.pk,
            "operation": w.records.op_sjpd.pk,
            "role": "potential_victim",
            "outcome": "offered_services",
        },
    ),
    Case(
        "contact-list",
        "post",
        "advocate_harbor",
        None,
        403,
        lambda w: {
            "person": w.records.victim_sjpd.person.pk,
            "operation": w.records.op_sjpd.pk,
            "role": "potential_victim",
            "outcome": "offered_services",
        },
    ),
    Case("contact-detail", "patch", "officer_sjpd", "victim_sjpd", 200, {"narrative": "Spoke briefly."}),
    Case("contact-detail", "patch", "agent_fbi", "victim_sjpd", 403, {"narrative": "Spoke briefly."}),
    Case("contact-detail", "patch", "officer_kcpd", "victim_sjpd", 404, {"narrative": "Spoke briefly."}),
    Case(
        "contact-detail",
        "put",
        "officer_sjpd",
        "victim_sjpd",
        200,
        lambda w: {
            "person": w.records.victim_sjpd.person.pk,
            "operation": w.records.op_sjpd.pk,
            "role": "confirmed_victim",
            "outcome": "offered_services",
        },
    ),
    Case("contact-detail", "put", "advocate_harbor", "victim_sjpd", 404, {}),
    Case("contact-void", "post", "supervisor_sjpd", "victim_sjpd", 200, {"reason": "Wrong person."}),
    Case("contact-void", "post", "officer_kcpd", "victim_sjpd", 404, {"reason": "Wrong person."}),
    Case("contact-void", "post", "officer_sjpd", "victim_sjpd", 403, {"reason": "Wrong person."}),
    # service offers
    Case(
        "service-offer-list",
        "post",
        "officer_sjpd",
        None,
        201,
        lambda w: {"contact": w.records.victim_sjpd.pk, "service_type": w.records.food.pk},
    ),
    Case(
        "service-offer-list",
        "post",
        "officer_kcpd",
        None,
        400,
        lambda w: {"contact": w.records.victim_sjpd.pk, "service_type": w.records.food.pk},
    ),
    Case(
        "service-offer-list",
        "post",
        "advocate_harbor",
        None,
        403,
        lambda w: {"referral": w.records.referral_sjpd.pk, "service_type": w.records.food.pk},
    ),
    Case(
        "service-offer-list",
        "post",
        "advocate_harbor",
        None,
        201,
        lambda w: {"referral": w.records.referral_sjpd.pk, "service_type": w.records.food.pk},
        _acknowledged,
    ),
    Case("service-offer-detail", "patch", "officer_sjpd", "offer_sjpd", 200, {"notes": "Bed found."}),
    Case("service-offer-detail", "patch", "agent_fbi", "offer_sjpd", 403, {"notes": "Bed found."}),
    Case("service-offer-detail", "patch", "officer_kcpd", "offer_sjpd", 404, {"notes": "Bed found."}),
    Case(
        "service-offer-detail",
        "put",
        "officer_sjpd",
        "offer_sjpd",
        200,
        lambda w: {"contact": w.records.victim_sjpd.pk, "service_type": w.records.shelter.pk, "response": "declined"},
    ),
    Case("service-offer-void", "post", "supervisor_sjpd", "offer_sjpd", 200, {"reason": "Recorded twice."}),
    Case("service-offer-void", "post", "officer_kcpd", "offer_sjpd", 404, {"reason": "Recorded twice."}),
    # referrals
    Case(
        "referral-list",
        "post",
        "officer_sjpd",
        None,
        201,
        lambda w: {
            "contact": w.records.victim_sjpd.pk,
            "to_agency": w.agencies.northland.pk,
            "reason": "Needs counseling.",
            "service_types": [w.records.food.pk],
        },
    ),
    Case(
        "referral-list",
        "post",
        "caseworker",
        None,
        403,
        lambda w: {
            "person": w.records.child_contact.person.pk,
            "to_agency": w.agencies.northland.pk,
            "reason": "Needs counseling.",
            "service_types": [w.records.food.pk],
        },
    ),
    Case(
        "referral-list",
        "post",
        "officer_kcpd",
        None,
        400,
        lambda w: {
            "person": w.records.victim_sjpd.person.pk,
            "to_agency": w.agencies.northland.pk,
            "reason": "x",
            "service_types": [w.records.food.pk],
        },
    ),
    Case("referral-detail", "patch", "officer_sjpd", "draft_sjpd", 200, {"reason": "Needs shelter and food."}),
    Case("referral-detail", "patch", "officer_sjpd", "referral_sjpd", 403, {"reason": "Changed after sending."}),
    Case("referral-detail", "patch", "advocate_harbor", "draft_sjpd", 404, {"reason": "x"}),
    Case("referral-detail", "put", "officer_kcpd", "draft_sjpd", 404, {}),
    Case(
        "referral-detail",
        "put",
        "officer_sjpd",
        "draft_sjpd",
        200,
        lambda w: {
            "person": w.records.victim_sjpd.person.pk,
            "to_agency": w.agencies.harbor.pk,
            "reason": "Full update.",
            "service_types": [w.records.shelter.pk],
        },
    ),
    Case("referral-send", "post", "officer_sjpd", "draft_sjpd", 200, {}),
    Case("referral-send", "post", "advocate_harbor", "draft_sjpd", 404, {}),
    Case("referral-send", "post", "officer_kcpd", "draft_sjpd", 404, {}),
    Case("referral-acknowledge", "post", "advocate_harbor", "referral_sjpd", 200, {}),
    Case("referral-acknowledge", "post", "officer_sjpd", "referral_sjpd", 403, {}),
    Case("referral-acknowledge", "post", "advocate_northland", "referral_sjpd", 404, {}),
    Case("referral-accept", "post", "advocate_harbor", "referral_sjpd", 200, {}, _acknowledged),
    Case("referral-accept", "post", "agent_fbi", "referral_sjpd", 403, {}, _acknowledged),
    Case("referral-accept", "post", "advocate_harbor", "referral_sjpd", 400, {}),  # not yet acknowledged
    Case("referral-decline", "post", "advocate_harbor", "referral_sjpd", 200, {"reason": "No beds."}, _acknowledged),
    Case("referral-decline", "post", "advocate_harbor", "referral_sjpd", 400, {}, _acknowledged),  # no reason
    Case("referral-decline", "post", "officer_kcpd", "referral_sjpd", 404, {"reason": "x"}, _acknowledged),
    Case("referral-start-service", "post", "advocate_harbor", "referral_sjpd", 200, {}, _accepted),
    Case("referral-start-service", "post", "officer_sjpd", "referral_sjpd", 403, {}, _accepted),
    Case("referral-close", "post", "advocate_harbor", "referral_sjpd", 200, {"closure": "completed"}, _accepted),
    Case("referral-close", "post", "advocate_harbor", "referral_sjpd", 400, {"closure": "vanished"}, _accepted),
    Case("referral-close", "post", "advocate_northland", "referral_sjpd", 404, {"closure": "completed"}, _accepted),
    Case("referral-revoke", "post", "officer_sjpd", "referral_sjpd", 200, {"reason": "Sent to the wrong partner."}),
    Case("referral-revoke", "post", "advocate_harbor", "referral_sjpd", 403, {"reason": "x"}),
    Case("referral-revoke", "post", "officer_kcpd", "referral_sjpd", 404, {"reason": "x"}),
    Case("referral-void", "post", "supervisor_sjpd", "referral_sjpd", 200, {"reason": "Duplicate."}),
    Case("referral-void", "post", "advocate_harbor", "referral_sjpd", 403, {"reason": "Duplicate."}),
    Case("referral-void", "post", "officer_kcpd", "referral_sjpd", 404, {"reason": "Duplicate."}),
    # custody hand-offs
    Case(
        "custody-handoff-list",
        "post",
        "officer_sjpd",
        None,
        201,
        lambda w: {
            "contact": w.records.child_contact.pk,
            "taken_at": (NOW() - timedelta(hours=1)).isoformat(),
            "reason": "Found alone.",
            "receiving_agency": w.agencies.childrens.pk,
        },
    ),
    Case(
        "custody-handoff-list",
        "post",
        "officer_kcpd",
        None,
        400,
        lambda w: {
            "contact": w.records.child_contact.pk,
            "taken_at": (NOW() - timedelta(hours=1)).isoformat(),
            "reason": "Found alone.",
            "receiving_agency": w.agencies.childrens.pk,
        },
    ),
    Case(
        "custody-handoff-list",
        "post",
        "caseworker",
        None,
        403,
        lambda w: {
            "person": w.records.child_contact.person.pk,
            "taken_at": (NOW() - timedelta(hours=1)).isoformat(),
            "reason": "Found alone.",
            "receiving_agency": w.agencies.childrens.pk,
        },
    ),
    Case("custody-handoff-hand-over", "post", "officer_kcpd", "handoff_kcpd", 200, {}),
    Case("custody-handoff-hand-over", "post", "caseworker", "handoff_kcpd", 403, {}),
    Case("custody-handoff-hand-over", "post", "officer_sjpd", "handoff_kcpd", 404, {}),
    Case(
        "custody-handoff-acknowledge",
        "post",
        "caseworker",
        "handoff_sjpd",
        200,
        {"note": "Placed with a foster family."},
    ),
    Case("custody-handoff-acknowledge", "post", "officer_sjpd", "handoff_sjpd", 403, {}),
    Case("custody-handoff-acknowledge", "post", "officer_kcpd", "handoff_sjpd", 404, {}),
    Case(
        "custody-handoff-events",
        "post",
        "caseworker",
        "handoff_sjpd",
        201,
        {"kind": "placed", "note": "Emergency placement."},
    ),
    Case("custody-handoff-events", "post", "agent_fbi", "handoff_sjpd", 403, {"kind": "note"}),
    Case("custody-handoff-events", "post", "advocate_harbor", "handoff_sjpd", 404, {"kind": "note"}),
    Case("custody-handoff-detail", "patch", "officer_sjpd", "handoff_sjpd", 405, {"reason": "x"}),
    Case("custody-handoff-detail", "put", "coordinator", "handoff_sjpd", 405, {}),
    Case("custody-handoff-void", "post", "supervisor_sjpd", "handoff_sjpd", 200, {"reason": "Entered in error."}),
    Case("custody-handoff-void", "post", "caseworker", "handoff_sjpd", 403, {"reason": "x"}),
    Case("custody-handoff-void", "post", "officer_kcpd", "handoff_sjpd", 404, {"reason": "x"}),
    # detentions
    Case(
        "detention-list",
        "post",
        "agent_fbi",
        None,
        201,
        lambda w: {
            "contact": w.records.buyer_contact.pk,
            "outcome": "cited",
            "charges": [{"statute": "RSMo 567.030", "description": "Patronizing", "charge_class": "misdemeanor"}],
        },
    ),
    Case(
        "detention-list",
        "post",
        "officer_kcpd",
        None,
        400,
        lambda w: {"contact": w.records.buyer_contact.pk, "outcome": "cited"},
    ),
    Case(
        "detention-list",
        "post",
        "advocate_harbor",
        None,
        403,
        lambda w: {"person": w.records.victim_sjpd.person.pk, "outcome": "cited"},
    ),
    Case("detention-detail", "patch", "agent_fbi", "detention_sjpd", 200, {"pending": True}),
    Case("detention-detail", "patch", "officer_sjpd", "detention_sjpd", 403, {"pending": True}),
    Case("detention-detail", "patch", "officer_kcpd", "detention_sjpd", 404, {"pending": True}),
    Case("detention-detail", "put", "advocate_harbor", "detention_sjpd", 404, {}),
    Case(
        "detention-detail",
        "put",
        "agent_fbi",
        "detention_sjpd",
        200,
        lambda w: {
            "contact": w.records.buyer_contact.pk,
            "person": w.records.buyer_contact.person.pk,
            "outcome": "referred",
        },
    ),
    Case(
        "detention-charges",
        "post",
        "agent_fbi",
        "detention_sjpd",
        201,
        {"statute": "18 USC 1591", "description": "Sex trafficking", "charge_class": "federal", "is_trafficking": True},
    ),
    Case(
        "detention-charges",
        "post",
        "officer_sjpd",
        "detention_sjpd",
        403,
        {"statute": "x", "description": "x", "charge_class": "felony"},
    ),
    Case(
        "detention-charges",
        "post",
        "officer_kcpd",
        "detention_sjpd",
        404,
        {"statute": "x", "description": "x", "charge_class": "felony"},
    ),
    Case("detention-void", "post", "coordinator", "detention_sjpd", 200, {"reason": "Entered twice."}),
    Case("detention-void", "post", "officer_sjpd", "detention_sjpd", 403, {"reason": "x"}),
    Case("detention-void", "post", "caseworker", "detention_sjpd", 404, {"reason": "x"}),
    Case("detention-void", "post", "sysadmin", "detention_sjpd", 403, {"reason": "x"}),
    *LIFECYCLE_WRITES,
    # catalogues are read-only here
    Case("service-type-list", "post", "coordinator", None, 405, {"code": "x", "name": "X"}),
    Case("service-type-detail", "patch", "coordinator", "food", 405, {"name": "Meals"}),
    Case("indicator-list", "post", "coordinator", None, 405, {}),
    Case("indicator-detail", "put", "coordinator", "shelter", 405, {}),
    Case("vulnerability-factor-list", "post", "coordinator", None, 405, {}),
    Case("vulnerability-factor-detail", "patch", "coordinator", "shelter", 405, {}),
    Case("statute-list", "post", "coordinator", None, 405, {"code": "x", "citation": "X"}),
    Case("statute-detail", "patch", "coordinator", "count_sjpd.statute", 405, {"name": "X"}),
    *TASK_WRITES,
]


def _merge_body(w, side: str) -> dict:
    """A second record of the same person, met by the same agency in its operation."""
    operation, agency = (w.records.op_sjpd, w.agencies.sjpd) if side == "sjpd" else (w.records.op_kcpd, w.agencies.kcpd)
    twin = factories.ContactFactory(
        operation=operation, agency=agency, person__legal_name="Dana Inventid", person__created_by_agency=agency
    ).person
    return {"other": twin.pk, "take_from_other": []}


def _part(world, name: str):
    """A participation of the world's operations by name, or any record of world.records."""
    r, a = world.records, world.agencies
    participations = {
        "participation_fbi": (r.op_sjpd, a.fbi),
        "participation_lead": (r.op_sjpd, a.sjpd),
        "participation_kcpd_lead": (r.op_kcpd, a.kcpd),
    }
    if name in participations:
        operation, agency = participations[name]
        return m.Participation.objects.get(operation=operation, agency=agency)
    if name in LIFECYCLE_PARTS:
        return LIFECYCLE_PARTS[name](world)
    return _resolve(r, name)


def _case_id(case: Case) -> str:
    return f"{case.route}-{case.method}-{case.persona}-{case.status}"


@pytest.mark.parametrize("case", WRITES, ids=_case_id)
def test_write_matrix(world, api, case):
    if case.given:
        case.given(world)
    target_root = world if case.target and case.target.startswith("agencies.") else world.records
    body = case.body(world) if callable(case.body) else case.body
    parts = {name: _part(world, record).pk for name, record in case.parts.items()}
    url = (
        reverse(f"api:{case.route}")
        if case.target is None
        else reverse(f"api:{case.route}", kwargs={"pk": _resolve(target_root, case.target).pk, **parts})
    )
    client = api(getattr(world.users, case.persona))
    response = getattr(client, case.method)(url, body, format="json", **_if_match(client, case, target_root))
    assert response.status_code == case.status, response.content


def _if_match(client, case: Case, root) -> dict:
    """The ETag the persona last read of the record, as every write to a record needs it (none if unseen)."""
    if case.target is None:
        return {}
    basename = max((b for _, b in REGISTRY.values() if case.route.startswith(b + "-")), key=len)
    seen = client.get(reverse(f"api:{basename}-detail", kwargs={"pk": _resolve(root, case.target).pk}))
    return {"HTTP_IF_MATCH": seen["ETag"]} if seen.status_code == 200 else {}


def _routes() -> dict[str, set[str]]:
    """url name → methods it answers (besides GET/HEAD/OPTIONS, tested by the read tests above)."""
    routes: dict[str, set[str]] = {}
    for _, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = router.get_method_map(viewset, route.mapping)
            if not mapping:
                continue
            name = route.name.format(basename=basename)
            routes[name] = {method for method in mapping if method not in ("get", "head", "options")}
    # Methods outside http_method_names answer 405 and are tested as such.
    return routes


def test_every_route_and_method_is_in_the_matrix():
    covered = {(case.route, case.method) for case in WRITES}
    routes = _routes()
    assert "post" in routes["referral-start-service"] and "patch" in routes["custody-handoff-detail"]
    missing = []
    for name, methods in _routes().items():
        for method in methods:
            if (name, method) not in covered:
                missing.append(f"{name} {method.upper()}")
    assert not missing, "routes without an entry in the write matrix"
    # Every route must be reachable by the read tests too (list and detail of every prefix).
    assert {f"{basename}-list" for _, _, basename in router.registry} <= set(_routes())


# --- API tokens (outside the router): every member reaches only their own tokens ---------


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_token_endpoints_for_every_persona(world, api, persona):
    from apitokens.models import ApiToken

    client = api(getattr(world.users, persona))
    member = persona != "nobody"
    assert client.get(reverse("api:token-list")).status_code == (200 if member else 403)
    made = client.post(reverse("api:token-list"), {"name": "Grant report script"}, format="json")
    assert made.status_code == (201 if member else 403)
    officers, _ = ApiToken.objects.create(user=world.users.officer_sjpd, name="Officer's script")
    revoke = client.delete(reverse("api:token-detail", kwargs={"pk": officers.pk}))
    assert revoke.status_code == (204 if persona == "officer_sjpd" else 404 if member else 403)


def test_anonymous_token_requests_are_refused(world, api):
    assert api().get(reverse("api:token-list")).status_code in (401, 403)
    assert api().post(reverse("api:token-list"), {"name": "x"}, format="json").status_code in (401, 403)


# --- notifications (beside the router's case records): every member reaches only their own ---


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_notification_endpoints_for_every_persona(world, api, persona):
    from tests.factories import notification

    officers = notification(world.users.officer_sjpd, world.records.referral_sjpd)
    client = api(getattr(world.users, persona))
    member = persona not in ("nobody", "sysadmin")
    listed = client.get(reverse("api:notification-list"))
    assert listed.status_code == (200 if member else 403)
    if member:
        assert {row["id"] for row in listed.json()["results"]} == (
            {officers.pk} if persona == "officer_sjpd" else set()
        )
    detail = client.get(reverse("api:notification-detail", kwargs={"pk": officers.pk}))
    assert detail.status_code == (200 if persona == "officer_sjpd" else 404 if member else 403)
    etag = {"HTTP_IF_MATCH": detail["ETag"]} if detail.status_code == 200 else {"HTTP_IF_MATCH": '"x"'}
    read = client.post(reverse("api:notification-read", kwargs={"pk": officers.pk}), format="json", **etag)
    assert read.status_code == (200 if persona == "officer_sjpd" else 404 if member else 403)
    read_all = client.post(reverse("api:notification-read-all"), format="json")
    assert read_all.status_code == (200 if member else 403)
    assert api().get(reverse("api:notification-list")).status_code in (401, 403)
