"""No personal data leaves the system: for every kind of notification, no name, alias,
reference, birth date or place of the records involved appears in any e-mail subject or
body, nor in the text the application and the API show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import dateformat, timezone

from agencies.models import Role
from cases import actions
from cases import models as m
from notifications import delivery
from notifications.kinds import COUNTED, SENTENCES, Kind
from notifications.models import Notification

from . import factories as f

pytestmark = pytest.mark.django_db

BIRTH_DATES = {"victim_sjpd": date(1994, 3, 17), "victim_kcpd": date(1989, 11, 2)}


def _dates(day: date) -> list[str]:
    return [
        day.isoformat(),
        day.strftime("%m/%d/%Y"),
        dateformat.format(day, "F j, Y"),
        dateformat.format(day, "N j, Y"),
    ]


def _give_everyone_details(world) -> list[str]:
    """Distinctive details on every person and place of the world; returns what must never be sent."""
    r = world.records
    secrets: list[str] = []
    for name in ("victim_sjpd", "victim_kcpd", "child_contact", "kc_child_contact", "buyer_contact", "buyer_kcpd"):
        person = getattr(r, name).person
        person.refresh_from_db()
        aliases = f"Zephyrine {name.title()}\nQuillon {name.title()}"
        m.Person.objects.filter(pk=person.pk).update(
            aliases=aliases, phone="816-555-0199", email=f"{name}@private.example", date_of_birth=BIRTH_DATES.get(name)
        )
        secrets += [person.legal_name, person.reference, *aliases.splitlines(), "816-555-0199", f"{name}@private"]
        if name in BIRTH_DATES:
            secrets += _dates(BIRTH_DATES[name])
    for location in (r.location_sjpd, r.location_kcpd):
        m.Location.objects.filter(pk=location.pk).update(address="1400 Frederick Avenue", county="Buchanan")
        secrets += [location.venue_name, "1400 Frederick Avenue", "Buchanan"]
    m.CustodyHandoff.objects.update(place="Room 12, Eastside Motel")
    secrets += ["Room 12", "Eastside Motel"]
    for event in (r.court_event_sjpd, r.court_event_kcpd):
        event.refresh_from_db()
        secrets += [event.court, "Division 3"]
    m.CourtEvent.objects.update(courtroom="Division 3")
    return [s for s in secrets if s]


def _every_kind_due(world):
    """Make every rule fire at one moment; returns the moment."""
    r, a, u = world.records, world.agencies, world.users
    hal = f.UserFactory(username="supervisor_hal", first_name="Hal", last_name="Tester", email="hal@agency.example.org")
    f.MembershipFactory(user=hal, agency=a.harbor, role=Role.SUPERVISOR)
    now = r.referral_sjpd.sent_at + timedelta(hours=73)  # both referral stages
    f.ServiceOfferFactory(  # declined eight days ago: a follow-up is due
        contact=None,
        referral=r.referral_sjpd,
        person=r.victim_sjpd.person,
        service_type=r.food,
        offered_by=a.harbor,
        offered_at=now - timedelta(days=8),
        response=m.OfferResponse.DECLINED,
    )
    m.CourtEvent.objects.filter(pk=r.court_event_sjpd.pk).update(scheduled_at=now + timedelta(days=5))
    m.CourtEvent.objects.filter(pk=r.court_event_kcpd.pk).update(scheduled_at=now + timedelta(hours=12))
    actions.transition_relief(
        u.officer_sjpd, r.relief_sjpd, "grant", expires_on=timezone.localdate() + timedelta(days=30)
    )
    old = timezone.localdate() - timedelta(days=40)
    m.ReliefRequest.objects.filter(pk=r.relief_kcpd.pk).update(
        requested_on=old, consent_date=old, answer_due_on=old + timedelta(days=30)
    )
    return now


def test_no_personal_data_in_any_email_or_notification_of_any_kind(world, client):
    secrets = _give_everyone_details(world)
    now = _every_kind_due(world)
    for user in world.users.__dict__.values():
        if user.username != "nobody_ned":
            user.email = f"{user.username}@agency.example.org"
            user.save(update_fields=["email"])
    result = delivery.run(now)
    assert result.ran and result.sent.failed == 0

    notifications = list(Notification.objects.select_related("recipient"))
    assert {n.kind for n in notifications} == set(Kind.values), "every kind must be tested"
    assert len(mail.outbox) == len({n.recipient_id for n in notifications})
    bodies = [message.body for message in mail.outbox]
    for kind in Kind.values:
        assert any(COUNTED[kind][0] in body or COUNTED[kind][1] in body for body in bodies), kind

    shown = [message.subject for message in mail.outbox] + bodies
    shown += [n.text for n in notifications] + [n.get_kind_display() for n in notifications]
    for recipient in {n.recipient for n in notifications}:
        client.force_login(recipient)
        page = client.get("/notifications/")
        assert page.status_code == 200
        # What the list prints of each notification (the page header names the signed-in user).
        shown.append(page.content.decode().split('id="main-content"', 1)[1])
        shown.append(client.get("/api/v1/notifications/").content.decode())
    leaks = sorted({secret for secret in secrets for text in shown if secret.lower() in text.lower()})
    assert not leaks, f"personal data in notifications: {leaks}"


def test_the_check_finds_a_name_when_one_is_there(world):
    """The test above can fail: a sentence naming the person is caught."""
    secrets = _give_everyone_details(world)
    text = SENTENCES[Kind.REFERRAL_TO_ACKNOWLEDGE] + " " + world.records.victim_sjpd.person.legal_name
    assert any(secret.lower() in text.lower() for secret in secrets)
