"""The API tokens page: the officer lists, makes and revokes their own tokens in the browser."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apitokens.models import ApiToken

PAGE = reverse("apitokens:list")


def _works(key) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/agencies/").status_code == 200


def test_the_page_lists_name_made_expiry_and_last_use(world, client):
    user = world.users.officer_sjpd
    token, key = ApiToken.objects.create(user=user, name="Grant report script", expiry=timedelta(days=90))
    ApiToken.objects.create(user=world.users.officer_kcpd, name="Kansas City export")
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert "Grant report script" in page and "Kansas City export" not in page
    assert timezone.localtime(token.expiry).strftime("%Y") in page and "Not yet used" in page
    assert key not in page and token.digest not in page
    assert _works(key)
    assert "Not yet used" not in client.get(PAGE).content.decode()


def test_a_new_token_is_shown_once(world, client):
    client.force_login(world.users.officer_sjpd)
    made = client.post(PAGE, {"name": "Grant report script"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    key = made.context["secret"]
    assert key in made.content.decode() and _works(key)
    assert key not in client.get(PAGE).content.decode()
    assert ApiToken.objects.get().name == "Grant report script"


def test_a_token_needs_a_name(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(PAGE, {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_one_token_leaves_the_others(world, client):
    user = world.users.officer_sjpd
    script, script_key = ApiToken.objects.create(user=user, name="Script")
    _, other_key = ApiToken.objects.create(user=user, name="Other")
    client.force_login(user)
    response = client.post(reverse("apitokens:revoke", kwargs={"pk": script.pk}), follow=True)
    assert "The API token “Script” is revoked" in response.content.decode()
    assert not _works(script_key) and _works(other_key)


def test_another_users_token_cannot_be_revoked(world, client):
    token, key = ApiToken.objects.create(user=world.users.officer_kcpd, name="Kansas City export")
    client.force_login(world.users.officer_sjpd)
    assert client.post(reverse("apitokens:revoke", kwargs={"pk": token.pk})).status_code == 404
    assert _works(key)


def test_the_admin_can_revoke_but_not_make_a_token(world, admin_client):
    token, _ = ApiToken.objects.create(user=world.users.officer_sjpd, name="Script")
    assert admin_client.get(reverse("admin:apitokens_apitoken_add")).status_code == 403
    change = admin_client.get(reverse("admin:apitokens_apitoken_change", args=[token.pk]))
    assert change.status_code == 200 and token.digest not in change.content.decode()
    admin_client.post(reverse("admin:apitokens_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert not ApiToken.objects.exists()
