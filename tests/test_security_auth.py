"""Sign-in controls: lock-out, idle sessions, two-step sign-in, loss of access, passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIRequestFactory

from apitokens.models import ApiToken
from audit import enrolment
from audit.authentication import MembershipTokenAuthentication
from audit.middleware import IdleSessionMiddleware
from audit.models import AccessLog, Action

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- lock-out -------------------------------------------------------------------------


def test_lockout_at_fifth_failure(world, client):
    username = world.users.officer_sjpd.username
    for attempt in range(1, 5):
        response = sign_in(client, username, "wrong-password-123")
        assert response.status_code == 200, attempt  # the form again, with an error
    assert AccessLog.objects.filter(action=Action.LOGIN_FAILED, username=username).count() == 4
    fifth = sign_in(client, username, "wrong-password-123")
    assert fifth.status_code == 429
    assert b"Sign-in is locked for now" in fifth.content
    # Even the right password is refused while locked.
    assert sign_in(client, username).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessLog.objects.filter(action=Action.LOCKOUT, username=username).exists()


def test_lockout_is_per_username_and_released_by_admin(world, client):
    username = world.users.officer_sjpd.username
    for _ in range(5):
        sign_in(client, username, "wrong-password-123")
    # Another account from the same address is not locked.
    assert sign_in(client, world.users.officer_kcpd.username).status_code == 302
    client.logout()
    AccessAttempt.objects.filter(username=username).delete()  # what the admin's delete does
    assert AccessLog.objects.filter(action=Action.LOCKOUT_RELEASED, username=username).exists()
    assert sign_in(client, username).status_code == 302


def test_failures_older_than_cooloff_do_not_count(world, client):
    username = world.users.officer_sjpd.username
    for _ in range(4):
        sign_in(client, username, "wrong-password-123")
    AccessAttempt.objects.filter(username=username).update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, username, "wrong-password-123").status_code == 200
    assert sign_in(client, username).status_code == 302


def test_sign_in_and_out_are_logged(world, client):
    user = world.users.officer_sjpd
    assert sign_in(client, user.username).status_code == 302
    client.post(reverse("logout"))
    assert AccessLog.objects.filter(action=Action.LOGIN, user=user, agency=world.agencies.sjpd).exists()
    assert AccessLog.objects.filter(action=Action.LOGOUT, user=user).exists()


def test_sign_in_adds_no_user_history_row(world, client):
    user = world.users.officer_sjpd
    before = user.history.count()
    sign_in(client, user.username)
    assert user.history.count() == before


# --- idle sessions ----------------------------------------------------------------------


def test_session_idle_limit_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The session is saved by IdleSessionMiddleware, at most once a minute, right after SessionMiddleware.
    sessions = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert settings.MIDDLEWARE[sessions + 1] == "audit.middleware.IdleSessionMiddleware"


def test_activity_pushes_the_idle_limit_ahead_at_most_once_a_minute(world, client):
    sign_in(client, world.users.officer_sjpd.username)
    home = reverse("web:home")
    client.get(home)
    key = client.session.session_key
    saved = Session.objects.get(session_key=key).expire_date
    # Within the minute: the request does not write the session again.
    Session.objects.filter(session_key=key).update(expire_date=saved - timedelta(seconds=30))
    client.get(home)
    assert Session.objects.get(session_key=key).expire_date == saved - timedelta(seconds=30)
    # Its last save is a minute old: the next request moves the end 30 minutes ahead again.
    session = client.session
    session[IdleSessionMiddleware.KEY] -= IdleSessionMiddleware.EVERY_SECONDS
    session.save()
    client.get(home)
    moved = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < moved <= timedelta(minutes=30)


def test_api_requests_with_a_token_make_no_session(world, client):
    _, key = ApiToken.objects.create(user=world.users.officer_sjpd, name="Nightly export")
    before = Session.objects.count()
    response = client.get("/api/v1/operations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.count() == before


def test_session_ends_after_thirty_idle_minutes(world, client):
    user = world.users.officer_sjpd
    sign_in(client, user.username)
    home = reverse("web:home")
    assert client.get(home).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes the end 30 minutes ahead.
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)
    # 31 minutes idle: the session has expired and the user must sign in again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(home)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_logout_ends_session(world, client):
    sign_in(client, world.users.officer_sjpd.username)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


# --- two-step sign-in ------------------------------------------------------------------------


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(REQUIRE_MFA=True)
def test_mfa_required_sends_new_user_to_enrolment(world, client):
    sign_in(client, world.users.officer_sjpd.username)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("audit:mfa-setup"))
    assert client.get("/api/v1/people/").status_code == 403


@override_settings(REQUIRE_MFA=True)
def test_mfa_enrolment_then_verification(world, client):
    user = world.users.officer_sjpd
    code = enrolment.issue(None, world.users.supervisor_sjpd, user)
    sign_in(client, user.username)
    client.post(reverse("audit:mfa-setup"), {"code": code})
    page = client.get(reverse("audit:mfa-setup"))
    assert page.status_code == 200 and page.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("audit:mfa-setup"), {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    done = client.post(reverse("audit:mfa-setup"), {"token": _code(device), "next": "/"})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get(reverse("web:home")).status_code == 200
    assert AccessLog.objects.filter(action=Action.MFA_ENROLLED, user=user).exists()

    # A new sign-in needs the code again.
    client.post(reverse("logout"))
    sign_in(client, user.username)
    response = client.get(reverse("web:home"))
    assert response.url.startswith(reverse("audit:mfa-verify"))
    assert client.post(reverse("audit:mfa-verify"), {"token": "999999"}).status_code == 200
    assert client.get(reverse("web:home")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # the enrolment code may still be the current one
    device.save()
    ok = client.post(reverse("audit:mfa-verify"), {"token": _code(device), "next": reverse("web:home")})
    assert ok.status_code == 302 and ok.url == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    assert AccessLog.objects.filter(action=Action.MFA_FAILED, user=user).exists()


@override_settings(REQUIRE_MFA=True)
def test_recovery_code_works_once(world, client):
    user = world.users.officer_sjpd
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    device.token_set.create(token="abcd1234")
    sign_in(client, user.username)
    assert client.post(reverse("audit:mfa-verify"), {"token": "abcd1234"}).status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, user.username)
    client.post(reverse("audit:mfa-verify"), {"token": "abcd1234"})
    assert client.get(reverse("web:home")).status_code == 302


def test_mfa_off_in_tests_and_on_by_default_in_production():
    assert settings.REQUIRE_MFA is False
    import subprocess
    import sys

    code = "import django, os; django.setup(); from django.conf import settings; print(settings.REQUIRE_MFA)"
    env = {
        "TASKFORCE_MODE": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "DJANGO_SETTINGS_MODULE": "taskforce.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    assert out.stdout.strip() == "True"


def test_admin_reset_of_devices_is_logged(world, admin_client):
    user = world.users.officer_sjpd
    device = TOTPDevice.objects.create(user=user, name="Authenticator app")
    response = admin_client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AccessLog.objects.filter(action=Action.MFA_RESET, object_id=str(user.pk)).exists()


# --- loss of access -------------------------------------------------------------------------


def test_disabled_user_session_is_rejected(world, client):
    user = world.users.officer_sjpd
    client.force_login(user)
    assert client.get(reverse("web:home")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_ended_membership_ends_session_at_once(world, client):
    user = world.users.officer_sjpd
    client.force_login(user)
    assert client.get(reverse("web:home")).status_code == 200
    user.memberships.update(active=False)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AccessLog.objects.filter(action=Action.SESSION_ENDED, user=user).exists()


def test_superuser_without_membership_keeps_admin(world, admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200


def _token_auth(key):
    request = APIRequestFactory().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}")
    return MembershipTokenAuthentication().authenticate(request)


def test_token_of_disabled_user_or_ended_membership_is_rejected(world):
    user = world.users.officer_sjpd
    _, token = ApiToken.objects.create(user=user, name="Nightly export")
    assert _token_auth(token)[0] == user
    user.memberships.update(
        end_date=timezone.localdate() - timedelta(days=1), start_date=timezone.localdate() - timedelta(days=30)
    )
    with pytest.raises(AuthenticationFailed):
        _token_auth(token)
    assert AccessLog.objects.filter(action=Action.TOKEN_REFUSED, user=user).exists()
    other = world.users.officer_kcpd
    _, other_token = ApiToken.objects.create(user=other, name="Nightly export")
    other.is_active = False
    other.save()
    with pytest.raises(AuthenticationFailed):
        _token_auth(other_token)


def test_api_uses_the_membership_token_check(world, client):
    user = world.users.officer_sjpd
    _, key = ApiToken.objects.create(user=user, name="Nightly export")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get("/api/v1/people/", **auth).status_code == 200
    user.memberships.update(active=False)
    assert client.get("/api/v1/people/", **auth).status_code in (401, 403)


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Short-1x", "password1234", "123456789012345", "officer_sam_2026"])
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.users.officer_sjpd)


def test_good_password_is_accepted(world):
    validate_password("violet-ferry-lantern-42", user=world.users.officer_sjpd)


def test_no_one_adds_or_edits_someone_elses_authenticator_in_the_admin(world, admin_client):
    """A device added by an administrator would be a second factor the administrator holds."""
    device = TOTPDevice.objects.create(user=world.users.officer_sjpd, name="Authenticator app")
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert admin_client.get(reverse("admin:otp_static_staticdevice_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        {"user": world.users.officer_sjpd.pk, "name": "Mine now", "key": "00" * 20},
    )
    assert change.status_code == 403
    device.refresh_from_db()
    assert device.name == "Authenticator app"
    # Django's groups are not offered at all: the access policy, not groups, decides.
    assert admin_client.get("/admin/auth/group/").status_code == 404
