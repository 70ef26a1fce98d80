"""Kept reports (cases/reports/snapshots.py): the same answers as computing them, shared only by
users the access policy says count the same records, recomputed by a job and by refresh_reports."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import Role
from cases import reports
from cases.models import Contact
from cases.reports import snapshots
from cases.views import reports as report_views

from . import factories as f
from .test_reports_support import build_lantern

pytestmark = pytest.mark.django_db

REPORT_READERS = (
    "coordinator",
    "supervisor_sjpd",
    "officer_sjpd",
    "officer_kcpd",
    "agent_fbi",
    "advocate_harbor",
    "advocate_northland",
    "caseworker",
    "prosecutor",
    "analyst",
)
MARCH = (date(2025, 3, 1), date(2025, 3, 31))
SIX_YEARS = (date(2020, 1, 1), date(2025, 12, 31))


@pytest.fixture
def keeping(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"}}
    settings.REPORT_MAX_AGE_SECONDS = 900
    settings.REPORT_FRESH_SECONDS = 120
    from django.core.cache import cache

    cache.clear()
    return settings


@pytest.fixture
def lantern(world):
    return build_lantern(world)


def _answer(report) -> dict:
    data = report.as_dict()
    data.pop("generated_at")
    return data


def _kept_and_computed(user, kind, params):
    scope = reports.report_scope(user)
    first = snapshots.kept(scope, kind, params)
    again = snapshots.kept(reports.report_scope(user), kind, params)
    return first, again, snapshots.compute(scope, kind, params)


@pytest.mark.parametrize("persona", REPORT_READERS)
def test_kept_reports_give_the_computed_answer_for_every_role(world, lantern, keeping, persona):
    user = getattr(world.users, persona)
    cases = [
        ("summary", snapshots.summary_params(*MARCH)),
        ("summary", snapshots.summary_params(*SIX_YEARS)),
        ("summary", snapshots.summary_params(*MARCH, lantern.operation.lead_agency)),
        ("measures", {"year": 2025, "quarter": 1}),
        ("measures", {"year": 2025, "quarter": None}),
    ]
    if reports.report_scope(user).records(type(lantern.operation)).filter(pk=lantern.operation.pk).exists():
        cases.append(("operation", {"operation": lantern.operation.pk}))
    for kind, params in cases:
        first, again, computed = _kept_and_computed(user, kind, params)
        assert again.generated_at == first.generated_at, (kind, params)  # the second read is the kept one
        assert _answer(again) == _answer(computed), (kind, params)


def test_users_of_another_scope_never_get_a_kept_report(world, lantern, keeping):
    keys = {reports.report_scope(getattr(world.users, p)).key for p in REPORT_READERS}
    assert len(keys) == len(REPORT_READERS)  # every persona here counts a different set (or role)
    params = snapshots.summary_params(*MARCH)
    for persona in REPORT_READERS:  # each reads after all the others have kept theirs
        user = getattr(world.users, persona)
        scope = reports.report_scope(user)
        assert _answer(snapshots.kept(scope, "summary", params)) == _answer(
            snapshots.compute(scope, "summary", params)
        ), persona


def test_two_officers_of_one_agency_share_the_kept_report(world, lantern, keeping):
    colleague = f.MembershipFactory(agency=world.agencies.sjpd, role=Role.OFFICER).user
    officer = world.users.officer_sjpd
    assert reports.report_scope(colleague).key == reports.report_scope(officer).key
    first = snapshots.summary(reports.report_scope(officer), *MARCH)
    shared = snapshots.summary(reports.report_scope(colleague), *MARCH)
    assert shared.generated_at == first.generated_at


def test_a_stale_kept_report_is_recomputed_by_the_job(world, lantern, keeping):
    keeping.REPORT_FRESH_SECONDS = 0  # every kept report is due for its recomputation
    scope = reports.report_scope(world.users.coordinator)
    before = snapshots.measures(scope, 2025, 1)
    contact = Contact.objects.filter(operation=lantern.operation, voided_at__isnull=True).first()
    contact.mark_voided(world.users.coordinator, "Entered twice.")
    # Shown as kept (with its age) while the job recomputes it: the test's queue runs it at once.
    assert snapshots.measures(scope, 2025, 1).generated_at == before.generated_at
    after = snapshots.measures(scope, 2025, 1)
    assert after.generated_at > before.generated_at
    assert _answer(after) == _answer(snapshots.compute(scope, "measures", {"year": 2025, "quarter": 1}))
    assert _answer(after) != _answer(before)


def test_refresh_reports_recomputes_and_forgets_readers_who_lost_the_scope(world, lantern, keeping, capsys):
    officer = world.users.officer_kcpd
    scope = reports.report_scope(officer)
    kept = snapshots.summary(scope, *MARCH)
    call_command("refresh_reports", "--warm")
    assert "1 report(s) recomputed, 3 computed for the task force" in capsys.readouterr().out
    assert snapshots.summary(scope, *MARCH).generated_at > kept.generated_at
    officer.memberships.update(active=False)
    call_command("refresh_reports")
    assert "forgotten" in capsys.readouterr().out
    from django.core.cache import cache

    assert not any(":officer:officer:" in key for key in cache.get(snapshots.INDEX))


def test_reports_are_not_kept_unless_configured(world, lantern, settings):
    settings.REPORT_MAX_AGE_SECONDS = 0
    scope = reports.report_scope(world.users.coordinator)
    assert snapshots.summary(scope, *MARCH).generated_at < snapshots.summary(scope, *MARCH).generated_at


def test_dashboard_pages_its_long_tables_and_shows_the_age(world, lantern, keeping, client, monkeypatch):
    monkeypatch.setattr(report_views, "ROWS_PER_PAGE", 2)
    client.force_login(world.users.coordinator)
    query = {"start": "2025-03-01", "end": "2025-03-31"}
    whole = client.get("/api/v1/reports/summary/", query).json()
    agencies = next(t for t in whole["tables"] if t["key"] == "activity_by_agency")["rows"]
    assert len(agencies) > 2

    def agency_rows(html: str) -> list[str]:
        table = html.split('data-table="activity_by_agency"')[1].split("</table>")[0]
        return [row.split('"')[1] for row in table.split("<tr data-row=")[1:]]

    html = client.get("/reports/", query).content.decode()
    assert agency_rows(html) == [r["key"] for r in agencies[:2]]
    assert "the downloads have every row" in html
    assert "data-report-age" in html and "Figures as of" in html
    after_table = html.split('data-table="activity_by_agency"')[1]
    following = (
        after_table.split('data-table-page="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    )
    assert "activity_by_agency-page=2" in following and "start=2025-03-01" in following
    second = client.get("/reports/" + following.split("#")[0]).content.decode()
    assert agency_rows(second) == [r["key"] for r in agencies[2:4]]
    # The months of the period (one here) are not paged; other long tables are, each on its own.
    assert "operations_by_month-page" not in html
    assert "people_by_role-page=2" in html


def test_a_kept_dashboard_reads_few_queries(world, lantern, keeping, client, django_assert_max_num_queries):
    client.force_login(world.users.officer_sjpd)
    client.get("/reports/", {"start": "2025-03-01", "end": "2025-03-31"})
    # Session, user, membership, the agency choices of the form, the cache (locmem here: none).
    with django_assert_max_num_queries(8):
        client.get("/reports/", {"start": "2025-03-01", "end": "2025-03-31"})


def test_a_kept_report_is_read_without_reading_the_index_each_time(world, lantern, keeping, monkeypatch):
    """The index of every kept report is read once an hour per report, not on every view."""
    from django.core.cache import caches

    cache = caches["default"]
    scope = reports.report_scope(world.users.coordinator)
    params = snapshots.summary_params(*MARCH)
    snapshots.kept(scope, "summary", params)
    reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a, **kw: reads.append(key) or real_get(key, *a, **kw))
    for _ in range(3):
        snapshots.kept(reports.report_scope(world.users.coordinator), "summary", params)
    assert snapshots.INDEX not in reads
    assert len(reads) == 3  # the kept report itself, once a view
    assert snapshots._key("summary", scope.key, params) in (cache.get(snapshots.INDEX) or {})


def test_a_report_kept_by_an_older_release_as_an_object_is_computed_again(world, lantern, keeping):
    from django.core.cache import cache

    scope = reports.report_scope(world.users.coordinator)
    params = snapshots.summary_params(*MARCH)
    key = snapshots._key("summary", scope.key, params)
    cache.set(key, "not a kept report's bytes")
    report = snapshots.kept(scope, "summary", params)
    assert _answer(report) == _answer(snapshots.compute(scope, "summary", params))
    assert isinstance(cache.get(key), bytes)
