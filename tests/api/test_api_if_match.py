"""Lost updates: every write to an existing record must name the version it was based on.

Without If-Match (or with "*", which names no version) the answer is 428, with a stale
ETag 412; in both cases the record is left exactly as it was.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import if_match
from .test_api_access_matrix import REGISTRY, WRITES, Case, _part, _resolve

# Each write to a record that succeeds when If-Match is right.
ALLOWED_WRITES = [case for case in WRITES if case.target is not None and case.status in (200, 201)]


def _urls(world, case: Case) -> tuple[str, str]:
    root = world if case.target.startswith("agencies.") else world.records
    pk = _resolve(root, case.target).pk
    parts = {name: _part(world, record).pk for name, record in case.parts.items()}
    basename = max((b for _, b in REGISTRY.values() if case.route.startswith(b + "-")), key=len)
    return reverse(f"api:{case.route}", kwargs={"pk": pk, **parts}), reverse(
        f"api:{basename}-detail", kwargs={"pk": pk}
    )


def test_a_concurrent_change_is_not_overwritten(world, api):
    url = f"/api/v1/operations/{world.records.op_sjpd.pk}/"
    officer, coordinator = api(world.users.officer_sjpd), api(world.users.coordinator)
    officer_read, coordinator_read = if_match(officer, url), if_match(coordinator, url)

    assert officer.patch(url, {"summary": "Officer's account."}, format="json", **officer_read).status_code == 200
    # The coordinator still holds the version from before the officer's change.
    stale = coordinator.patch(url, {"summary": "Coordinator's account."}, format="json", **coordinator_read)
    blind = coordinator.patch(url, {"summary": "Coordinator's account."}, format="json")
    star = coordinator.patch(url, {"summary": "Coordinator's account."}, format="json", HTTP_IF_MATCH="*")

    assert (stale.status_code, blind.status_code, star.status_code) == (412, 428, 428)
    assert "If-Match" in blind.json()["detail"]
    world.records.op_sjpd.refresh_from_db()
    assert world.records.op_sjpd.summary == "Officer's account."
    # Read again, then the change goes through.
    fresh = coordinator.patch(url, {"summary": "Coordinator's account."}, format="json", **if_match(coordinator, url))
    assert fresh.status_code == 200 and fresh.json()["summary"] == "Coordinator's account."


def test_a_list_of_etags_matches_when_one_is_current(world, api):
    url = f"/api/v1/people/{world.records.victim_sjpd.person.pk}/"
    client = api(world.users.officer_sjpd)
    current = if_match(client, url)["HTTP_IF_MATCH"]
    assert (
        client.patch(url, {"languages": "Tagalog"}, format="json", HTTP_IF_MATCH=f'"0000", {current}').status_code
        == 200
    )
    assert client.patch(url, {"languages": "Ilocano"}, format="json", HTTP_IF_MATCH='"0000", *').status_code == 428


@pytest.mark.parametrize("case", ALLOWED_WRITES, ids=lambda c: f"{c.route}-{c.method}-{c.persona}-{c.status}")
def test_every_write_to_a_record_without_if_match_is_428_and_changes_nothing(world, api, case):
    if case.given:
        case.given(world)
    client = api(getattr(world.users, case.persona))
    url, record = _urls(world, case)
    before = client.get(record)
    body = case.body(world) if callable(case.body) else case.body
    for headers in ({}, {"HTTP_IF_MATCH": "*"}, {"HTTP_IF_MATCH": " , "}):
        response = getattr(client, case.method)(url, body, format="json", **headers)
        assert response.status_code == 428, (headers, response.content)
        assert response["Content-Type"] == "application/json"
    after = client.get(record)
    assert after["ETag"] == before["ETag"]


def test_every_record_write_route_is_covered():
    from .test_api_access_matrix import _routes

    covered = {(case.route, case.method) for case in ALLOWED_WRITES}
    detail_writes = {
        (name, method) for name, methods in _routes().items() if not name.endswith("-list") for method in methods
    }
    read_only = {(case.route, case.method) for case in WRITES if case.status == 405}
    assert detail_writes - read_only <= covered, sorted(detail_writes - read_only - covered)
