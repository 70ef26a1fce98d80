"""Two-step enrolment needs a one-time code from an administrator or the user's supervisor.

The password alone used to be enough to put one's own authenticator on an account that
had none. Now the enrolment page asks first for a code issued in the admin (or on the
server), valid once and for 72 hours, logged, and never stored in clear.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import EnrolmentCode
from audit import enrolment
from audit.models import AccessLog, Action
from cases import access

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory
SETUP = "audit:mfa-setup"


def sign_in(client, user):
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302


def totp_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- the password alone does not enrol ---------------------------------------------------


@override_settings(REQUIRE_MFA=True)
def test_the_password_alone_shows_no_authenticator_secret(world, client):
    user = world.users.officer_sjpd
    sign_in(client, user)
    page = client.get(reverse(SETUP))
    assert page.status_code == 200
    assert "qr" not in page.context and "secret" not in page.context
    assert "enrolment code" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    # A 6-digit code posted straight away is taken as a (wrong) enrolment code: nothing is enrolled.
    client.post(reverse(SETUP), {"token": "123456", "code": "123456"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("web:home")).status_code == 302
    assert AccessLog.objects.filter(action=Action.ENROLMENT_FAILED, user=user).exists()


@override_settings(REQUIRE_MFA=True)
def test_a_supervisors_code_lets_the_officer_enrol_once(world, client):
    user = world.users.officer_sjpd
    code = enrolment.issue(None, world.users.supervisor_sjpd, user)
    sign_in(client, user)
    # Typed in lower case with spaces: still the same code.
    client.post(reverse(SETUP), {"code": code.lower().replace("-", " ")})
    page = client.get(reverse(SETUP))
    assert page.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse(SETUP), {"token": totp_code(device), "next": "/"})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get(reverse("web:home")).status_code == 200
    issued = EnrolmentCode.objects.get(user=user)
    assert issued.used_at is not None and issued.issued_by == world.users.supervisor_sjpd
    assert AccessLog.objects.filter(action=Action.MFA_ENROLLED, user=user).exists()
    # Spent: after an admin reset of the device the same code no longer opens enrolment.
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    client.post(reverse("logout"))
    sign_in(client, user)
    client.post(reverse(SETUP), {"code": code})
    assert "qr" not in client.get(reverse(SETUP)).context


@override_settings(REQUIRE_MFA=True)
def test_an_expired_or_replaced_code_does_not_open_enrolment(world, client):
    user = world.users.officer_sjpd
    old = enrolment.issue(None, world.users.coordinator, user)
    newer = enrolment.issue(None, world.users.coordinator, user)
    sign_in(client, user)
    client.post(reverse(SETUP), {"code": old})
    assert "qr" not in client.get(reverse(SETUP)).context
    EnrolmentCode.objects.filter(withdrawn_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1), issued_at=timezone.now() - timedelta(hours=72, minutes=1)
    )
    client.post(reverse(SETUP), {"code": newer})
    assert "qr" not in client.get(reverse(SETUP)).context


def test_a_code_is_kept_only_as_a_hash_and_expires_in_72_hours(world):
    user = world.users.officer_sjpd
    code = enrolment.issue(None, world.users.supervisor_sjpd, user)
    row = EnrolmentCode.objects.get(user=user)
    assert code not in row.code_hash and code.replace("-", "") not in row.code_hash
    assert row.expires_at - row.issued_at == timedelta(hours=72)
    log = AccessLog.objects.get(action=Action.ENROLMENT_ISSUED)
    assert log.user == world.users.supervisor_sjpd and log.object_id == str(user.pk)
    assert code not in log.detail


# --- who may issue ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "issuer,target,allowed",
    [
        ("supervisor_sjpd", "officer_sjpd", True),
        ("supervisor_sjpd", "auditor_sjpd", True),
        ("supervisor_sjpd", "officer_kcpd", False),  # another agency's officer
        ("supervisor_sjpd", "supervisor_sjpd", False),  # not oneself
        ("coordinator", "officer_kcpd", True),
        ("coordinator", "supervisor_sjpd", True),
        ("officer_sjpd", "officer_sjpd", False),
        ("officer_sjpd", "auditor_sjpd", False),
        ("tf_auditor", "officer_sjpd", False),
        ("nobody", "officer_sjpd", False),
    ],
)
def test_who_may_issue_an_enrolment_code(world, issuer, target, allowed):
    assert access.can(getattr(world.users, issuer), "user.issue_enrolment", getattr(world.users, target)) is allowed


def test_only_a_superuser_issues_a_code_for_a_superuser(world, django_user_model):
    root = django_user_model.objects.create_superuser("root_rita", "", "a-long-enough-pass-9")
    assert not access.can(world.users.coordinator, "user.issue_enrolment", root)
    assert access.can(root, "user.issue_enrolment", world.users.coordinator)


# --- the admin: reset two-step sign-in ------------------------------------------------------


def _reset(client, *users):
    return client.post(
        reverse("admin:agencies_user_changelist"),
        {
            "action": "reset_two_step",
            "_selected_action": [u.pk for u in users],
            "confirm_reset": "yes",
        },
    )


def _staff(world, *personas):
    for persona in personas:
        user = getattr(world.users, persona)
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def test_admin_reset_removes_the_devices_and_shows_a_new_code_once(world, client):
    _staff(world, "coordinator")
    user = world.users.officer_kcpd
    TOTPDevice.objects.create(user=user, name="Authenticator app")
    StaticDevice.objects.create(user=user, name="Recovery codes")
    earlier = enrolment.issue(None, world.users.coordinator, user)
    client.force_login(world.users.coordinator)
    confirm = client.post(
        reverse("admin:agencies_user_changelist"), {"action": "reset_two_step", "_selected_action": [user.pk]}
    )
    assert confirm.status_code == 200 and TOTPDevice.objects.filter(user=user).exists()  # asks first
    response = _reset(client, user)
    assert response.status_code == 200
    [(shown_user, code)] = response.context["issued"]
    assert shown_user == user and code in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    assert AccessLog.objects.filter(action=Action.MFA_RESET, object_id=str(user.pk)).exists()
    assert enrolment.matching(user, code) is not None
    assert enrolment.matching(user, earlier) is None  # replaced
    # The list of codes shows when and by whom, never the code.
    listing = client.get(reverse("admin:agencies_enrolmentcode_changelist"))
    assert listing.status_code == 200 and code not in listing.content.decode()


def test_a_supervisor_resets_its_own_staff_only(world, client):
    _staff(world, "supervisor_sjpd")
    client.force_login(world.users.supervisor_sjpd)
    response = _reset(client, world.users.officer_sjpd)
    assert [u for u, _ in response.context["issued"]] == [world.users.officer_sjpd]
    # Another agency's officer is not even in the supervisor's list of users: nothing is issued.
    _reset(client, world.users.officer_kcpd)
    assert not EnrolmentCode.objects.filter(user=world.users.officer_kcpd).exists()
    # The supervisor's list of codes holds its own agency's only.
    enrolment.issue(None, world.users.coordinator, world.users.officer_kcpd)
    listed = client.get(reverse("admin:agencies_enrolmentcode_changelist")).context["cl"].result_list
    assert {c.user for c in listed} == {world.users.officer_sjpd}


def test_an_officer_cannot_reset_anyone(world, client):
    _staff(world, "officer_sjpd")
    client.force_login(world.users.officer_sjpd)
    assert _reset(client, world.users.officer_sjpd).status_code == 403
    assert client.get(reverse("admin:agencies_enrolmentcode_changelist")).status_code == 403
    assert not EnrolmentCode.objects.exists()


def test_the_first_administrator_gets_a_code_on_the_server(world):
    out = StringIO()
    call_command("issue_enrolment_code", world.users.coordinator.username, stdout=out)
    code = out.getvalue().split(": ", 1)[1].split()[0]
    assert enrolment.matching(world.users.coordinator, code) is not None
    assert EnrolmentCode.objects.get().issued_by is None
    assert AccessLog.objects.filter(action=Action.ENROLMENT_ISSUED, object_id=str(world.users.coordinator.pk)).exists()
