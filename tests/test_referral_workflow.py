"""The referral workflow: every legal and illegal step, consent, and who may take it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import actions
from cases import models as m

from . import factories as f

S = m.ReferralStatus
# Written out independently of the model's table: status → the actions allowed from it.
LEGAL = {
    S.DRAFT: {"send"},
    S.SENT: {"acknowledge", "revoke"},
    S.ACKNOWLEDGED: {"accept", "decline"},
    S.ACCEPTED: {"start_service", "close"},
    S.DECLINED: set(),
    S.IN_SERVICE: {"close"},
    S.CLOSED: set(),
    S.REVOKED: set(),
}
ACTIONS = ("send", "acknowledge", "accept", "decline", "start_service", "close", "revoke")
ARGS = {
    "decline": {"reason": "No beds tonight."},
    "close": {"closure": "completed"},
    "revoke": {"reason": "Sent in error."},
}


@pytest.mark.parametrize("status", list(LEGAL))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_step_is_allowed_exactly_from_its_states(world, status, action):
    referral = world.records.referral_sjpd
    # Forced straight into the state, with what the database requires of it.
    m.Referral.objects.filter(pk=referral.pk).update(status=status, decline_reason="No beds.", closure="completed")
    referral.refresh_from_db()
    user = world.users.coordinator
    if action in LEGAL[status]:
        event = referral.apply(action, user, world.agencies.task_force, **ARGS.get(action, {}))
        assert event.from_status == status and event.to_status == referral.status
    else:
        with pytest.raises(m.TransitionError) as error:
            referral.apply(action, user, world.agencies.task_force, **ARGS.get(action, {}))
        assert "cannot be" in str(error.value)
        referral.refresh_from_db()
        assert referral.status == status


def _walk(world, referral, steps):
    u = world.users
    for action, user in steps:
        actions.transition_referral(getattr(u, user), referral, action, **ARGS.get(action, {}))
        referral.refresh_from_db()


def test_the_full_journey_is_a_timeline_of_events(world):
    referral = world.records.draft_sjpd
    _walk(
        world,
        referral,
        [
            ("send", "officer_sjpd"),
            ("acknowledge", "advocate_harbor"),
            ("accept", "advocate_harbor"),
            ("start_service", "advocate_harbor"),
            ("close", "advocate_harbor"),
        ],
    )
    assert referral.status == S.CLOSED and referral.closure == "completed"
    events = list(referral.events.values_list("to_status", "agency__short_name", "user__username"))
    assert events == [
        ("sent", "SJPD", "officer_sam"),
        ("acknowledged", "HARBOR", "advocate_hana"),
        ("accepted", "HARBOR", "advocate_hana"),
        ("in_service", "HARBOR", "advocate_hana"),
        ("closed", "HARBOR", "advocate_hana"),
    ]
    assert referral.sent_at and referral.acknowledged_at and referral.closed_at


def test_declining_needs_a_reason(world):
    referral = world.records.referral_sjpd
    _walk(world, referral, [("acknowledge", "advocate_harbor")])
    with pytest.raises(ValidationError, match="reason"):
        actions.transition_referral(world.users.advocate_harbor, referral, "decline")
    actions.transition_referral(world.users.advocate_harbor, referral, "decline", reason="Outside our county.")
    referral.refresh_from_db()
    assert referral.status == S.DECLINED and referral.decline_reason == "Outside our county."


def test_closing_needs_an_outcome(world):
    referral = world.records.referral_sjpd
    _walk(world, referral, [("acknowledge", "advocate_harbor"), ("accept", "advocate_harbor")])
    with pytest.raises(ValidationError, match="how the referral ended"):
        actions.transition_referral(world.users.advocate_harbor, referral, "close")


def test_sending_without_consent_is_refused(world):
    referral = world.records.draft_sjpd
    m.Referral.objects.filter(pk=referral.pk).update(consent="", consent_date=None)
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="not consented"):
        actions.transition_referral(world.users.officer_sjpd, referral, "send")
    referral.refresh_from_db()
    assert referral.status == S.DRAFT and not referral.events.exists()


def test_declined_consent_needs_an_override(world):
    referral = world.records.draft_sjpd
    m.Referral.objects.filter(pk=referral.pk).update(consent=m.ConsentType.DECLINED)
    referral.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.transition_referral(world.users.officer_sjpd, referral, "send")


def test_an_officer_may_not_override_consent(world):
    referral = world.records.draft_sjpd
    m.Referral.objects.filter(pk=referral.pk).update(consent="", consent_date=None)
    referral.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.transition_referral(world.users.officer_sjpd, referral, "send", override_reason="Urgent.")
    referral.refresh_from_db()
    assert referral.status == S.DRAFT and referral.consent_override_reason == ""


def test_a_supervisor_overrides_consent_with_a_reason(world):
    referral = world.records.draft_sjpd
    m.Referral.objects.filter(pk=referral.pk).update(consent="", consent_date=None)
    referral.refresh_from_db()
    actions.transition_referral(
        world.users.supervisor_sjpd, referral, "send", override_reason="Imminent danger; person unable to consent."
    )
    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert referral.consent_override_by == world.users.supervisor_sjpd


def test_an_officer_granted_the_override_permission_may_override(world):
    officer = world.users.officer_sjpd
    officer.memberships.update(can_override_consent=True)
    referral = world.records.draft_sjpd
    m.Referral.objects.filter(pk=referral.pk).update(consent="", consent_date=None)
    referral.refresh_from_db()
    actions.transition_referral(officer, referral, "send", override_reason="Person is unconscious in hospital.")
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_consent_is_not_required_for_a_minor_in_protective_custody_only(world):
    child = world.records.child_contact
    minor = f.ReferralFactory(
        contact=child,
        to_agency=world.agencies.harbor,
        status=S.DRAFT,
        consent=m.ConsentType.NOT_REQUIRED_MINOR,
        consent_date=None,
    )
    actions.transition_referral(world.users.officer_sjpd, minor, "send")
    assert minor.status == S.SENT

    adult = world.records.draft_sjpd
    m.Referral.objects.filter(pk=adult.pk).update(consent=m.ConsentType.NOT_REQUIRED_MINOR)
    adult.refresh_from_db()
    with pytest.raises(ValidationError, match="minor in protective custody"):
        actions.transition_referral(world.users.officer_sjpd, adult, "send")


def test_the_receiving_side_and_the_sending_side_each_take_only_their_steps(world):
    u = world.users
    referral = world.records.referral_sjpd
    with pytest.raises(PermissionDenied):
        actions.transition_referral(u.officer_sjpd, referral, "acknowledge")
    with pytest.raises(PermissionDenied):
        actions.transition_referral(u.advocate_northland, referral, "acknowledge")
    with pytest.raises(PermissionDenied):
        actions.transition_referral(u.advocate_harbor, referral, "revoke", reason="no")
    actions.transition_referral(u.officer_sjpd, referral, "revoke", reason="Person moved out of state.")
    referral.refresh_from_db()
    assert referral.status == S.REVOKED


def test_overdue_when_not_acknowledged_in_time(world):
    referral = world.records.referral_sjpd
    assert not referral.is_overdue
    m.Referral.objects.filter(pk=referral.pk).update(acknowledge_due_at=timezone.now() - timezone.timedelta(hours=1))
    referral.refresh_from_db()
    assert referral.is_overdue
    actions.transition_referral(world.users.advocate_harbor, referral, "acknowledge")
    assert not referral.is_overdue


def test_a_void_referral_cannot_move(world):
    referral = world.records.referral_sjpd
    actions.void_record(world.users.supervisor_sjpd, referral, "Duplicate of another referral.")
    with pytest.raises(PermissionDenied):
        actions.transition_referral(world.users.advocate_harbor, referral, "acknowledge")
    with pytest.raises(m.TransitionError, match="void"):
        referral.apply("acknowledge", world.users.coordinator, world.agencies.task_force)


def test_referral_events_are_append_only(world):
    event = world.records.referral_sjpd.events.first()
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
