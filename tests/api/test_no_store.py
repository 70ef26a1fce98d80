"""Answers to a signed-in user carry `Cache-Control: no-store`: pages, API replies, downloads, errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apitokens.models import ApiToken


def assert_no_store(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, (response.status_code, response.get("Cache-Control"))
    assert not any(d.startswith(("max-age", "s-maxage", "public")) for d in directives), directives


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/people/",
        "/reports/",
        "/audit/",
        "/no-such-page/",
        "/api/v1/people/",
        "/api/v1/people/?format=csv",
        "/api/v1/reports/summary/",
        "/api/v1/no-such-thing/",
    ],
)
def test_every_signed_in_page_and_api_reply_is_no_store(world, client, url):
    client.force_login(world.users.coordinator)
    assert_no_store(client.get(url))


def test_api_replies_to_a_token_are_no_store(world):
    _token, key = ApiToken.objects.create(user=world.users.officer_sjpd, name="Test")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    person = world.records.victim_sjpd.person
    for response in (
        client.get(f"/api/v1/people/{person.pk}/"),
        client.get("/api/v1/people/999999/"),
        client.patch(f"/api/v1/people/{person.pk}/", {"languages": "x"}, format="json"),
    ):
        assert_no_store(response)


def test_the_agency_directory_may_still_be_kept_by_the_browser(world, client):
    client.force_login(world.users.advocate_harbor)
    cache_control = client.get(reverse("web:agency_suggestions"))["Cache-Control"]
    assert "private" in cache_control and "max-age=600" in cache_control and "no-store" not in cache_control


def test_static_files_stay_cacheable_for_a_signed_in_user(world, client):
    client.force_login(world.users.coordinator)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "") and "max-age" in response["Cache-Control"]
