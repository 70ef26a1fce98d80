"""Every answer of the API is JSON, errors included: no 500 HTML page for any body or method."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from cases.api import errors


def _broken(request):
    raise RuntimeError("boom: Dana Invented")


def _reads_body(request):
    return errors.JsonResponse({"size": len(request.body)})


urlpatterns = [path("api/broken/", _broken), path("api/body/", _reads_body), path("broken/", _broken)]
handler400, handler404, handler500 = errors.bad_request, errors.not_found, errors.server_error


def assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    return json.loads(response.content)


REPORTS = ["/api/v1/reports/summary/", "/api/v1/reports/performance-measures/", "/api/v1/reports/operations/{op}/"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("report", REPORTS)
def test_options_of_a_report_download_is_json(world, api, report, fmt):
    url = report.format(op=world.records.op_sjpd.pk) + f"?format={fmt}"
    body = assert_json(api(world.users.coordinator).options(url), 200)
    assert body["name"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_options_of_a_list_download_is_json(world, api, fmt):
    assert assert_json(api(world.users.coordinator).options(f"/api/v1/people/?format={fmt}"), 200)["name"]


def test_a_hundred_thousand_nested_brackets_are_a_json_400(world, api):
    client = api(world.users.officer_sjpd)
    response = client.generic("POST", "/api/v1/people/", "[" * 100_000, content_type="application/json")
    assert "nested too deeply" in assert_json(response, 400)["detail"]


def test_a_body_nested_past_the_limit_is_refused_and_a_shallow_one_is_read(world, api):
    client = api(world.users.officer_sjpd)
    deep = {"legal_name": "Alex Invented", "languages": "English"}
    for _ in range(40):
        deep = {"legal_name": deep}
    assert "nested too deeply" in assert_json(client.post("/api/v1/people/", deep, format="json"), 400)["detail"]
    shallow = client.post("/api/v1/people/", {"legal_name": [[["Alex Invented"]]]}, format="json")
    assert "legal_name" in assert_json(shallow, 400)


def test_an_oversized_body_is_a_json_413_and_saves_nothing(world, api):
    from cases.models import Person

    before = Person.objects.count()
    body = json.dumps({"legal_name": "Alex Invented", "aliases": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = api(world.users.officer_sjpd).generic("POST", "/api/v1/people/", body, content_type="application/json")
    assert "larger than" in assert_json(response, 413)["detail"]
    assert Person.objects.count() == before


def test_an_unknown_address_under_api_is_a_json_404(world, client):
    client.force_login(world.users.coordinator)
    for url in ("/api/v2/people/", "/api/", "/api/v1/people/12/no-such-action/"):
        assert assert_json(client.get(url), 404) == {"detail": "Not found."}
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.usefixtures("world")  # the module's other tests share one world (tests/conftest.py)
def test_a_server_error_under_api_is_json_with_a_reference_only():
    client = Client(raise_request_exception=False)
    body = assert_json(client.get("/api/broken/"), 500)
    assert "Dana" not in body["detail"] and "Traceback" not in body["detail"]
    assert body["detail"].endswith("if you report it.")
    assert client.get("/broken/")["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__, DATA_UPLOAD_MAX_MEMORY_SIZE=100)
@pytest.mark.usefixtures("world")
def test_a_body_django_refuses_under_api_is_a_json_413():
    client = Client(raise_request_exception=False)
    response = client.post("/api/body/", "x" * 101, content_type="application/octet-stream")
    assert_json(response, 413)
    assert assert_json(client.post("/api/body/", "x" * 99, content_type="application/octet-stream"), 200) == {
        "size": 99
    }


# --- query values are read strictly (found by schemathesis) ----------------------------------


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/detentions/?pending=365.25", "pending"),
        ("/api/v1/service-types/indicators/?active=", "active"),
        ("/api/v1/service-types/indicators/?category=", "category"),
        ("/api/v1/contacts/?person=", "person"),
    ],
)
def test_a_filter_value_the_schema_does_not_allow_is_400_not_ignored(world, api, url, field):
    assert field in assert_json(api(world.users.coordinator).get(url), 400)


def test_true_false_and_an_empty_search_still_filter(world, api):
    client = api(world.users.coordinator)
    assert assert_json(client.get("/api/v1/detentions/?pending=false"), 200)["results"]
    assert assert_json(client.get("/api/v1/detentions/?pending=True"), 200)["results"] == []
    assert assert_json(client.get("/api/v1/agencies/?q="), 200)["results"]


@pytest.mark.parametrize("fmt", ["pdf", ""])
@pytest.mark.parametrize("method", ["post", "get"])
def test_an_unknown_or_empty_format_is_a_400_on_every_method(world, api, method, fmt):
    client = api(world.users.coordinator)
    body = {"name": "x"} if method == "post" else None
    response = getattr(client, method)(f"/api/v1/agencies/?format={fmt}", body, format="json")
    assert "format" in assert_json(response, 400)
    assert "format" in assert_json(client.get(f"/api/v1/reports/summary/?format={fmt}"), 400)
