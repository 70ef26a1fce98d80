"""The API refuses over-long texts and implausible dates with plain messages, and says so in its schema."""

from __future__ import annotations

import re

import pytest
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from agencies import limits
from cases import models as m
from cases.api import urls as _api_urls  # noqa: F401 (imports every serializer the API uses)
from cases.api.serializers.base import ScopedModelSerializer

from .conftest import if_match

# RFC 3339 section 5.6: the offset is Z or ±hh:mm, never seconds (the old LMT offsets were -05:50:36).
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _writable_serializers():
    seen, todo = [], list(ScopedModelSerializer.__subclasses__())
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo += cls.__subclasses__()
    return [cls for cls in seen if cls.add_action]


def _writable_model_fields(kinds):
    for cls in _writable_serializers():
        model = cls.Meta.model
        for name, field in cls().fields.items():
            if field.read_only:
                continue
            try:
                model_field = model._meta.get_field(field.source)
            except Exception:  # nested or computed fields
                continue
            if isinstance(model_field, kinds):
                yield pytest.param(field, model_field, id=f"{cls.__name__}.{name}")


WRITABLE_TEXTS = list(_writable_model_fields((models.CharField, models.TextField)))
WRITABLE_DATES = list(_writable_model_fields((models.DateField,)))


def test_the_tables_hold_every_writable_serializer():
    names = {cls.__name__ for cls in _writable_serializers()}
    assert {"OperationSerializer", "PersonSerializer", "ContactSerializer", "ReferralSerializer"} <= names
    assert len(WRITABLE_TEXTS) > 15 and len(WRITABLE_DATES) > 8


@pytest.mark.usefixtures("world")  # some serializers read the database; the module shares one world
@pytest.mark.parametrize("field, model_field", WRITABLE_TEXTS)
def test_every_writable_text_has_the_models_limit(field, model_field):
    if model_field.choices:
        assert isinstance(field, serializers.ChoiceField)  # a fixed list, each choice within the limit
        return
    assert field.max_length == model_field.max_length
    with pytest.raises(ValidationError) as caught:
        # Lines short enough for any per-line rule (aliases), too many of them for the field.
        field.run_validation(("x" * 99 + "\n") * (model_field.max_length // 100 + 1) + "x")
    assert f"no more than {model_field.max_length} characters" in " ".join(map(str, caught.value.detail))


@pytest.mark.parametrize("field, model_field", WRITABLE_DATES)
def test_every_writable_date_refuses_the_year_15_and_9999(field, model_field):
    for year in ("0015", "9999"):
        typed = f"{year}-01-01" if not isinstance(field, serializers.DateTimeField) else f"{year}-01-01T12:00:00Z"
        with pytest.raises(ValidationError) as caught:
            field.run_validation(typed)
        message = str(caught.value.detail[0])
        assert message.startswith(
            ("Enter a date between", "Enter a date of birth from", "The date of birth cannot be in")
        ), message


def test_an_operation_in_the_year_15_is_refused_and_valid_times_are_rfc_3339(world, api):
    client = api(world.users.officer_sjpd)
    body = {"name": "Operation Sundial", "kind": "sting", "starts_at": "0015-01-01T00:00:00Z"}
    refused = client.post("/api/v1/operations/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["starts_at"][0].startswith("Enter a date between January 1, 2000 and ")
    # The earliest time allowed, in the task force's time zone, comes back with an offset of hours and minutes.
    created = client.post("/api/v1/operations/", {**body, "starts_at": "2000-01-01T00:00:00-06:00"}, format="json")
    assert created.status_code == 201, created.json()
    data = client.get(f"/api/v1/operations/{created.json()['id']}/").json()
    for name in ("starts_at", "created_at", "updated_at"):
        assert RFC_3339.match(data[name]), (name, data[name])


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"summary": "s" * 2_000_000}, "summary", "Ensure this field has no more than 20000 characters."),
        ({"name": "n" * 10_000}, "name", "Ensure this field has no more than 200 characters."),
        ({"ends_at": "9999-12-31T00:00:00Z"}, "ends_at", "Enter a date between January 1, 2000 and "),
    ],
)
def test_an_operation_with_an_implausible_value_is_refused(world, api, body, field, message):
    base = {"name": "Operation Sundial", "kind": "sting", "starts_at": "2026-03-01T20:00:00Z"}
    response = api(world.users.officer_sjpd).post("/api/v1/operations/", {**base, **body}, format="json")
    assert response.status_code == 400
    assert response.json()[field][0].startswith(message)
    assert not m.Operation.objects.filter(name__startswith="Operation Sundial").exists()


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"date_of_birth": "1800-01-01"}, "date_of_birth", "Enter a date of birth from January 1, 1900 onwards."),
        ({"estimated_age": 121}, "estimated_age", "Enter an age between 0 and 120."),
        ({"aliases": "a" * 201}, "aliases", "Each alias can have at most 200 characters; put one alias per line."),
    ],
)
def test_a_person_with_an_implausible_value_is_refused(world, api, body, field, message):
    response = api(world.users.officer_sjpd).post(
        "/api/v1/people/", {"legal_name": "Avery Invented", **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not m.Person.objects.filter(legal_name="Avery Invented").exists()


def test_a_delivery_in_the_year_9999_is_refused(world, api):
    offer, client = world.records.offer_sjpd, api(world.users.officer_sjpd)
    url = f"/api/v1/service-offers/{offer.pk}/"
    response = client.patch(
        url, {"response": "accepted", "delivered_at": "9999-12-31T00:00:00Z"}, format="json", **if_match(client, url)
    )
    assert response.status_code == 400
    assert response.json()["delivered_at"][0].startswith("Enter a date between")
    offer.refresh_from_db()
    assert offer.delivered_at is None


def test_a_latitude_out_of_range_is_a_plain_400(world, api):
    client = api(world.users.officer_sjpd)
    operation = f"/api/v1/operations/{world.records.op_sjpd.pk}/"
    response = client.post(
        f"{operation}locations/",
        {"venue_name": "Northbelt Motel", "venue_type": "hotel", "latitude": "95"},
        format="json",
        **if_match(client, operation),
    )
    assert response.status_code == 400
    assert response.json() == {"latitude": ["Latitude must be between -90 and 90."]}


def test_an_over_long_void_reason_is_a_plain_400(world, api):
    offer, client = world.records.offer_sjpd, api(world.users.supervisor_sjpd)
    url = f"/api/v1/service-offers/{offer.pk}/"
    response = client.post(f"{url}void/", {"reason": "v" * 2_001}, format="json", **if_match(client, url))
    assert response.status_code == 400
    assert "at most 2000 characters" in str(response.json())
    offer.refresh_from_db()
    assert not offer.is_voided


def test_the_schema_gives_every_limit(world, api):
    schema = api(world.users.officer_sjpd).get("/api/v1/schema/", {"format": "json"}).json()
    parts = schema["components"]["schemas"]
    assert parts["Operation"]["properties"]["summary"]["maxLength"] == limits.NARRATIVE
    assert parts["Operation"]["properties"]["name"]["maxLength"] == limits.NAME
    assert parts["Person"]["properties"]["aliases"]["maxLength"] == limits.ALIASES
    assert parts["Contact"]["properties"]["narrative"]["maxLength"] == limits.NARRATIVE
    assert parts["ReferralReasonRequest"]["properties"]["reason"]["maxLength"] == limits.SHORT_TEXT
