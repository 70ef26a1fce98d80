"""Helpers for the API tests: a client signed in as a persona, throttle counters cleared."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache and are keyed by user id, which tests reuse.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """api(user) → an APIClient authenticated as that user (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def ids(response) -> set[int]:
    assert response.status_code == 200, (response.status_code, getattr(response, "data", None))
    return {row["id"] for row in response.json()["results"]}


def if_match(client, record_url: str) -> dict:
    """The If-Match header every write to an existing record needs: the ETag of a fresh read."""
    response = client.get(record_url)
    assert response.status_code == 200, (record_url, response.status_code)
    return {"HTTP_IF_MATCH": response["ETag"]}
