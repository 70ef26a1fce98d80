"""Helpers for the API tests: a client signed in as a persona, throttle counters cleared."""

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttles(request):
    # Throttle counters live in the shared cache and are keyed by user id, which tests reuse.
    if isinstance(caches["default"], DatabaseCache):
        # The table is in the test's database, whose rollback empties it after each test;
        # a test without a database cannot reach the API.
        if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
            request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
            cache.clear()
        yield
        return
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
