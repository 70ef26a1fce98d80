"""The API's quicker reading of records shows exactly what DRF's own serializer would."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from cases.api.serializers.base import ScopedModelSerializer
from cases.api.urls import router

PREFIXES = [prefix for prefix, _, _ in router.registry]


@pytest.mark.parametrize("persona", ["coordinator", "officer_sjpd", "advocate_harbor", "caseworker"])
@pytest.mark.parametrize("prefix", PREFIXES)
def test_lists_and_records_read_as_drf_reads_them(world, api, monkeypatch, prefix, persona):
    client = api(getattr(world.users, persona))
    url = f"/api/v1/{prefix}/"
    quick = client.get(url, {"page_size": 1000})
    details = [client.get(f"{url}{row['id']}/").json() for row in quick.json().get("results", [])]
    monkeypatch.setattr(ScopedModelSerializer, "to_representation", serializers.Serializer.to_representation)
    plain = client.get(url, {"page_size": 1000})
    assert quick.status_code == plain.status_code
    assert quick.json() == plain.json()
    assert details == [client.get(f"{url}{row['id']}/").json() for row in plain.json().get("results", [])]
