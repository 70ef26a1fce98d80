"""The audit viewer: who may read which rows, filters, per-record trail, CSV export (itself logged)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from audit.log import record_access
from audit.models import AccessLog, Action
from cases import actions
from cases import models as m


@pytest.fixture
def trail(world):
    """One access-log row and one change by SJPD staff, and the same by KCPD staff."""
    u, r = world.users, world.records
    rows = {
        "sjpd_view": record_access(None, Action.PERSON_VIEW, obj=r.victim_sjpd.person, user=u.officer_sjpd),
        "kcpd_view": record_access(None, Action.PERSON_VIEW, obj=r.victim_kcpd.person, user=u.officer_kcpd),
    }
    r.op_sjpd.summary = "SJPD edit"
    actions.update_record(u.officer_sjpd, r.op_sjpd, "operation.change")
    r.op_kcpd.summary = "KCPD edit"
    actions.update_record(u.officer_kcpd, r.op_kcpd, "operation.change")
    return rows


def visible_log_ids(user):
    return set(AccessLog.objects.visible_to(user).filter(action=Action.PERSON_VIEW).values_list("id", flat=True))


def test_agency_auditor_sees_only_own_agency_rows(world, trail):
    assert visible_log_ids(world.users.auditor_sjpd) == {trail["sjpd_view"].pk}
    from cases import access

    changes = access.scope(m.Operation.history.model.objects.filter(history_type="~"), world.users.auditor_sjpd)
    assert {c.history_agency_id for c in changes} == {world.agencies.sjpd.pk}


@pytest.mark.parametrize("persona", ["tf_auditor", "coordinator"])
def test_task_force_auditor_and_coordinator_see_every_agency(world, trail, persona):
    assert visible_log_ids(getattr(world.users, persona)) == {trail["sjpd_view"].pk, trail["kcpd_view"].pk}


@pytest.mark.parametrize(
    "persona", ["officer_sjpd", "supervisor_sjpd", "analyst", "advocate_harbor", "caseworker", "nobody"]
)
def test_no_one_else_sees_audit_rows(world, trail, persona):
    user = getattr(world.users, persona)
    assert visible_log_ids(user) == set()
    from cases import access

    assert not access.scope(m.Operation.history.model.objects.all(), user).exists()


@pytest.mark.parametrize("persona", ["officer_sjpd", "supervisor_sjpd", "analyst", "advocate_harbor"])
def test_viewer_pages_refuse_other_roles(world, client, persona):
    client.force_login(getattr(world.users, persona))
    assert client.get(reverse("audit:accesslog-list")).status_code == 403
    assert client.get(reverse("audit:change-list")).status_code == 403
    assert client.get(reverse("audit:accesslog-export")).status_code == 403


def test_viewer_page_shows_agency_auditor_only_own_rows(world, client, trail):
    client.force_login(world.users.auditor_sjpd)
    response = client.get(reverse("audit:accesslog-list"), {"action": "person_view"})
    assert response.status_code == 200
    shown = {row.pk for row in response.context["page"]}
    assert shown == {trail["sjpd_view"].pk}


def test_viewer_filters_by_user_agency_object_and_date(world, client, trail):
    client.force_login(world.users.tf_auditor)
    url = reverse("audit:accesslog-list")
    by_user = client.get(url, {"username": "officer_kim", "action": "person_view"}).context["page"]
    assert {row.pk for row in by_user} == {trail["kcpd_view"].pk}
    by_agency = client.get(url, {"agency": world.agencies.sjpd.pk, "action": "person_view"}).context["page"]
    assert {row.pk for row in by_agency} == {trail["sjpd_view"].pk}
    person = world.records.victim_kcpd.person
    by_object = client.get(url, {"object_type": "cases.person", "object_id": person.pk}).context["page"]
    assert {row.pk for row in by_object} == {trail["kcpd_view"].pk}
    future = client.get(url, {"date_from": "2999-01-01"}).context["page"]
    assert list(future) == []


def test_change_list_for_one_model_shows_before_and_after(world, client, trail):
    client.force_login(world.users.auditor_sjpd)
    response = client.get(reverse("audit:change-list"), {"model": "cases.operation", "history_type": "~"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row["record"].id for row in rows} == {world.records.op_sjpd.pk}
    assert any(change["field"] == "Summary" and change["new"] == "SJPD edit" for change in rows[0]["diff"])


def test_change_list_of_all_models_is_scoped(world, client, trail):
    client.force_login(world.users.auditor_sjpd)
    rows = client.get(reverse("audit:change-list")).context["rows"]
    assert rows and {row["record"].history_agency_id for row in rows} == {world.agencies.sjpd.pk}


def test_record_trail_shows_views_and_changes_in_scope(world, client, trail):
    person = world.records.victim_kcpd.person
    url = reverse("audit:record-trail", args=["cases.person", person.pk])
    client.force_login(world.users.tf_auditor)
    response = client.get(url)
    assert [row.pk for row in response.context["views"]] == [trail["kcpd_view"].pk]
    client.force_login(world.users.auditor_sjpd)
    assert list(client.get(url).context["views"]) == []


def test_csv_export_is_scoped_and_itself_logged(world, client, trail):
    auditor = world.users.auditor_sjpd
    client.force_login(auditor)
    response = client.get(reverse("audit:accesslog-export"), {"action": "person_view"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("at,username,agency,action")
    assert len(lines) == 2 and "officer_sam" in lines[1] and "officer_kim" not in body
    assert AccessLog.objects.filter(
        action=Action.AUDIT_EXPORT, user=auditor, detail__startswith="access-log.csv, 1 rows"
    ).exists()


def test_record_panel_include(world, trail):
    person = world.records.victim_sjpd.person
    template = Template('{% include "audit/record_panel.html" with obj=person %}')
    request = RequestFactory().get("/")
    request.user = world.users.tf_auditor
    html = template.render(Context({"request": request, "person": person}))
    assert "Who viewed or changed this" in html and "officer_sam" in html
    request.user = world.users.officer_sjpd
    assert "Who viewed or changed this" not in template.render(Context({"request": request, "person": person}))


@pytest.mark.parametrize("page", ["person", "operation"])
def test_person_and_operation_pages_show_the_panel_to_the_coordinator_only(world, client, trail, page):
    obj = world.records.victim_sjpd.person if page == "person" else world.records.op_sjpd
    url = reverse(f"web:{page}_detail", args=[obj.pk])
    client.force_login(world.users.coordinator)
    assert "Who viewed or changed this" in client.get(url).content.decode()
    client.force_login(world.users.officer_sjpd)
    assert "Who viewed or changed this" not in client.get(url).content.decode()
