"""The pages refuse over-long texts and implausible dates on the field, in plain words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.forms.operations import OperationForm
from cases.models import Contact, Location, Operation, Person


def _plan_data(**extra):
    data = {
        "name": "Operation Lantern",
        "kind": "sting",
        "trafficking_type": "sex",
        "starts_at": "2026-03-01T20:00",
        "expected_genders": "female",
    }
    data.update(extra)
    return data


def _limited_fields():
    for name in OperationForm._meta.fields:
        field = Operation._meta.get_field(name)
        if getattr(field, "max_length", None) and not field.choices:
            yield pytest.param(name, field.max_length, id=name)


@pytest.mark.parametrize("name, limit", list(_limited_fields()))
def test_the_operation_form_refuses_each_over_long_text_on_its_field(world, client, name, limit):
    client.force_login(world.users.coordinator)
    response = client.post(reverse("web:operation_create"), _plan_data(**{name: "x" * (limit + 1)}))
    assert response.status_code == 200
    assert f"at most {limit} characters" in " ".join(response.context["form"].errors[name])
    assert Operation.objects.count() == 2


@pytest.mark.parametrize("typed", ["0015-01-01T00:00", "1800-06-01T10:00", "9999-12-31T23:00"])
def test_the_operation_form_refuses_an_implausible_start(world, client, typed):
    client.force_login(world.users.officer_sjpd)
    response = client.post(reverse("web:operation_create"), _plan_data(starts_at=typed))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["starts_at"])
    assert errors.startswith("Enter a date between January 1, 2000 and ")
    assert Operation.objects.count() == 2


def test_a_new_persons_birth_date_in_1800_is_refused_and_nothing_saved(world, client):
    client.force_login(world.users.officer_sjpd)
    data = {
        "operation": world.records.op_sjpd.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "role": "potential_victim",
        "outcome": "offered_services",
        "new-legal_name": "Avery Invented",
        "new-date_of_birth": "1800-01-01",
        "new-gender": "female",
        "new-citizenship": "unknown",
    }
    contacts = Contact.objects.count()
    response = client.post(reverse("web:contact_create"), data)
    assert response.status_code == 200
    assert response.context["person_form"].errors["date_of_birth"] == [
        "Enter a date of birth from January 1, 1900 onwards."
    ]
    assert not Person.objects.filter(legal_name="Avery Invented").exists() and Contact.objects.count() == contacts


def test_a_latitude_out_of_range_says_so_and_no_constraint_name_shows(world, client):
    client.force_login(world.users.officer_sjpd)
    response = client.post(
        reverse("web:operation_location_add", args=[world.records.op_sjpd.pk]),
        {"venue_name": "Blue Moon Motel", "venue_type": "hotel", "latitude": "95", "longitude": "-94.8"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["latitude"] == ["Latitude must be between -90 and 90."]
    assert "location_latitude_range" not in response.content.decode()
    assert not Location.objects.filter(venue_name="Blue Moon Motel").exists()


def test_an_over_long_void_reason_is_refused_in_plain_words(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.supervisor_sjpd)
    response = client.post(reverse("web:void", args=["cases.referral", referral.pk]), {"reason": "v" * 2_001})
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    referral.refresh_from_db()
    assert not referral.is_voided


def test_long_unbroken_text_wraps_on_every_page():
    # Every page's content sits in .tf-main (templates/base.html), which the stylesheet wraps anywhere.
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    rule = re.search(r"([^{}]*)\{[^}]*overflow-wrap:\s*anywhere", css)
    assert rule and ".tf-main" in rule.group(1)
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert 'class="tf-main"' in base and "css/app.css" in base
