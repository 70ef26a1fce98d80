"""API tokens (issue 11): hashed, expiring, several named ones per user, each revocable,
made only from a browser session that passed the second factor, never with a token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from apitokens.models import ApiToken
from audit.models import AccessLog, Action
from tests.test_security_auth import sign_in

LIST = "/api/v1/auth/tokens/"


def _token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _make(client, name="Grant report script"):
    response = client.post(LIST, {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_user_holds_several_named_tokens_and_revokes_each(world, api):
    session = api(world.users.officer_sjpd)
    first = _make(session, "Grant report script")
    second = _make(session, "Data-quality check")
    listed = session.get(LIST).json()
    assert {row["name"] for row in listed} == {"Grant report script", "Data-quality check"}
    assert all("key" not in row for row in listed)
    assert {row["key_hint"] for row in listed} == {first["key"][:8], second["key"][:8]}
    for key in (first["key"], second["key"]):
        assert _token_client(key).get("/api/v1/operations/").status_code == 200

    assert session.delete(f"{LIST}{first['id']}/").status_code == 204
    assert _token_client(first["key"]).get("/api/v1/operations/").status_code in (401, 403)
    assert _token_client(second["key"]).get("/api/v1/operations/").status_code == 200
    assert [row["name"] for row in session.get(LIST).json()] == ["Data-quality check"]


def test_only_a_hash_of_the_secret_is_stored(world, api):
    key = _make(api(world.users.officer_sjpd))["key"]
    token = ApiToken.objects.get()
    assert token.digest != key and len(token.digest) == 128
    assert key.startswith(token.token_key) and len(token.token_key) < len(key) // 2
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert not any(key in value for value in stored)


def test_a_token_expires_after_ninety_days_by_default(world, api):
    made = _make(api(world.users.officer_sjpd))
    expiry = ApiToken.objects.get(pk=made["id"]).expiry
    assert timedelta(days=89, hours=23) < expiry - timezone.now() <= timedelta(days=90)
    with override_settings(API_TOKEN_DAYS=7):
        short = _make(api(world.users.officer_sjpd), "Short-lived")
    assert ApiToken.objects.get(pk=short["id"]).expiry - timezone.now() <= timedelta(days=7)


def test_an_expired_token_is_refused(world, api):
    made = _make(api(world.users.officer_sjpd))
    assert _token_client(made["key"]).get("/api/v1/operations/").status_code == 200
    ApiToken.objects.filter(pk=made["id"]).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _token_client(made["key"]).get("/api/v1/operations/").status_code in (401, 403)
    assert api(world.users.officer_sjpd).get(LIST).json() == []


def test_a_token_cannot_make_a_token(world, api):
    key = _make(api(world.users.officer_sjpd))["key"]
    response = _token_client(key).post(LIST, {"name": "Replacement"}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_token_revokes_itself_but_not_its_owners_other_tokens(world, api):
    session = api(world.users.officer_sjpd)
    script, other = _make(session, "Script"), _make(session, "Other")
    client = _token_client(script["key"])
    assert client.delete(f"{LIST}{other['id']}/").status_code == 403
    assert client.delete(f"{LIST}{script['id']}/").status_code == 204
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Other"]


def test_another_users_token_is_not_found(world, api):
    made = _make(api(world.users.officer_sjpd))
    assert api(world.users.coordinator).delete(f"{LIST}{made['id']}/").status_code == 404
    assert api(world.users.coordinator).get(LIST).json() == []
    assert ApiToken.objects.filter(pk=made["id"]).exists()


def test_last_use_is_recorded(world, api):
    made = _make(api(world.users.officer_sjpd))
    assert made["last_used"] is None
    _token_client(made["key"]).get("/api/v1/agencies/")
    used = api(world.users.officer_sjpd).get(LIST).json()[0]["last_used"]
    assert used is not None


def test_making_and_revoking_are_in_the_access_log(world, api):
    session = api(world.users.officer_sjpd)
    made = _make(session, "Grant report script")
    session.delete(f"{LIST}{made['id']}/")
    details = list(
        AccessLog.objects.filter(user=world.users.officer_sjpd, action=Action.USER_CHANGE)
        .order_by("at")
        .values_list("detail", flat=True)
    )
    assert details == [
        "Created an API token named “Grant report script”.",
        "Revoked the API token named “Grant report script”.",
    ]


@override_settings(REQUIRE_MFA=True)
def test_with_two_step_sign_in_only_a_verified_session_makes_a_token(world, client):
    user = world.users.officer_sjpd
    StaticDevice.objects.create(user=user, name="Recovery codes").token_set.create(token="abcd1234")
    sign_in(client, user.username)
    assert client.post(LIST, {"name": "Script"}, content_type="application/json").status_code == 403
    assert client.post(reverse("audit:mfa-verify"), {"token": "abcd1234"}).status_code == 302
    made = client.post(LIST, {"name": "Script"}, content_type="application/json")
    assert made.status_code == 201
    # The token works without any second factor of its own: it was made by a verified sign-in.
    assert _token_client(made.json()["key"]).get("/api/v1/operations/").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name(world, api, name):
    response = api(world.users.officer_sjpd).post(LIST, {"name": name}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
