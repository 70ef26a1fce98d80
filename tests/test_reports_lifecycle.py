"""The reports after the operation: investigations, suspects, prosecutions, convictions,
sentences and immigration relief (cases/reports/lifecycle.py), for every role.

The hand-built Riverbend cases fall in the second quarter of 2025, away from the persona
world's records (made in the last weeks), so each number below is worked out by hand:

- investigations (SJPD leads; BCPA is referred the first): one sex-trafficking opened in
  April and closed in June (cleared by arrest), one labour opened in April, one sex opened
  in January and closed in May (insufficient evidence), one voided, one opened in July;
- suspects: Avery in the first two (counted once), Blake in the first, Casey in the
  January one, Drew in the voided one; the victim Vale in the first;
- prosecutions: Avery's in April (a trafficking count pleaded guilty and another count
  convicted, both sentenced), Blake's in May (acquitted, dismissed), Casey's filed in
  March and convicted in May, Avery's second in June (pending), one voided;
- relief for Vale: two T-visa declarations asked in the quarter (one signed after 20 days,
  one declined after 30), a U-visa certification asked in June, Continued Presence asked
  in March and granted in April after 35 days, a voided request.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessLog
from cases import models as m
from cases import reports
from cases.reports import htrs
from cases.reports.lifecycle import lifecycle_tables
from cases.reports.summary import Period

from . import factories as f
from .test_reports_support import equations_ok, shown_small_counts

pytestmark = pytest.mark.django_db

Q2 = (2025, 2)
START, END = date(2025, 4, 1), date(2025, 6, 30)
LIFECYCLE = ("investigations", "investigations_closed", "prosecutions", "sentences", "relief")


def _void(record) -> None:
    type(record).objects.filter(pk=record.pk).update(voided_at=timezone.now(), void_reason="Entered twice.")


def build_riverbend(world) -> SimpleNamespace:
    a = world.agencies
    officer = world.users.officer_sjpd
    r = SimpleNamespace()

    def person(name, **extra):
        return f.PersonFactory(legal_name=f"{name} Invented", created_by_agency=a.sjpd, **extra)

    def investigation(kind, opened, closed=None, reason=""):
        status = "closed" if closed else "open"
        return f.InvestigationFactory(
            lead_agency=a.sjpd,
            trafficking_type=kind,
            opened_on=opened,
            status=status,
            closed_on=closed,
            closing_reason=reason,
        )

    r.avery, r.blake, r.casey, r.drew = (
        person(n, gender=m.Gender.MALE, estimated_age=40) for n in ("Avery", "Blake", "Casey", "Drew")
    )
    r.vale = person("Vale", citizenship=m.Citizenship.FOREIGN)
    r.inv1 = investigation("sex", date(2025, 4, 3), date(2025, 6, 10), m.ClosingReason.CLEARED_BY_ARREST)
    r.inv2 = investigation("labor", date(2025, 4, 20))
    r.inv3 = investigation("sex", date(2025, 1, 15), date(2025, 5, 5), m.ClosingReason.INSUFFICIENT_EVIDENCE)
    r.inv4 = investigation("sex", date(2025, 5, 1))
    r.inv5 = investigation("labor", date(2025, 7, 1))
    m.InvestigationAgency.objects.create(investigation=r.inv1, agency=a.prosecutor, role="prosecution")
    for inv, who, role in (
        (r.inv1, r.avery, "suspect"),
        (r.inv1, r.blake, "suspect"),
        (r.inv1, r.vale, "victim"),
        (r.inv2, r.avery, "suspect"),
        (r.inv3, r.casey, "suspect"),
        (r.inv4, r.drew, "suspect"),
    ):
        m.InvestigationPerson.objects.create(investigation=inv, person=who, role=role)
    r.arrest = f.DetentionFactory(
        contact=None,
        person=r.avery,
        agency=a.sjpd,
        investigation=r.inv1,
        detained_at=timezone.make_aware(datetime.combine(date(2025, 4, 10), time(22, 0))),
    )
    f.ChargeFactory(detention=r.arrest)
    f.ChargeFactory(detention=r.arrest, is_trafficking=False, statute="RSMo 567.030", description="Patronizing")

    def prosecution(inv, defendant, filed, agency=a.prosecutor):
        return f.ProsecutionFactory(investigation=inv, defendant=defendant, filed_on=filed, prosecuting_agency=agency)

    def count(pr, number, code, disposition="pending", on=None, **sentence):
        return f.CountFactory(
            prosecution=pr,
            number=number,
            statute=f.statute(code),
            disposition=disposition,
            disposition_on=on,
            **sentence,
        )

    r.pr1 = prosecution(r.inv1, r.avery, date(2025, 4, 15))
    r.pr1_1 = count(
        r.pr1, 1, "rsmo-566-209", "pleaded_guilty", date(2025, 6, 1), custody_months=120, restitution=Decimal("5000")
    )
    count(r.pr1, 2, "rsmo-567-030", "convicted", date(2025, 6, 1), custody_months=24, probation_months=36)
    r.pr2 = prosecution(r.inv1, r.blake, date(2025, 5, 10))
    count(r.pr2, 1, "rsmo-567-030", "acquitted", date(2025, 6, 20))
    count(r.pr2, 2, "rsmo-567-050", "dismissed", date(2025, 6, 20))
    r.pr3 = prosecution(r.inv3, r.casey, date(2025, 3, 1))
    count(r.pr3, 1, "rsmo-567-050", "convicted", date(2025, 5, 20), custody_months=60, restitution=Decimal("1000.50"))
    r.pr4 = prosecution(r.inv2, r.avery, date(2025, 6, 5), agency=a.usao)
    count(r.pr4, 1, "rsmo-567-030")
    r.pr5 = prosecution(r.inv2, r.drew, date(2025, 5, 1), agency=a.usao)
    count(r.pr5, 1, "rsmo-566-209", "convicted", date(2025, 6, 1), custody_months=12)
    _void(r.inv4)
    _void(r.pr5)

    def relief(kind, asked, asked_of=a.sjpd):
        return f.ReliefRequestFactory(
            person=r.vale,
            kind=kind,
            requested_by_agency=a.harbor,
            requested_of_agency=asked_of,
            investigation=r.inv1,
            consent_date=asked,
            requested_on=asked,
        )

    def decide(request, action, on, agency=a.sjpd):
        request.apply("review", officer, agency, on=request.requested_on)
        reason = "Cooperation with the investigation not shown." if action == "decline" else ""
        request.apply(action, officer, agency, on=on, reason=reason)

    decide(relief("t_visa", date(2025, 4, 2)), "grant", date(2025, 4, 22))
    decide(relief("t_visa", date(2025, 5, 1)), "decline", date(2025, 5, 31))
    relief("u_visa", date(2025, 6, 1))
    decide(relief("continued_presence", date(2025, 3, 1), asked_of=a.fbi), "grant", date(2025, 4, 5), a.fbi)
    _void(relief("t_visa", date(2025, 5, 5)))
    return r


@pytest.fixture
def riverbend(world):
    return build_riverbend(world)


def _measures(user, quarter=Q2):
    return reports.performance_measures(reports.report_scope(user), *quarter)


def _rows(report, key):
    return report.table(key).body()


# --- the numbers, by hand ---------------------------------------------------------------


def test_coordinator_measures_count_each_definition(world, riverbend):
    report = _measures(world.users.coordinator)
    assert _rows(report, "investigations") == [
        ["Sex trafficking", 1, 2],
        ["Labor trafficking", 1, 0],
        ["Sex and labor trafficking", 0, 0],
        ["Unknown", 0, 0],
        ["Total", 2, 2],
    ]
    assert _rows(report, "investigations_closed") == [
        ["Cleared by arrest", 1, 0, 0, 0, 1],
        ["Insufficient evidence", 1, 0, 0, 0, 1],
        ["Referred to another jurisdiction", 0, 0, 0, 0, 0],
        ["Other", 0, 0, 0, 0, 0],
        ["Total", 2, 0, 0, 0, 2],
    ]
    measures = report.table("prosecutions")
    # Avery is a suspect twice and counts once; Casey's investigation opened in January,
    # Drew's is void; the voided prosecution of Drew counts nowhere.
    assert {row.key: row.cells[0].value for row in measures.rows} == {
        "suspects": 2,
        "filed": 3,
        "charged": 2,
        "charged_trafficking": 1,
        "convicted": 2,
        "convicted_trafficking": 1,
    }
    assert _rows(report, "sentences") == [
        ["Trafficking offences", 1, 120, 120, 5000.0],
        ["Other offences", 2, 84, 42.0, 1000.5],
        ["Total", 3, 204, 60, 6000.5],
    ]
    assert _rows(report, "relief") == [
        ["Continued Presence", 0, 1, 0, 35],
        ["T-visa declaration (I-914 Supplement B)", 2, 1, 1, 25.0],
        ["U-visa certification (I-918 Supplement B)", 1, 0, 0, None],
        ["Total", 3, 2, 1, 30],
    ]
    # Nothing of it in the quarter before or after.
    q3 = _measures(world.users.coordinator, (2025, 3))
    assert q3.table("investigations").value("total", "opened") == 1
    assert q3.table("relief").value("total", "requested") == 0


def test_the_dashboard_counts_the_same_for_the_period_and_filters_by_agency(world, riverbend):
    scope = reports.report_scope(world.users.coordinator)
    dashboard = reports.summary_report(scope, START, END)
    measures = _measures(world.users.coordinator)
    for key in LIFECYCLE:
        assert dashboard.table(key).body() == measures.table(key).body(), key
    assert any(c.key == "investigations" for c in dashboard.charts)
    # The prosecutor's office: the investigation referred to it, the prosecutions it brings.
    bcpa = reports.summary_report(scope, START, END, world.agencies.prosecutor)
    assert bcpa.table("investigations").value("total", "opened") == 1
    assert bcpa.table("prosecutions").value("filed", "number") == 2
    kcpd = reports.summary_report(scope, START, END, world.agencies.kcpd)
    assert all(v in (0, None) for row in kcpd.table("prosecutions").body() for v in row[1:])
    assert kcpd.table("relief").value("total", "requested") == 0


def test_a_prosecutor_counts_the_investigations_referred_to_it_and_the_cases_it_brings(world, riverbend):
    report = _measures(world.users.prosecutor)
    assert _rows(report, "investigations")[-1] == ["Total", 1, 1]
    assert report.table("investigations_closed").value("cleared_by_arrest", "sex") == 1
    assert report.table("investigations_closed").grand_total.value == 1
    measures = {row.key: row.cells[0].value for row in report.table("prosecutions").rows}
    # Avery's second prosecution is the U.S. Attorney's, in an investigation BCPA was not referred.
    assert measures == {
        "suspects": 2,
        "filed": 2,
        "charged": 2,
        "charged_trafficking": 1,
        "convicted": 2,
        "convicted_trafficking": 1,
    }
    assert report.table("sentences").value("total", "sentenced") == 3
    assert report.table("relief").value("total", "requested") == 3


def test_officers_count_their_agency_only(world, riverbend):
    sjpd = _measures(world.users.officer_sjpd)
    coordinator = _measures(world.users.coordinator)
    for key in LIFECYCLE:
        assert sjpd.table(key).body() == coordinator.table(key).body(), key
    kcpd = _measures(world.users.officer_kcpd)
    assert kcpd.table("investigations").value("total", "opened") == 0
    assert kcpd.table("prosecutions").value("suspects", "number") == 0
    assert kcpd.table("sentences").value("total", "sentenced") == 0


def test_advocates_and_caseworkers_get_relief_but_no_investigation_or_prosecution_numbers(world, riverbend):
    advocate = _measures(world.users.advocate_harbor)
    assert not any(advocate.has(k) for k in LIFECYCLE[:-1])
    # Safe Harbor asked for every one of them.
    assert _rows(advocate, "relief") == _rows(_measures(world.users.coordinator), "relief")
    northland = _measures(world.users.advocate_northland)
    assert northland.table("relief").value("total", "requested") == 0
    caseworker = reports.summary_report(reports.report_scope(world.users.caseworker), START, END)
    assert not caseworker.has("investigations") and caseworker.table("relief").value("total", "granted") == 0


def test_voided_person_takes_its_records_out_of_the_counts(world, riverbend):
    _void(riverbend.casey)
    report = _measures(world.users.coordinator)
    # Casey's conviction and sentence go; the investigation itself stays.
    assert report.table("prosecutions").value("convicted", "number") == 1
    assert report.table("sentences").value("other", "sentenced") == 1
    assert report.table("investigations").value("total", "closed") == 2


def test_a_reopened_investigation_is_no_longer_closed(world, riverbend):
    m.Investigation.objects.filter(pk=riverbend.inv3.pk).update(status="open", closed_on=None, closing_reason="")
    report = _measures(world.users.coordinator)
    assert report.table("investigations").value("sex", "closed") == 1


# --- the analyst -------------------------------------------------------------------------


def test_analyst_reads_the_whole_task_force_with_small_counts_hidden(world, riverbend):
    scope = reports.report_scope(world.users.analyst)
    for report in (reports.performance_measures(scope, *Q2), reports.summary_report(scope, START, END)):
        assert all(report.has(k) for k in LIFECYCLE), report.kind
        assert shown_small_counts(report) == [], report.kind
        assert equations_ok(report) == [], report.kind
        # Fewer than five sentenced counts or decisions: no sum, no median.
        for key in ("sentences", "relief"):
            assert all(v is None for row in report.table(key).body() for v in row[-1:]), key
        assert report.table("sentences").value("total", "sentenced") == "<5"
        assert report.table("prosecutions").value("filed", "number") == "<5"
        assert report.table("investigations").value("total", "opened") == "<5"


def test_analyst_sees_a_median_of_five_decisions(world, riverbend):
    a = world.agencies
    for day in (3, 6, 9, 12, 15):
        request = f.ReliefRequestFactory(
            kind="u_visa",
            requested_by_agency=a.northland,
            requested_of_agency=a.kcpd,
            consent_date=date(2025, 4, 1),
            requested_on=date(2025, 4, 1),
        )
        request.apply("review", world.users.officer_kcpd, a.kcpd, on=date(2025, 4, 2))
        request.apply("grant", world.users.officer_kcpd, a.kcpd, on=date(2025, 4, 1 + day))
    report = _measures(world.users.analyst)
    assert report.table("relief").value("u_visa", "granted") == 5  # the June request is still open
    assert report.table("relief").value("u_visa", "median_days") == 9
    # The T-visa row has one grant and one decline: hidden counts, so no median.
    assert report.table("relief").value("t_visa", "median_days") is None


# --- every format, the page, the API -------------------------------------------------------


def test_new_parts_are_in_the_api_csv_xlsx_and_pdf(world, riverbend, client):
    client.force_login(world.users.coordinator)
    query = {"year": "2025", "quarter": "2"}
    data = client.get("/api/v1/reports/performance-measures/", query).json()
    tables = {t["key"]: t for t in data["tables"]}
    assert tables["sentences"]["totals"]["values"] == {
        "sentenced": 3,
        "custody_months": 204,
        "median_custody": 60,
        "restitution": 6000.5,
    }
    content = client.get("/reports/performance-measures/", {**query, "format": "csv"}).content.decode("utf-8-sig")
    assert "Sentences, trafficking offences apart" in content and "Total,3,204,60,6000.5" in content
    xlsx = client.get("/api/v1/reports/performance-measures/", {**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    html = client.get("/reports/performance-measures/", query).content.decode()
    assert "Immigration relief requested, granted and declined, by kind" in html
    page = client.get("/reports/", {"start": "2025-04-01", "end": "2025-06-30"}).content.decode()
    assert "Investigations opened and closed, by type of trafficking" in page


def test_the_pdf_has_the_new_parts(world, riverbend, client):
    pytest.importorskip("weasyprint")
    client.force_login(world.users.coordinator)
    response = client.get("/reports/performance-measures/", {"year": "2025", "quarter": "2", "format": "pdf"})
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


# --- the operation outcome names its investigations ----------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("coordinator", True),
        ("officer_sjpd", True),
        ("agent_fbi", True),
        ("analyst", False),
        ("advocate_harbor", False),
    ],
)
def test_operation_report_names_the_investigations_only_to_those_who_see_them(world, client, persona, shown):
    user = getattr(world.users, persona)
    operation = world.records.op_sjpd
    reference = world.records.investigation_sjpd.reference
    scope = reports.report_scope(user)
    report = reports.operation_report(scope, scope.operation(operation.pk))
    assert [i["reference"] for i in report.parameters["investigations"]] == ([reference] if shown else [])
    client.force_login(user)
    html = client.get(f"/reports/operations/{operation.pk}/").content.decode()
    assert (reference in html) is shown
    assert (reference in client.get(f"/api/v1/reports/operations/{operation.pk}/").content.decode()) is shown


# --- the HTRS export -------------------------------------------------------------------------


def _read(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _htrs(client, user, **query):
    client.force_login(user)
    response = client.get("/reports/htrs/", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return _read(response.content)


def test_htrs_export_reads_back_as_the_records(world, riverbend, client):
    rows = _htrs(client, world.users.coordinator, start="2025-04-01", end="2025-06-30")
    assert list(rows[0]) == htrs.HEADER
    by_type: dict[str, list[dict]] = {}
    for row in rows:
        by_type.setdefault(row["record_type"], []).append(row)
    r = riverbend
    # Opened in the quarter and not void: the first two investigations.
    incidents = {row["incident_number"]: row for row in by_type["incident"]}
    assert set(incidents) == {r.inv1.reference, r.inv2.reference}
    first = incidents[r.inv1.reference]
    assert (first["date_opened"], first["date_closed"], first["closing_reason"]) == (
        "2025-04-03",
        "2025-06-10",
        "Cleared by arrest",
    )
    assert (first["trafficking_type"], first["lead_agency"], first["lead_agency_level"]) == (
        "Sex trafficking",
        "St. Joseph Police Department",
        "Local",
    )
    assert (first["agencies_involved"], first["suspects"], first["victims"]) == ("2", "2", "1")
    assert incidents[r.inv2.reference]["suspects"] == "1"
    suspects = sorted((row["incident_number"], row["person_number"]) for row in by_type["suspect"])
    assert suspects == sorted(
        [
            (r.inv1.reference, r.avery.reference),
            (r.inv1.reference, r.blake.reference),
            (r.inv2.reference, r.avery.reference),
        ]
    )
    assert {row["sex"] for row in by_type["suspect"]} == {"Male"} and by_type["suspect"][0]["age_at_incident"] == "40"
    (victim,) = by_type["victim"]
    assert victim["person_number"] == r.vale.reference
    assert victim["citizenship"] == "Foreign national"
    assert victim["immigration_relief"].count("T-visa declaration") == 2  # the voided one is left out
    assert "Continued Presence: Signed or granted" in victim["immigration_relief"]
    (arrest,) = by_type["arrest"]
    assert (arrest["arrest_date"], arrest["charges_at_arrest"], arrest["trafficking_charges_at_arrest"]) == (
        "2025-04-10",
        "2",
        "1",
    )
    prosecutions = {row["case_number"]: row for row in by_type["prosecution"]}
    # The voided prosecution of the second investigation is left out.
    assert set(prosecutions) == {r.pr1.reference, r.pr2.reference, r.pr4.reference}
    assert prosecutions[r.pr1.reference]["filing_date"] == "2025-04-15"
    assert prosecutions[r.pr4.reference]["prosecuting_agency"] == world.agencies.usao.name
    counts = {(row["case_number"], row["count_number"]): row for row in by_type["count"]}
    assert len(counts) == 5
    guilty = counts[(r.pr1.reference, "1")]
    assert (guilty["statute"], guilty["trafficking_offence"], guilty["disposition"]) == (
        "RSMo 566.209",
        "yes",
        "Pleaded guilty",
    )
    assert (guilty["custody_months"], guilty["restitution"], guilty["probation_months"]) == ("120", "5000.00", "")
    # Names never leave: people are their record's reference.
    text = "\n".join(",".join(row.values()) for row in rows)
    assert "Invented" not in text


def test_htrs_export_of_an_officer_or_prosecutor_has_only_its_investigations(world, riverbend, client):
    kcpd = _htrs(client, world.users.officer_kcpd)
    assert {row["incident_number"] for row in kcpd} == {world.records.investigation_kcpd.reference}
    assert _htrs(client, world.users.officer_kcpd, start="2025-04-01", end="2025-06-30") == []
    sjpd = _htrs(client, world.users.officer_sjpd)
    assert {row["incident_number"] for row in sjpd} == {world.records.investigation_sjpd.reference}
    prosecutor = _htrs(client, world.users.prosecutor, start="2025-04-01", end="2025-06-30")
    assert {row["incident_number"] for row in prosecutor} == {riverbend.inv1.reference}
    # Its cases in the investigation: both prosecutions, and no prosecution of another investigation.
    assert {row["case_number"] for row in prosecutor if row["record_type"] == "prosecution"} == {
        riverbend.pr1.reference,
        riverbend.pr2.reference,
    }


def test_htrs_api_gives_the_same_rows_and_every_download_is_logged(world, riverbend, client):
    client.force_login(world.users.officer_sjpd)
    query = {"start": "2025-04-01", "end": "2025-06-30"}
    before = AccessLog.objects.filter(action="export").count()
    data = client.get("/api/v1/reports/htrs/", query).json()
    assert data["columns"] == htrs.HEADER
    as_csv = _read(client.get("/api/v1/reports/htrs/", {**query, "format": "csv"}).content)
    web = _read(client.get("/reports/htrs/", query).content)
    assert as_csv == web
    assert [{k: "" if v is None else str(v) for k, v in row.items()} for row in data["rows"]] == as_csv
    logged = AccessLog.objects.filter(action="export").order_by("-id")[:3]
    assert AccessLog.objects.filter(action="export").count() == before + 3
    assert all("report:htrs:" in row.detail and f"{len(web)} rows" in row.detail for row in logged)
    assert all(row.user_id == world.users.officer_sjpd.pk for row in logged)


def test_htrs_refuses_a_bad_period(world, client):
    client.force_login(world.users.coordinator)
    response = client.get("/reports/htrs/", {"start": "2025-06-30", "end": "2025-04-01"})
    assert response.status_code == 400 and "end of the period" in response.content.decode()
    assert client.get("/api/v1/reports/htrs/", {"start": "nonsense"}).status_code == 400


API_READERS = {"coordinator", "supervisor_sjpd", "officer_sjpd", "officer_kcpd", "agent_fbi", "prosecutor"}


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator",
        "supervisor_sjpd",
        "officer_sjpd",
        "officer_kcpd",
        "agent_fbi",
        "prosecutor",
        "advocate_harbor",
        "advocate_northland",
        "caseworker",
        "analyst",
        "tf_auditor",
        "auditor_sjpd",
        "sysadmin",
    ],
)
def test_htrs_api_access_for_every_persona(world, client, persona):
    client.force_login(getattr(world.users, persona))
    for fmt in ("json", "csv", "xlsx"):
        response = client.get("/api/v1/reports/htrs/", {"format": fmt})
        assert response.status_code == (200 if persona in API_READERS else 403), (persona, fmt)
    html = client.get("/reports/").content.decode()
    if client.get("/reports/").status_code == 200:
        assert ("/reports/htrs/?start=" in html) is (persona in API_READERS), persona


def test_htrs_api_is_closed_to_the_signed_out(world, client):
    assert client.get("/api/v1/reports/htrs/").status_code in (401, 403)
    assert client.get("/reports/htrs/").status_code == 302


# --- query counts ------------------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["coordinator", "analyst", "prosecutor"])
def test_query_counts_do_not_grow_with_the_cases(world, riverbend, persona):
    user = getattr(world.users, persona)
    scope = reports.report_scope(user)
    runs = {
        "measures": lambda: reports.performance_measures(scope, *Q2),
        "summary": lambda: reports.summary_report(scope, START, END),
        "lifecycle": lambda: lifecycle_tables(scope, Period(START, END)),
    }
    if persona != "analyst":
        runs["htrs"] = lambda: htrs.htrs_rows(scope, START, END, "Task force")
    before = {name: _queries(run) for name, run in runs.items()}
    assert before["lifecycle"] <= 8
    build_riverbend(world)
    assert {name: _queries(run) for name, run in runs.items()} == before
    if persona == "coordinator":
        assert before["htrs"] <= 7
        assert len(htrs.htrs_rows(scope, START, END, "Task force")) == 2 * 15
