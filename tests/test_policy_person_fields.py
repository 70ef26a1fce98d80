"""A person's fields: the page, the API and the download show what one function says.

`access.visible_person_fields(user, person)` is the only place that decides which fields
of a person a viewer reads; the person's page asks it field by field, the serializer
keeps only those keys, and the download keeps only those columns.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import access

pytestmark = pytest.mark.django_db

# The person's page: each field's label in its list of details.
LABELS = {
    "legal_name": "Name",
    "aliases": "Other names",
    "date_of_birth": "Date of birth",
    "estimated_age": "Estimated age",
    "gender": "Gender",
    "citizenship": "Citizenship",
    "languages": "Languages",
    "phone": "Phone",
    "email": "Email",
    "safe_contact_notes": "Safe contact",
    "vulnerabilities": "Vulnerability factors",
}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("persona", ["advocate_harbor", "officer_sjpd", "coordinator"])
def test_page_api_and_download_show_the_fields_the_policy_allows(world, client, persona):
    user = getattr(world.users, persona)
    person = world.records.referral_sjpd.person  # referred to Harbor: the advocate sees the minimum
    allowed = access.visible_person_fields(user, person)

    client.force_login(user)
    page = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    for field, label in LABELS.items():
        assert (f"<dt>{label}</dt>" in page) == (field in allowed), (persona, field)
    assert ("Contacts, oldest first" in page) == ("contacts" in allowed)

    answer = _api(user).get(f"/api/v1/people/{person.pk}/").json()
    assert set(answer) - {"id"} <= allowed
    assert {name for name in LABELS if name in answer} == {name for name in LABELS if name in allowed}

    download = _api(user).get("/api/v1/people/", {"format": "csv", "raw": "1"})
    assert download.status_code == 200
    header = next(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert set(header) - {"id"} <= allowed, header


def test_the_advocate_reads_the_minimum_and_the_officer_everything(world):
    person = world.records.referral_sjpd.person
    minimum = access.visible_person_fields(world.users.advocate_harbor, person)
    assert minimum == set(access.PERSON_MINIMUM_FIELDS)
    assert {"date_of_birth", "contacts", "vulnerabilities"} <= access.visible_person_fields(
        world.users.officer_sjpd, person
    )
