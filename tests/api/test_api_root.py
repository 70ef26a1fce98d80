"""/api/v1/ itself: JSON naming every endpoint for programs, a page with a title and a language for browsers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.api.urls import router

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ROOT = "/api/v1/"


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_a_program_gets_json_naming_every_list(world, api, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api(world.users.officer_sjpd).get(ROOT, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    for prefix, _, basename in router.registry:
        assert body[prefix] == f"http://testserver{reverse(f'api:{basename}-list')}"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["reports/summary"] == "http://testserver/api/v1/reports/summary/"


def test_a_program_signed_in_with_a_token_gets_json(world):
    from apitokens.models import ApiToken

    _, key = ApiToken.objects.create(user=world.users.officer_sjpd, name="Grant report script")
    response = Client().get(ROOT, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert "operations" in response.json()


def test_a_browser_gets_a_page_with_title_language_and_the_list(world):
    response = _session(world.users.officer_sjpd).get(ROOT, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<title>API — Task-force case tracker</title>" in html
    assert "<h1>Task-force case tracker API</h1>" in html
    for _, _, basename in router.registry:
        assert f'href="{reverse(f"api:{basename}-list")}"' in html
    assert "/api/v1/reports/operations/&lt;id&gt;/" in html
    assert 'aria-label="Your account"' in html  # a page of the staff site, with its top bar and menu


def test_signed_out_a_program_is_refused_in_json_and_a_browser_sent_to_sign_in(world):
    program = Client().get(ROOT)
    assert program.status_code in (401, 403)
    assert program["Content-Type"] == "application/json"
    browser = Client().get(ROOT, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert browser.status_code == 302
    assert browser["Location"] == f"{reverse('login')}?next={ROOT}"


def test_a_user_without_membership_is_refused(world, api):
    response = api(world.users.nobody).get(ROOT)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_an_unknown_address_under_the_api_is_still_a_json_404(world, api):
    response = api(world.users.officer_sjpd).get("/api/v1/no-such-thing/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
