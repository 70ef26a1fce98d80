"""Each reminder rule fires once, at the right time, to the right people; escalates; and
closes itself when its cause is resolved. Time is moved with `now`, never slept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from agencies.models import Role
from cases import access, actions
from cases import models as m
from notifications.kinds import Kind
from notifications.models import Notification, Reminder
from notifications.rules import remind
from work.models import Task, TaskStatus

from . import factories as f

pytestmark = pytest.mark.django_db


def _reminders(record, kind):
    return Reminder.objects.filter(
        kind=kind, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def _told(record, kind) -> set[str]:
    return set(
        Notification.objects.filter(reminder__in=_reminders(record, kind)).values_list("recipient__username", flat=True)
    )


def _harbor_supervisor(world):
    user = f.UserFactory(username="supervisor_hal", first_name="Hal", last_name="Tester")
    f.MembershipFactory(user=user, agency=world.agencies.harbor, role=Role.SUPERVISOR)
    return user


def test_an_unacknowledged_referral_reminds_the_receiving_advocates_once_after_48_hours(world):
    referral = world.records.referral_sjpd
    sent = referral.sent_at
    remind(sent + timedelta(hours=47))
    assert not _reminders(referral, Kind.REFERRAL_TO_ACKNOWLEDGE).exists()
    remind(sent + timedelta(hours=48, minutes=1))
    assert _told(referral, Kind.REFERRAL_TO_ACKNOWLEDGE) == {"advocate_hana"}
    remind(sent + timedelta(hours=49))
    remind(sent + timedelta(hours=50))
    assert _reminders(referral, Kind.REFERRAL_TO_ACKNOWLEDGE).count() == 1
    assert Notification.objects.filter(reminder__in=_reminders(referral, Kind.REFERRAL_TO_ACKNOWLEDGE)).count() == 1
    # Northland's advocate hears of Northland's referral only.
    assert _told(world.records.referral_kcpd, Kind.REFERRAL_TO_ACKNOWLEDGE) == {"advocate_nora"}


def test_still_unacknowledged_at_72_hours_it_escalates_to_the_agencys_supervisor(world):
    _harbor_supervisor(world)
    referral = world.records.referral_sjpd
    remind(referral.sent_at + timedelta(hours=60))
    assert not _reminders(referral, Kind.REFERRAL_OVERDUE).exists()
    remind(referral.sent_at + timedelta(hours=72, minutes=1))
    assert _told(referral, Kind.REFERRAL_OVERDUE) == {"supervisor_hal"}
    # The supervisor may acknowledge too, so it had the first reminder as well.
    assert _told(referral, Kind.REFERRAL_TO_ACKNOWLEDGE) == {"advocate_hana", "supervisor_hal"}


def test_acknowledging_closes_the_reminder_and_stops_the_escalation(world):
    _harbor_supervisor(world)
    referral = world.records.referral_sjpd
    remind(referral.sent_at + timedelta(hours=49))
    reminder = _reminders(referral, Kind.REFERRAL_TO_ACKNOWLEDGE).get()
    actions.transition_referral(world.users.advocate_harbor, referral, "acknowledge")
    remind(referral.sent_at + timedelta(hours=73))
    reminder.refresh_from_db()
    assert reminder.closed_at is not None and "acknowledged" in reminder.closed_because
    assert not _reminders(referral, Kind.REFERRAL_OVERDUE).exists()
    # Its notification is not e-mailed any more: what it asked for is done.
    assert set(reminder.notifications.values_list("email", flat=True)) == {Notification.Email.RESOLVED}


def test_a_custody_receipt_unconfirmed_after_4_hours_tells_the_caseworkers_and_the_coordinator(world):
    handoff = world.records.handoff_sjpd
    handed = timezone.now() - timedelta(hours=1)
    m.CustodyHandoff.objects.filter(pk=handoff.pk).update(handed_over_at=handed)
    remind(handed + timedelta(hours=3, minutes=59))
    assert not _reminders(handoff, Kind.CUSTODY_TO_CONFIRM).exists()
    remind(handed + timedelta(hours=4, minutes=1))
    assert _told(handoff, Kind.CUSTODY_TO_CONFIRM) == {"caseworker_cora", "coordinator_casey"}
    # Not handed over yet: nothing to confirm.
    assert not _reminders(world.records.handoff_kcpd, Kind.CUSTODY_TO_CONFIRM).exists()
    handoff.refresh_from_db()
    actions.acknowledge_custody(world.users.caseworker, handoff)
    remind(handed + timedelta(hours=5))
    assert _reminders(handoff, Kind.CUSTODY_TO_CONFIRM).get().closed_at is not None


def test_a_declined_offer_brings_a_follow_up_a_week_later_to_the_referrals_advocates(world):
    r = world.records
    offered = timezone.now() - timedelta(days=1)
    offer = f.ServiceOfferFactory(
        contact=None,
        referral=r.referral_sjpd,
        person=r.victim_sjpd.person,
        service_type=r.food,
        offered_by=world.agencies.harbor,
        offered_at=offered,
        response=m.OfferResponse.DECLINED,
    )
    remind(offered + timedelta(days=6, hours=23))
    assert not _reminders(offer, Kind.FOLLOW_UP_OFFER).exists()
    remind(offered + timedelta(days=7, minutes=1))
    assert _told(offer, Kind.FOLLOW_UP_OFFER) == {"advocate_hana"}
    # A task in Safe Harbor's queue, on the referral its advocates see.
    task = Task.objects.get(source=f"reminder:follow_up:{offer.pk}")
    assert task.status == TaskStatus.OPEN and task.assigned_agency == world.agencies.harbor
    assert task.referral == r.referral_sjpd and task.title == "Offer services again"
    assert access.is_visible(world.users.advocate_harbor, task)
    remind(offered + timedelta(days=7, hours=1))
    assert Task.objects.filter(source=f"reminder:follow_up:{offer.pk}").count() == 1
    # Offered again: the reminder closes, and so does its task.
    f.ServiceOfferFactory(
        contact=None,
        referral=r.referral_sjpd,
        person=r.victim_sjpd.person,
        service_type=r.food,
        offered_by=world.agencies.harbor,
        offered_at=offered + timedelta(days=7, hours=2),
    )
    remind(offered + timedelta(days=7, hours=3))
    assert _reminders(offer, Kind.FOLLOW_UP_OFFER).get().closed_at is not None
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_court_date_is_announced_a_week_and_a_day_before_to_the_victims_advocates(world):
    event = world.records.court_event_sjpd
    at = timezone.now() + timedelta(days=20)
    m.CourtEvent.objects.filter(pk=event.pk).update(scheduled_at=at)
    remind(at - timedelta(days=7, hours=1))
    assert not _reminders(event, Kind.COURT_DATE_WEEK).exists()
    remind(at - timedelta(days=6))
    # The advocates of the case's victim, never the other agency's, nor the prosecution team.
    assert _told(event, Kind.COURT_DATE_WEEK) == {"advocate_hana"}
    assert not _reminders(event, Kind.COURT_DATE_TOMORROW).exists()
    remind(at - timedelta(hours=20))
    assert _told(event, Kind.COURT_DATE_TOMORROW) == {"advocate_hana"}
    assert _reminders(event, Kind.COURT_DATE_WEEK).count() == 1
    remind(at + timedelta(hours=1))  # the date has passed
    assert not _reminders(event, Kind.COURT_DATE_WEEK).filter(closed_at__isnull=True).exists()
    assert not _reminders(event, Kind.COURT_DATE_TOMORROW).filter(closed_at__isnull=True).exists()


def test_a_cancelled_court_date_closes_its_notice(world):
    event = world.records.court_event_sjpd
    at = timezone.now() + timedelta(days=5)
    m.CourtEvent.objects.filter(pk=event.pk).update(scheduled_at=at)
    remind(timezone.now())
    assert _reminders(event, Kind.COURT_DATE_WEEK).get().closed_at is None
    m.CourtEvent.objects.filter(pk=event.pk).update(status=m.CourtEventStatus.CANCELLED)
    remind(timezone.now())
    assert _reminders(event, Kind.COURT_DATE_WEEK).get().closed_at is not None


def test_granted_relief_expiring_within_60_days_tells_the_requesting_agency(world):
    relief = world.records.relief_sjpd
    expires = timezone.localdate() + timedelta(days=100)
    actions.transition_relief(world.users.officer_sjpd, relief, "grant", expires_on=expires)
    now = timezone.now()
    remind(now + timedelta(days=39))
    assert not _reminders(relief, Kind.RELIEF_EXPIRING).exists()
    remind(now + timedelta(days=41))
    assert _told(relief, Kind.RELIEF_EXPIRING) == {"advocate_hana"}
    relief.refresh_from_db()
    actions.transition_relief(world.users.advocate_harbor, relief, "renew")
    remind(now + timedelta(days=42))
    assert _reminders(relief, Kind.RELIEF_EXPIRING).get().closed_at is not None


def test_a_relief_request_unanswered_after_30_days_tells_the_agency_asked(world):
    relief = world.records.relief_sjpd  # under review at SJPD, asked two days ago
    now = timezone.now()
    remind(now + timedelta(days=27))
    assert not _reminders(relief, Kind.RELIEF_TO_ANSWER).exists()
    remind(now + timedelta(days=29))
    assert _told(relief, Kind.RELIEF_TO_ANSWER) == {"officer_sam", "supervisor_sue"}
    actions.transition_relief(world.users.officer_sjpd, relief, "decline", reason="Not cooperating yet.")
    remind(now + timedelta(days=30))
    assert _reminders(relief, Kind.RELIEF_TO_ANSWER).get().closed_at is not None


def test_nobody_is_told_of_a_record_they_may_not_see(world):
    """Whoever a rule names, a notification goes only to someone who sees the record."""
    remind(timezone.now() + timedelta(days=40))
    for notification in Notification.objects.select_related("reminder", "recipient"):
        model = notification.reminder.content_type.model_class()
        record = model.objects.get(pk=notification.reminder.object_id)
        assert access.is_visible(notification.recipient, record), notification
