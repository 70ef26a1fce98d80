"""Runs the access table (see registry.py for how to add entries).

Every page as every persona answers what the table says, the same on either database: CI
runs the walk on PostgreSQL only (marker `single_db`); the policy the pages rely on is
checked on both by the exact-id tests (tests/test_access_matrix.py, test_list_ids.py).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .registry import PERSONAS, load_tables

pytestmark = pytest.mark.single_db

CASES = load_tables()


# The admin and the API have their own coverage tests (tests/test_admin_access.py, tests/api/).
ELSEWHERE = ("admin", "api")


def web_url_names() -> set[str]:
    """Every named URL of the pages: the "web", "reports", "audit" and "apitokens" namespaces and
    the sign-in pages; everything but the admin and the API."""
    names: set[str] = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name and namespace.split(":")[0] not in ELSEWHERE:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_web_url_has_an_access_entry():
    covered = {case.url_name for case in CASES}
    missing = sorted(web_url_names() - covered)
    assert not missing, f"URLs with no entry in the access table (tests/web_access/table_*.py): {missing}"


def test_every_access_entry_names_a_real_url():
    stale = sorted({case.url_name for case in CASES} - web_url_names())
    assert not stale, f"Access table entries for URLs that do not exist: {stale}"


def _request(client, case, world, url):
    if case.method == "post":
        data = case.data(world) if case.data else {}
        return client.post(url, data)
    return client.get(url)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access_table(case, world, client, pdf_as_html):
    mismatches = []
    for obj_name, kwargs_for in case.objects.items():
        url = reverse(case.url_name, kwargs=kwargs_for(world) or None)
        if case.query:
            url = f"{url}?{case.query(world)}"
        for persona in PERSONAS:
            expected = case.expect[obj_name][persona]
            client.logout()
            if persona != "anonymous":
                client.force_login(getattr(world.users, persona))
            # Each persona's request is rolled back: a POST by one does not change what
            # the next one meets.
            with transaction.atomic():
                response = _request(client, case, world, url)
                transaction.set_rollback(True)
            if response.status_code != expected:
                mismatches.append(f"{persona:20} {obj_name:10} expected {expected}, got {response.status_code}")
    assert not mismatches, f"{case.id} ({url}):\n" + "\n".join(mismatches)
