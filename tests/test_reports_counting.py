"""Who counts as a victim and as rescued (cases/reports/counting.py), on small invented operations.

The rule: a child taken into protective custody from an operation and recorded as an
accompanying child counts as a minor potential victim; in another role, in that role;
confirmed stays confirmed. The rescued are every victim counted so, children included,
whether or not they accepted a service. The same rule reaches the operation report, its
paragraph, the operation page, the dashboard and the grant measures.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import models as m
from cases import reports
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def op(world):
    """An operation of its own agency, so the dashboard can be narrowed to it."""
    agency = f.AgencyFactory(short_name="ORION-PD", name="Orion Police Department")
    return f.OperationFactory(name="Operation Orion", lead_agency=agency)


def _contact(op, *, age, gender=m.Gender.FEMALE, role=m.ContactRole.POTENTIAL_VICTIM, outcome=None, **kw):
    return f.ContactFactory(
        operation=op,
        agency=op.lead_agency,
        role=role,
        outcome=outcome or m.ContactOutcome.OFFERED_SERVICES,
        person__estimated_age=age,
        person__gender=gender,
        person__created_by_agency=op.lead_agency,
        **kw,
    )


def _child_in_custody(op, *, age=3, role=m.ContactRole.ACCOMPANYING_CHILD, handoff=True, outcome=None):
    contact = _contact(op, age=age, role=role, outcome=outcome or m.ContactOutcome.PROTECTIVE_CUSTODY)
    if handoff:
        f.CustodyHandoffFactory(contact=contact, custody_agency=op.lead_agency)
    return contact


def _report(world, op):
    scope = reports.report_scope(world.users.coordinator)
    return reports.operation_report(scope, scope.operation(op.pk))


def _victims(report) -> dict[str, int]:
    return {s: report.table(f"{s}_victims").grand_total.value for s in ("potential", "confirmed")}


def _rescued(report) -> dict[str, int]:
    table = report.table("rescued")
    return {row.key: row.cells[0].value for row in table.rows if row.cells[0].value} | {
        "total": table.value("total", "people")
    }


def test_child_taken_into_custody_counts_as_a_minor_potential_victim_and_as_rescued(world, op):
    _contact(op, age=30)
    _child_in_custody(op, age=3)
    report = _report(world, op)
    assert _victims(report) == {"potential": 2, "confirmed": 0}
    assert report.table("potential_victims").value("child", "female") == 1
    assert _rescued(report) == {"adult_female": 1, "child": 1, "total": 2}
    assert "Two people were rescued: one adult woman and one child." in report.paragraph


def test_custody_recorded_by_a_handoff_alone_counts_too(world, op):
    # The contact's outcome was left as "released", but the hand-off of the child is on record.
    _child_in_custody(op, age=1, outcome=m.ContactOutcome.RELEASED)
    assert _rescued(_report(world, op)) == {"infant": 1, "total": 1}


def test_accompanying_child_left_with_a_caregiver_is_not_a_victim(world, op):
    _contact(op, age=6, role=m.ContactRole.ACCOMPANYING_CHILD, outcome=m.ContactOutcome.RELEASED)
    report = _report(world, op)
    assert _victims(report) == {"potential": 0, "confirmed": 0}
    assert report.table("rescued").value("total", "people") == 0
    assert "rescued" not in report.paragraph


def test_voided_handoff_does_not_make_a_victim(world, op):
    contact = _contact(op, age=4, role=m.ContactRole.ACCOMPANYING_CHILD, outcome=m.ContactOutcome.RELEASED)
    f.CustodyHandoffFactory(contact=contact, custody_agency=op.lead_agency, voided_at=timezone.now())
    assert _victims(_report(world, op)) == {"potential": 0, "confirmed": 0}


def test_child_in_custody_in_another_role_counts_in_that_role(world, op):
    _child_in_custody(op, age=15, role=m.ContactRole.WITNESS)
    _child_in_custody(op, age=16, role=m.ContactRole.CONFIRMED_VICTIM)
    report = _report(world, op)
    # The witness is no victim; the confirmed victim stays confirmed, counted once.
    assert _victims(report) == {"potential": 0, "confirmed": 1}
    assert _rescued(report) == {"teen": 1, "total": 1}
    assert report.table("people_by_role").value("witness", "people") == 1


def test_rescued_are_the_victims_whatever_they_accepted_and_never_the_buyers(world, op):
    declined = _contact(op, age=24)
    f.ServiceOfferFactory(contact=declined, response=m.OfferResponse.DECLINED)
    accepted = _contact(op, age=31, role=m.ContactRole.CONFIRMED_VICTIM)
    f.ServiceOfferFactory(contact=accepted, service_type=declined.service_offers.get().service_type)
    _contact(op, age=34, gender=m.Gender.MALE)
    _child_in_custody(op, age=0)
    buyer = _contact(op, age=40, gender=m.Gender.MALE, role=m.ContactRole.BUYER, outcome=m.ContactOutcome.DETAINED)
    f.DetentionFactory(contact=buyer, outcome=m.DetentionOutcome.CITED)
    report = _report(world, op)
    assert _rescued(report) == {"adult_female": 2, "adult_male": 1, "infant": 1, "total": 4}
    assert "Four people were rescued: two adult women, one adult man and one infant." in report.paragraph
    assert "One adult man was detained and cited." in report.paragraph
    assert "arrested" not in report.paragraph


def test_the_page_dashboard_and_grant_measures_use_the_same_rule(world, op, client):
    coordinator = world.users.coordinator
    scope = reports.report_scope(coordinator)
    year = timezone.localdate().year
    before = reports.performance_measures(scope, year).table("victims_by_age")
    _contact(op, age=28)
    _child_in_custody(op, age=2)
    _child_in_custody(op, age=1)
    f.ParticipationFactory(operation=op, agency=world.agencies.harbor, role=m.ParticipationRole.VICTIM_SERVICES)
    figures = dict(reports.operation_figures(scope, op))
    assert (figures["People rescued"], figures["Potential victims"], figures["Agencies taking part"]) == (3, 3, 2)
    client.force_login(coordinator)
    page = client.get(reverse("web:operation_detail", args=[op.pk]), {"section": "outcomes", "preview": 1})
    assert dict(page.context["outcomes"])["People rescued"] == 3

    today = timezone.localdate()
    dashboard = reports.summary_report(scope, today - timedelta(days=7), today, op.lead_agency)
    assert dashboard.table("victims_by_age").body() == [
        ["Adults", 1, 0, 1],
        ["Minors (under 18)", 2, 0, 2],
        ["Age not known", 0, 0, 0],
        ["Total", 3, 0, 3],
    ]
    after = reports.performance_measures(scope, year).table("victims_by_age")
    added = {
        age: after.value(age, "potential") - before.value(age, "potential") for age in ("infant", "child", "adult")
    }
    assert added == {"infant": 1, "child": 1, "adult": 1}
