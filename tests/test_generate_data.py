"""The data generator at a tiny scale: integrity, model rules and the promised shape.

The data are generated once for the module inside a transaction that is rolled back
afterwards, with the database's own foreign-key checks switched on.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from agencies.models import Agency, Membership
from cases import models as m
from cases.generator import generate
from cases.generator.records import PER_SCALE
from cases.models.people import MINOR_AGE_GROUPS, age_group_for

SCALE = 0.005
pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                counts = generate(SCALE, seed=7, check_foreign_keys=True, log=lambda message: None)
                yield counts
                raise _Rollback
        except _Rollback:
            pass


def test_every_reference_points_at_an_existing_row(generated):
    # SQLite: PRAGMA foreign_key_check; PostgreSQL: the deferred checks run now.
    connection.check_constraints()


def test_totals_follow_the_promised_numbers_per_scale(generated):
    contacts = m.Contact.objects.count()
    assert contacts == pytest.approx(PER_SCALE["contacts"] * SCALE, rel=0.1)
    assert m.Operation.objects.count() == pytest.approx(PER_SCALE["operations"] * SCALE, rel=0.1)
    ratios = {
        "people": m.Person.objects.count(),
        "service offers": m.ServiceOffer.objects.count(),
        "referrals": m.Referral.objects.count(),
        "detentions": m.Detention.objects.count(),
    }
    for name, count in ratios.items():
        promised = PER_SCALE[name] / PER_SCALE["contacts"]
        assert count / contacts == pytest.approx(promised, rel=0.3), name
    handoffs = m.CustodyHandoff.objects.count()
    assert 0 < handoffs / contacts < 3 * PER_SCALE["custody handoffs"] / PER_SCALE["contacts"]
    assert Agency.objects.count() >= 12
    assert Membership.objects.filter(role="coordinator").exists()


def test_most_operations_are_small_and_a_few_large(generated):
    sizes = sorted(m.Operation.objects.annotate(n=Count("contacts")).filter(n__gt=0).values_list("n", flat=True))
    assert statistics.median(sizes) < statistics.mean(sizes)
    assert sizes[-1] > 3 * statistics.median(sizes)


def test_people_come_back_for_repeat_contacts(generated):
    per_person = Counter(m.Contact.objects.values_list("person_id", flat=True))
    repeat = sum(1 for n in per_person.values() if n >= 2)
    assert repeat / len(per_person) > 0.15
    assert max(per_person.values()) >= 3


def test_most_referrals_are_closed_and_some_are_overdue(generated):
    statuses = Counter(m.Referral.objects.values_list("status", flat=True))
    assert statuses["closed"] > sum(statuses.values()) / 2
    overdue = m.Referral.objects.filter(status="sent", acknowledge_due_at__lt=timezone.now())
    assert overdue.exists()


def test_derived_fields_match_what_save_computes(generated):
    today = timezone.localdate()
    for person in m.Person.objects.all():
        assert person.reference == f"P-{person.pk:06d}"
        assert person.age_group == age_group_for(person.age_on(today))
        if person.age_group in MINOR_AGE_GROUPS:
            assert person.is_minor
    for contact in m.Contact.objects.select_related("person"):
        day = timezone.localtime(contact.occurred_at).date()
        assert contact.age_group == age_group_for(contact.person.age_on(day))
        assert contact.occurred_at <= timezone.now()
    for model in (m.Referral, m.Detention):
        for record in model.objects.select_related("contact"):
            assert record.operation_id == (record.contact.operation_id if record.contact_id else None)
        assert model.objects.exclude(operation=None).exists()
    for handoff in m.CustodyHandoff.objects.select_related("person", "receiving_agency"):
        age = handoff.person.age_on(timezone.localtime(handoff.taken_at).date())
        assert handoff.child_age_at_custody == age < 18
        assert handoff.receiving_agency.kind == "child_welfare"
        assert handoff.events.filter(kind="taken").count() == 1


def test_records_pass_model_validation(generated):
    # full_clean runs each model's own rules (same person on contact and offer, locations
    # of the same operation, consent dates, hand-off after custody, …).
    for model in (
        m.Operation,
        m.Location,
        m.Participation,
        m.Person,
        m.Contact,
        m.ServiceOffer,
        m.Referral,
        m.CustodyHandoff,
        m.Detention,
        m.Investigation,
        m.Prosecution,
        m.Count,
        m.ReliefRequest,
    ):
        assert model.objects.exists(), model
        for obj in model.objects.order_by("?")[:40]:
            obj.full_clean(validate_unique=False)


def test_each_operation_has_one_lead_its_lead_agency(generated):
    wrong = m.Operation.objects.exclude(participations__role="lead", participations__agency=F("lead_agency"))
    assert not wrong.exists()
    assert not m.Participation.objects.values("operation").filter(role="lead").annotate(n=Count("id")).filter(n__gt=1)


def test_referral_history_matches_its_status(generated):
    for referral in m.Referral.objects.prefetch_related("events"):
        events = list(referral.events.all())
        if referral.status == "draft":
            assert not events
            continue
        assert events[0].action == "send" and events[0].at == referral.sent_at
        assert events[-1].to_status == referral.status
        for before, after in zip(events, events[1:]):
            assert before.to_status == after.from_status and before.at <= after.at
    assert not m.Referral.objects.filter(Q(status="closed", closure="") | Q(status="declined", decline_reason=""))


def test_the_command_refuses_a_database_that_already_holds_generated_data(generated):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_data", "--scale", "0.001")


# --- after the operations ---------------------------------------------------------------


def test_some_operations_become_investigations_with_their_people_and_arrests(generated):
    investigations = m.Investigation.objects.prefetch_related("operations", "agencies", "people")
    started = m.Operation.objects.exclude(status="planned").count()
    assert 0 < investigations.count() <= started / 2
    references = set()
    for inv in investigations:
        assert inv.reference == f"INV-{inv.opened_on.year}-{inv.reference[-4:]}" and inv.reference not in references
        references.add(inv.reference)
        (operation,) = inv.operations.all()
        assert inv.lead_agency_id == operation.lead_agency_id
        assert [a.agency_id for a in inv.agencies.all() if a.role == "lead"] == [inv.lead_agency_id]
        assert inv.opened_on >= timezone.localtime(operation.starts_at).date()
        prosecutors = {a.agency_id for a in inv.agencies.all() if a.role == "prosecution"}
        assert bool(prosecutors) == (inv.status == "referred")
        if inv.status == "closed":
            assert inv.closing_reason and inv.opened_on <= inv.closed_on <= timezone.localdate()
        # Its people were met in its operation, its suspects as traffickers or buyers.
        met = dict(m.Contact.objects.filter(operation=operation).values_list("person_id", "role"))
        for person in inv.people.all():
            assert person.person_id in met
        suspects = {p.person_id for p in inv.people.all() if p.role == "suspect"}
        assert {met[s] for s in suspects} <= {"suspected_trafficker", "buyer"}
        # Its arrests are the operation's, of its suspects.
        linked = m.Detention.objects.filter(investigation=inv)
        assert set(linked.values_list("operation_id", flat=True)) <= {operation.pk}
        assert set(linked.values_list("person_id", flat=True)) <= suspects
    assert m.Detention.objects.exclude(investigation=None).exists()
    roles = set(m.InvestigationPerson.objects.values_list("role", flat=True))
    assert {"suspect", "victim"} <= roles


def test_prosecutions_charge_arrested_suspects_and_dispose_of_counts_in_order(generated):
    today = timezone.localdate()
    for case in m.Prosecution.objects.select_related("investigation", "prosecuting_agency"):
        inv = case.investigation
        assert case.prosecuting_agency.kind == "prosecutor"
        assert inv.agencies.filter(agency=case.prosecuting_agency, role="prosecution").exists()
        assert inv.people.filter(person_id=case.defendant_id, role="suspect").exists()
        assert m.Detention.objects.filter(investigation=inv, person_id=case.defendant_id).exists()
        assert inv.opened_on <= case.filed_on <= today
        assert case.court_jurisdiction == ("federal" if case.prosecuting_agency.level == "federal" else "state")
        counts = list(case.counts.select_related("statute"))
        assert [c.number for c in counts] == list(range(1, len(counts) + 1))
        assert {c.statute.jurisdiction for c in counts} == {case.court_jurisdiction}
        for count in counts:
            assert (count.disposition == "pending") == (count.disposition_on is None)
            assert count.disposition_on is None or case.filed_on <= count.disposition_on <= today
            assert count.is_conviction or not count.is_sentenced
        events = list(case.court_events.all())
        assert events[0].kind == "arraignment" and all(e.court == case.court for e in events)
        ahead = [e for e in events if timezone.localtime(e.scheduled_at).date() >= today]
        assert all(e.status == "scheduled" for e in ahead)
        assert all(e.status != "scheduled" for e in events if e not in ahead)
        if any(c.disposition == "pending" for c in counts):
            assert ahead, "a pending case waits for its next court date"
    dispositions = set(m.Count.objects.values_list("disposition", flat=True))
    assert len(dispositions) >= 2 and dispositions & {"pleaded_guilty", "convicted"}
    assert m.Count.objects.exclude(custody_months=None).exists()


def test_relief_requests_follow_their_workflow(generated):
    from django.conf import settings

    requests = m.ReliefRequest.objects.select_related("requested_of_agency", "person").prefetch_related("events")
    assert requests.exists()
    for request in requests:
        events = list(request.events.all())
        assert request.status == (events[-1].to_status if events else "requested")
        assert events[0].from_status == "requested" if events else True
        for before, after in zip(events, events[1:]):
            assert before.to_status == after.from_status and before.on <= after.on
        assert request.answer_due_on == request.requested_on + timedelta(days=settings.RELIEF_ANSWER_DAYS)
        assert request.consent_date <= request.requested_on <= timezone.localdate()
        assert request.requested_of_agency.kind == "law_enforcement"
        assert request.person.citizenship == "foreign"
        assert m.InvestigationPerson.objects.filter(
            investigation=request.investigation_id, person=request.person_id, role="victim"
        ).exists()
        if request.kind == "continued_presence":
            assert request.requested_of_agency.level == "federal"
        if request.renewal_of_id:
            assert request.renewal_of.status == "renewed"
    assert not m.ReliefRequest.objects.filter(status="declined", decline_reason="").exists()
