"""Report numbers on a hand-built operation (tests/test_reports_support.py), for every role.

The same numbers must come out of cases.reports, the API, the page, the CSV and the XLSX.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import reports
from cases.reports.summary import quarter_dates

from .test_reports_support import (
    build_lantern,
    equations_ok,
    normalise,
    shown_small_counts,
    tables_from_api,
    tables_from_csv,
    tables_from_page,
    tables_from_xlsx,
)

# No module-wide database mark: the tests of the suppression arithmetic need no database, and
# the others take it with the persona world, built once for the module (tests/conftest.py).

MARCH = {"start": "2025-03-01", "end": "2025-03-31"}


@pytest.fixture
def lantern(world):
    return build_lantern(world)


def _rows(report, key):
    return report.table(key).body()


def _op_report(user, operation):
    scope = reports.report_scope(user)
    return reports.operation_report(scope, scope.operation(operation.pk))


# --- the operation outcome summary ------------------------------------------------


def test_operation_outcome_counts_for_the_coordinator(world, lantern):
    report = _op_report(world.users.coordinator, lantern.operation)
    # contacted, offered services, accepted one, detained, cited, arrested, protective custody
    assert _rows(report, "outcomes") == [
        ["Adult men", 6, 0, 0, 6, 4, 2, 0],
        ["Adult women", 7, 7, 5, 0, 0, 0, 0],
        ["Adults, other or unrecorded gender", 0, 0, 0, 0, 0, 0, 0],
        ["Boys under 18", 1, 0, 0, 0, 0, 0, 1],
        ["Girls under 18", 2, 0, 0, 0, 0, 0, 2],
        ["Children, other or unrecorded gender", 0, 0, 0, 0, 0, 0, 0],
        ["Age not known", 0, 0, 0, 0, 0, 0, 0],
    ]
    assert _rows(report, "agencies") == [
        ["Lead", 1],
        ["Support", 1],
        ["Victim services", 1],
        ["Child welfare", 1],
        ["Total", 4],
    ]
    assert _rows(report, "people_by_role") == [
        ["Potential victim", 5],
        ["Confirmed victim", 2],
        ["Suspected trafficker", 0],
        ["Buyer", 6],
        ["Witness", 0],
        ["Accompanying child", 3],
        ["Total", 16],
    ]
    assert report.table("potential_victims").value("adult", "female") == 5
    # The three children in protective custody are potential victims too (cases/reports/counting.py).
    assert report.table("potential_victims").grand_total.value == 8
    assert _rows(report, "rescued")[-1] == ["Total", 10]
    assert report.table("confirmed_victims").value("adult", "female") == 2
    assert report.table("confirmed_victims").grand_total.value == 2
    assert _rows(report, "services") == [["Food", 7, 5, 71.4], ["Lodging or shelter", 3, 2, 66.7]]
    harbor, northland = str(world.agencies.harbor.pk), str(world.agencies.northland.pk)
    referrals = report.table("referrals")
    assert referrals.value(harbor, "sent") == 2 and referrals.value(harbor, "acknowledged") == 1
    assert referrals.value(northland, "in_service") == 1
    assert referrals.grand_total.value == 4
    assert _rows(report, "custody") == [["Missouri Children's Division", 3, 0, 0, 3], ["Total", 3, 0, 0, 3]]
    assert _rows(report, "enforcement") == [
        ["Federal Bureau of Investigation", 2, 0, 2, 3, 2, 1],
        ["St. Joseph Police Department", 4, 4, 0, 4, 0, 4],
        ["Total", 6, 4, 2, 7, 2, 5],
    ]


def test_operation_paragraph_reads_like_a_press_release(world, lantern):
    report = _op_report(world.users.coordinator, lantern.operation)
    assert report.paragraph == (
        "Four agencies took part in Operation Lantern, led by the St. Joseph Police Department. "
        "Ten people were rescued: seven adult women, two children and one infant. "
        "Seven adult women were offered food, and three of them lodging or shelter. "
        "Five of them accepted at least one service. "
        "Three children under five were placed in protective custody with the Missouri Children's Division. "
        "Six adult men were detained: four cited and two arrested; seven charges were brought, "
        "two of them for human trafficking. "
        "Four referrals were sent to two partner agencies."
    )


def test_voided_records_are_not_counted(world, lantern):
    from cases import actions

    report = _op_report(world.users.coordinator, lantern.operation)
    assert report.table("outcomes").value("adult_female", "contacted") == 7  # the eighth was voided
    actions.void_record(world.users.coordinator, lantern.men[0], "Recorded in the wrong operation.")
    report = _op_report(world.users.coordinator, lantern.operation)
    assert report.table("outcomes").value("adult_male", "contacted") == 5
    # The detention and its two charges hang off the voided contact: gone too.
    assert report.table("enforcement").value("total", "charges") == 5


def test_officer_of_another_agency_gets_404_on_the_operation_report(world, lantern, client):
    client.force_login(world.users.officer_kcpd)
    assert client.get(f"/api/v1/reports/operations/{lantern.operation.pk}/").status_code == 404
    assert client.get(f"/reports/operations/{lantern.operation.pk}/").status_code == 404
    assert client.get(f"/reports/operations/{lantern.operation.pk}/?format=csv").status_code == 404
    assert client.get("/api/v1/reports/operations/999999/").status_code == 404


def test_auditors_get_403_on_every_report(world, lantern, client):
    client.force_login(world.users.tf_auditor)
    for url in (
        f"/api/v1/reports/operations/{lantern.operation.pk}/",
        "/api/v1/reports/summary/",
        "/api/v1/reports/performance-measures/",
        f"/reports/operations/{lantern.operation.pk}/",
        "/reports/",
        "/reports/performance-measures/",
        "/reports/?format=csv",
    ):
        assert client.get(url).status_code == 403, url


def test_advocate_report_has_no_detentions(world, lantern, client):
    report = _op_report(world.users.advocate_harbor, lantern.operation)
    assert not report.has("enforcement")
    # Who was contacted is not the advocate's to see: no column of zeros beside the offers.
    assert [c.key for c in report.table("outcomes").columns] == ["offered", "accepted"]
    assert "detain" not in report.paragraph and "arrest" not in report.paragraph and "charge" not in report.paragraph
    # Safe Harbor sees the offers it made and the referrals sent to it, nothing else.
    assert _rows(report, "services") == [["Food", 7, 5, 71.4], ["Lodging or shelter", 3, 2, 66.7]]
    assert report.table("referrals").grand_total.value == 3
    client.force_login(world.users.advocate_harbor)
    data = client.get(f"/api/v1/reports/operations/{lantern.operation.pk}/").json()
    assert "Detentions, citations, arrests and charges, by agency" not in [t["title"] for t in data["tables"]]
    summary = client.get("/api/v1/reports/summary/", MARCH).json()
    assert not [t for t in summary["tables"] if t["key"] == "enforcement"]


def test_officer_sees_exact_counts_within_scope(world, lantern):
    # The FBI takes part in Lantern: it sees the whole operation, exact.
    report = _op_report(world.users.agent_fbi, lantern.operation)
    assert not report.suppressed
    assert report.table("enforcement").value("total", "arrests") == 2
    assert report.table("people_by_role").value("total", "people") == 16


# --- suppression for analysts -------------------------------------------------------


def test_analyst_sees_the_operation_with_small_counts_suppressed(world, lantern):
    report = _op_report(world.users.analyst, lantern.operation)
    assert report.suppressed
    assert shown_small_counts(report) == []
    assert equations_ok(report) == []
    outcomes = report.table("outcomes")
    assert outcomes.value("adult_male", "contacted") == 6
    assert outcomes.value("adult_male", "arrested") == "<5"
    assert outcomes.value("minor_male", "custody") == "<5"
    assert report.table("custody").value("total", "under_5") == "<5"
    # Enforcement: SJPD's 4 detentions, FBI's 2 are small; the total 6 stays but two cells are hidden.
    enforcement = report.table("enforcement")
    assert enforcement.value("total", "detentions") == 6
    assert "Six adult men were detained: fewer than five cited and fewer than five arrested;" in report.paragraph
    assert "of of" not in report.paragraph
    assert "fewer than five children under five" in report.paragraph.lower()
    # The paragraph never gives a number of people or records the tables hide (the
    # number of partner agencies is the number of rows of the referrals table).
    text = " " + report.paragraph.lower().replace("two partner agencies", "")
    for word in ("one ", "two ", "three ", "four "):
        assert f" {word}" not in text


def test_complementary_suppression_hides_a_second_cell_when_a_total_is_shown():
    from cases.reports.tables import Column, Table, suppress

    table = Table("t", "T", "Row", [Column("a", "A"), Column("b", "B")], row_totals=True, column_totals=True)
    table.add("x", "X", [3, 10])
    table.add("y", "Y", [7, 8])
    table.finish()
    suppress([table])
    shown = table.body()
    # 3 is small; its row and column totals would give it away, so 10 and 7 are hidden,
    # then 8 (10's column would give 10 away). Totals stay.
    assert shown == [["X", "<5", "hidden", 13], ["Y", "hidden", "hidden", 15], ["Total", 10, 18, 28]]


def test_a_total_made_of_one_small_count_is_hidden_too():
    from cases.reports.tables import Column, Table, suppress

    table = Table("t", "T", "Row", [Column("n", "N")], column_totals=True)
    for key, value in (("a", 2), ("b", 0), ("c", 0)):
        table.add(key, key, [value])
    table.finish()
    suppress([table])
    assert table.body() == [["a", "<5"], ["b", 0], ["c", 0], ["Total", "<5"]]


def test_complementary_suppression_links_tables_that_add_up_to_the_same_people():
    from cases.reports.tables import Column, Table, suppress

    by_gender = Table("g", "By gender", "Gender", [Column("n", "People")])  # no total shown
    by_gender.add("f", "Female", [20])
    by_gender.add("m", "Male", [2])
    by_age = Table("a", "By age", "Age", [Column("n", "People")], column_totals=True)  # the same 22 people
    by_age.add("adult", "Adults", [22])
    by_age.add("minor", "Minors", [0])
    for t in (by_gender, by_age):
        t.finish()
    suppress([by_gender, by_age])
    # Alone, the gender table would only hide the 2; but the age table's total says there
    # are 22 people, and 22 − 20 = 2. So the 20 is hidden too.
    assert by_gender.body() == [["Female", "hidden"], ["Male", "<5"]]
    assert by_age.body() == [["Adults", 22], ["Minors", 0], ["Total", 22]]


def test_analyst_suppression_on_the_dashboard_and_grant_measures(world, lantern):
    scope = reports.report_scope(world.users.analyst)
    for report in (
        reports.summary_report(scope, date(2025, 3, 1), date(2025, 3, 31)),
        reports.performance_measures(scope, 2025, 1),
    ):
        assert shown_small_counts(report) == [], report.kind
        assert equations_ok(report) == [], report.kind
        # Charts draw hidden cells as gaps, never as numbers.
        for chart in report.charts:
            table = report.table(chart.table)
            for dataset in chart.datasets:
                column = next(i for i, c in enumerate(table.columns) if c.label == dataset["label"])
                for value, row in zip(dataset["data"], table.rows):
                    assert (value is None) == row.cells[column].is_hidden or row.cells[column].derived
    summary = reports.summary_report(scope, date(2025, 3, 1), date(2025, 3, 31))
    # Medians of fewer than five records are withheld from analysts.
    assert all(row[3] is None for row in summary.table("acknowledgement").body())
    assert summary.table("people_by_role").value("buyer", "people") == 6


def test_analyst_api_and_downloads_are_suppressed(world, lantern, client):
    client.force_login(world.users.analyst)
    data = client.get(f"/api/v1/reports/operations/{lantern.operation.pk}/").json()
    assert data["suppressed"] is True
    values = [
        v
        for t in data["tables"]
        for r in t["rows"] + ([t["totals"]] if t["totals"] else [])
        for v in list(r["values"].values()) + [r.get("total")]
    ]
    assert not [v for v in values if isinstance(v, int) and 1 <= v <= 4]
    content = client.get(f"/api/v1/reports/operations/{lantern.operation.pk}/?format=csv").content.decode("utf-8-sig")
    assert "<5" in content
    page = client.get(f"/reports/operations/{lantern.operation.pk}/").content.decode()
    assert "&lt;5" in page and "Small counts are hidden" in page


# --- the dashboard and the grant measures -------------------------------------------


def test_dashboard_counts_for_the_coordinator(world, lantern):
    scope = reports.report_scope(world.users.coordinator)
    report = reports.summary_report(scope, date(2025, 3, 1), date(2025, 3, 31))
    assert _rows(report, "operations_by_month") == [["March 2025", 1, 0, 0, 0, 1], ["Total", 1, 0, 0, 0, 1]]
    assert report.table("people_by_role").value("total", "people") == 16
    # The three children taken into protective custody are minor potential victims.
    assert _rows(report, "victims_by_type")[0] == ["Sex trafficking", 8, 2, 10]
    assert _rows(report, "victims_by_age") == [
        ["Adults", 5, 2, 7],
        ["Minors (under 18)", 3, 0, 3],
        ["Age not known", 0, 0, 0],
        ["Total", 8, 2, 10],
    ]
    assert report.table("victims_by_gender").value("female", "confirmed") == 2
    assert report.table("victims_by_citizenship").value("unknown", "potential") == 8
    assert _rows(report, "services") == [["Food", 7, 5, 0, 71.4], ["Lodging or shelter", 3, 2, 0, 66.7]]
    assert _rows(report, "referral_funnel") == [
        ["Sent", 4, 100.0],
        ["Acknowledged", 2, 50.0],
        ["Accepted", 1, 25.0],
        ["In service", 1, 25.0],
        ["Closed", 0, 0.0],
        ["Declined (left the funnel)", 0, 0.0],
        ["Revoked (left the funnel)", 0, 0.0],
    ]
    assert _rows(report, "acknowledgement") == [
        ["Northland Survivor Services", 1, 1, 6.0],
        ["Safe Harbor Advocates", 3, 1, 2.0],
    ]
    assert _rows(report, "custody_times") == [["Missouri Children's Division", 3, 3, 2.0]]
    assert _rows(report, "enforcement")[-1] == ["Total", 6, 4, 2, 7, 2, 5]
    activity = report.table("activity_by_agency")
    sjpd, harbor = str(world.agencies.sjpd.pk), str(world.agencies.harbor.pk)
    assert [activity.value(sjpd, k) for k in ("operations", "contacts", "offers", "referrals", "custody")] == [
        1,
        16,
        0,
        4,
        3,
    ]
    assert activity.value(harbor, "offers") == 10


def test_dashboard_agency_filter_and_period(world, lantern):
    scope = reports.report_scope(world.users.coordinator)
    kcpd = reports.summary_report(scope, date(2025, 3, 1), date(2025, 3, 31), world.agencies.kcpd)
    assert kcpd.table("people_by_role").value("total", "people") == 0
    april = reports.summary_report(scope, date(2025, 4, 1), date(2025, 4, 30))
    assert april.table("enforcement").rows == []
    fbi = reports.summary_report(scope, date(2025, 3, 1), date(2025, 3, 31), world.agencies.fbi)
    # The FBI took part in Lantern: its records and the operation's.
    assert fbi.table("people_by_role").value("total", "people") == 16


def test_grant_performance_measures(world, lantern):
    scope = reports.report_scope(world.users.coordinator)
    report = reports.performance_measures(scope, 2025, 1)
    assert report.table("victims_by_age").value("adult", "potential") == 5
    # The girls aged 1 and 3 and the boy aged 4 taken into protective custody: minor potential victims.
    assert [report.table("victims_by_age").value(age, "potential") for age in ("infant", "child", "teen")] == [1, 2, 0]
    assert report.table("victims_by_age").value("total", "confirmed") == 2
    assert _rows(report, "referral_sources")[1] == ["Law enforcement", 4]
    assert _rows(report, "charges_by_class") == [
        ["Felony", 2, 1, 3],
        ["Misdemeanor", 0, 4, 4],
        ["Infraction", 0, 0, 0],
        ["Federal offense", 0, 0, 0],
        ["Total", 2, 5, 7],
    ]
    assert reports.performance_measures(scope, 2025, 2).table("charges_by_class").grand_total.value == 0
    year = reports.performance_measures(scope, 2025)
    assert year.table("services").value(str(lantern.food.pk), "offered") == 7


def test_quarters():
    assert quarter_dates(2025, 1) == (date(2025, 1, 1), date(2025, 3, 31))
    assert quarter_dates(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))
    assert quarter_dates(2025, None) == (date(2025, 1, 1), date(2025, 12, 31))


def test_bad_report_parameters_answer_400(world, client):
    client.force_login(world.users.coordinator)
    for query in (
        {"start": "2025-13-01"},
        {"start": "2025-03-31", "end": "2025-03-01"},
        {"start": "1990-01-01", "end": "2025-01-01"},
        {"agency": "abc"},
        {"agency": "999999"},
    ):
        response = client.get("/api/v1/reports/summary/", query)
        assert response.status_code == 400, query
        assert response.json()
    for query in ({"quarter": "5"}, {"year": "twenty"}):
        assert client.get("/api/v1/reports/performance-measures/", query).status_code == 400
    assert client.get("/api/v1/reports/summary/", {"format": "pdf"}).json() == {"format": ["Choose json, csv or xlsx."]}
    # Asked for as a file, an error still comes back as JSON.
    for fmt in ("csv", "xlsx"):
        response = client.get("/api/v1/reports/summary/", {"start": "nonsense", "format": fmt})
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
        assert "start" in response.json()
        response = client.get("/api/v1/reports/operations/999999/", {"format": fmt})
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert client.get("/reports/", {"start": "2025-03-31", "end": "2025-03-01"}).status_code == 200


# --- one report, every format ---------------------------------------------------------


def _every_format(client, api_url, page_url, query=None):
    query = query or {}
    data = client.get(api_url, query).json()
    titles = [t["title"] for t in data["tables"]]
    by_key = {t["key"]: t["title"] for t in data["tables"]}
    api = normalise(tables_from_api(data))
    csv_tables = normalise(tables_from_csv(client.get(api_url, {**query, "format": "csv"}).content, titles))
    xlsx = normalise(tables_from_xlsx(client.get(api_url, {**query, "format": "xlsx"}).content))
    page_csv = normalise(tables_from_csv(client.get(page_url, {**query, "format": "csv"}).content, titles))
    page = normalise(tables_from_page(client.get(page_url, query).content.decode(), by_key))
    return api, csv_tables, xlsx, page_csv, page


@pytest.mark.parametrize("persona", ["coordinator", "analyst", "officer_sjpd", "advocate_harbor"])
def test_same_numbers_in_api_csv_xlsx_and_page(world, lantern, client, persona):
    client.force_login(getattr(world.users, persona))
    for api_url, page_url, query in (
        (f"/api/v1/reports/operations/{lantern.operation.pk}/", f"/reports/operations/{lantern.operation.pk}/", {}),
        ("/api/v1/reports/summary/", "/reports/", MARCH),
        ("/api/v1/reports/performance-measures/", "/reports/performance-measures/", {"year": "2025", "quarter": "1"}),
    ):
        api, csv_tables, xlsx, page_csv, page = _every_format(client, api_url, page_url, query)
        assert api, api_url
        assert csv_tables == api, api_url
        assert xlsx == api, api_url
        assert page_csv == api, api_url
        assert page == api, api_url


def test_operation_page_shows_paragraph_copy_button_chart_and_print_footer(world, lantern, client):
    client.force_login(world.users.coordinator)
    html = client.get(f"/reports/operations/{lantern.operation.pk}/").content.decode()
    assert "Six adult men were detained: four cited and two arrested" in html
    assert 'data-copy-target="report-paragraph"' in html
    assert 'data-chart="chart-data-services"' in html and 'id="chart-data-services"' in html
    assert "Confidential — law enforcement sensitive" in html
    assert "Missouri Attorney General&#x27;s Human Trafficking Task Force" in html
    # No inline script: only src= scripts and JSON data blocks.
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    chart = json.loads(
        re.search(r'<script id="chart-data-services" type="application/json">(.*?)</script>', html).group(1)
    )
    assert chart["labels"] == ["Food", "Lodging or shelter"]
    assert chart["datasets"][0]["data"] == [7, 3] and chart["datasets"][1]["data"] == [5, 2]


def test_exports_are_recorded_for_the_audit_trail(world, lantern, client, monkeypatch):
    calls = []
    monkeypatch.setattr("audit.hooks.record_export", lambda request, what, count: calls.append((what, count)))
    client.force_login(world.users.coordinator)
    client.get(f"/api/v1/reports/operations/{lantern.operation.pk}/", {"format": "xlsx"})
    client.get("/reports/performance-measures/", {"format": "csv", "year": "2025"})
    client.get(f"/api/v1/reports/operations/{lantern.operation.pk}/")  # JSON: not an export
    assert [what.split(":")[1] for what, _count in calls] == ["operation", "performance-measures"]
    assert all(count > 0 for _what, count in calls)


# --- query counts -----------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["coordinator", "analyst", "officer_sjpd"])
def test_report_query_counts_are_bounded_and_do_not_grow_with_data(
    world, lantern, persona, django_assert_max_num_queries
):
    user = getattr(world.users, persona)
    scope = reports.report_scope(user)
    runs = {
        "operation": lambda: reports.operation_report(scope, scope.operation(lantern.operation.pk)),
        "summary": lambda: reports.summary_report(scope, date(2025, 1, 1), date(2025, 12, 31)),
        "measures": lambda: reports.performance_measures(scope, 2025),
    }
    limits = {"operation": 12, "summary": 25, "measures": 14}
    before = {}
    for name, run in runs.items():
        with django_assert_max_num_queries(limits[name]):
            run()
        before[name] = _queries(run)
    # Twice the people, offers, referrals and detentions in the same operation.
    extra = build_lantern(world)
    for contact in extra.men + extra.women + extra.children:
        contact.operation = lantern.operation
        contact.save()
    after = {name: _queries(run) for name, run in runs.items()}
    assert after == before
    assert (
        reports.operation_report(scope, scope.operation(lantern.operation.pk))
        .table("people_by_role")
        .cell("total", "people")
        .value
        == 32
    )


def test_page_query_count_is_bounded(world, lantern, client, django_assert_max_num_queries):
    client.force_login(world.users.coordinator)
    client.get("/reports/")  # warm the session
    with django_assert_max_num_queries(40):
        assert client.get(f"/reports/operations/{lantern.operation.pk}/").status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get("/reports/", MARCH).status_code == 200


# --- words ------------------------------------------------------------------------------


def test_numbers_in_words_and_grammar_for_zero_one_and_many():
    from cases.reports import words as w

    assert [w.number_words(n) for n in (0, 1, 5, 13, 20, 42, 100, 215, 1000, 3021)] == [
        "zero",
        "one",
        "five",
        "thirteen",
        "twenty",
        "forty-two",
        "one hundred",
        "two hundred fifteen",
        "one thousand",
        "three thousand twenty-one",
    ]
    assert w.sentence(f"{w.counted(1, 'adult man', 'adult men')} {w.be(1)} detained") == "One adult man was detained."
    assert w.sentence(f"{w.counted(5, 'adult man', 'adult men')} {w.be(5)} detained") == "Five adult men were detained."
    assert w.sentence(f"{w.counted(0, 'child', 'children')} {w.be(0)} found") == "Zero children were found."
    assert (
        w.sentence(f"{w.counted('<5', 'child', 'children')} {w.be('<5')} found")
        == "Fewer than five children were found."
    )
    assert (
        w.join_list(["food"]) == "food"
        and w.join_list(["food", "lodging", "medical care"]) == "food, lodging and medical care"
    )
    assert w.lower_name("HIV testing") == "HIV testing" and w.lower_name("Food") == "food"


def test_caseworker_dashboard_counts_only_hand_offs_to_its_agency(world, lantern):
    scope = reports.report_scope(world.users.caseworker)
    report = reports.summary_report(scope, date(2025, 3, 1), date(2025, 3, 31))
    assert not report.has("people_by_role") and not report.has("enforcement")
    assert report.table("custody_times").body() == [["Missouri Children's Division", 3, 3, 2.0]]
    from cases.models import Operation

    with pytest.raises(Operation.DoesNotExist):  # the views turn this into a 404
        scope.operation(lantern.operation.pk)


def _victims_table(key, rows):
    from cases.reports.tables import Column, Table

    table = Table(
        key,
        key,
        "Group",
        [Column("potential", "Potential"), Column("confirmed", "Confirmed")],
        row_totals=True,
        column_totals=True,
    )
    for label, values in rows:
        table.add(label, label, values)
    return table.finish()


def test_suppression_hides_only_what_it_must():
    """The grant measures once hid a whole total row that another table showed anyway."""
    from cases.reports.tables import suppress

    by_age = _victims_table("age", [("Adults", [6, 10]), ("Minors", [0, 0])])
    by_gender = _victims_table("gender", [("Female", [6, 8]), ("Male", [0, 2])])
    suppress([by_age, by_gender])
    assert by_age.body() == [["Adults", 6, 10, 16], ["Minors", 0, 0, 0], ["Total", 6, 10, 16]]
    # The 2 men would follow from 10 − 8 and from 16 − 14: those two are hidden, nothing else.
    assert by_gender.body() == [["Female", 6, "hidden", "hidden"], ["Male", 0, "<5", "<5"], ["Total", 6, 10, 16]]


@pytest.mark.parametrize("seed", range(12))
def test_no_small_count_can_be_worked_out_and_no_cell_is_hidden_for_nothing(seed):
    import random
    from types import SimpleNamespace

    from cases.reports.tables import suppress

    from .test_reports_support import equations_ok

    rng = random.Random(seed)
    values = [0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]
    tables = [
        _victims_table(f"t{t}", [(f"r{r}", [rng.choice(values), rng.choice(values)]) for r in range(rng.randint(2, 6))])
        for t in range(rng.randint(1, 3))
    ]
    suppress(tables)
    report = SimpleNamespace(tables=tables)
    assert equations_ok(report) == []
    complementary = [c for t in tables for c in t.all_cells() if c.suppressed == "hidden"]
    for cell in complementary:  # each complementary cell is needed: shown, a small count follows
        cell.suppressed = ""
        assert equations_ok(report) != [], (seed, cell.value)
        cell.suppressed = "hidden"
