"""The admin's accessibility repairs are in the pages it serves (the browser test runs axe over them)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


@pytest.fixture
def coordinator_client(world, client):
    coordinator = world.users.coordinator
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    client.force_login(coordinator)
    return client


def test_every_admin_page_loads_the_repairs(coordinator_client):
    html = coordinator_client.get(reverse("admin:app_list", args=["cases"])).content.decode()
    assert '/static/css/admin.css"' in html
    assert '/static/js/admin.js"' in html


def test_date_and_time_inputs_have_labels(coordinator_client, world):
    url = reverse("admin:cases_operation_change", args=[world.records.op_sjpd.pk])
    html = coordinator_client.get(url).content.decode()
    assert '<label for="id_starts_at_0">Date:</label>' in html
    assert '<label for="id_starts_at_1">Time:</label>' in html


def test_inputs_in_table_rows_of_an_inline_are_named(coordinator_client, world):
    url = reverse("admin:cases_operation_change", args=[world.records.op_sjpd.pk])
    html = coordinator_client.get(url).content.decode()
    agency = re.search(r'<select name="participations-0-agency"[^>]*>', html).group(0)
    role = re.search(r'<select name="participations-0-role"[^>]*>', html).group(0)
    staff = re.search(r'<input [^>]*name="participations-0-staff_count"[^>]*>', html).group(0)
    assert 'aria-label="Agency"' in agency
    assert 'aria-label="Role"' in role
    assert 'aria-label="Staff count"' in staff
