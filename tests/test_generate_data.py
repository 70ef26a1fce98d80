"""The data generator at a tiny scale: integrity, model rules and the promised shape.

The data are generated once for the module inside a transaction that is rolled back
afterwards, with the database's own foreign-key checks switched on.
"""

from __future__ import annotations

import statistics
from collections import Counter

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
    ):
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
