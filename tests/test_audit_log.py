"""The access log: views of people, searches, exports, sign-ins; and that no one can change it."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit import hooks as audit_hooks
from audit.log import record_access
from audit.models import AccessLog, Action
from cases import models as m

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers exist on PostgreSQL only")


def test_record_access_stamps_user_agency_ip_and_request(world, rf):
    officer = world.users.officer_sjpd
    request = rf.get("/people/1/", REMOTE_ADDR="198.51.100.4")
    request.user = officer
    from agencies.acting import RequestInfo

    request.audit_info = RequestInfo(request_id="abc123", ip="198.51.100.4")
    person = world.records.victim_sjpd.person
    row = record_access(request, Action.PERSON_VIEW, obj=person)
    row.refresh_from_db()
    assert (row.user, row.agency, row.ip, row.request_id) == (officer, world.agencies.sjpd, "198.51.100.4", "abc123")
    assert (row.object_type, row.object_id, row.object_label) == ("cases.person", str(person.pk), person.reference)


def test_unknown_action_is_refused(world, rf):
    with pytest.raises(ValueError):
        record_access(None, "peeked", user=world.users.officer_sjpd)


def test_export_hook_writes_access_log(world, rf):
    request = rf.get("/api/v1/people/?format=csv")
    request.user = world.users.officer_kcpd
    audit_hooks.record_export(request, "people.csv", 12)
    row = AccessLog.objects.get(action=Action.EXPORT)
    assert row.user == world.users.officer_kcpd
    assert row.agency == world.agencies.kcpd
    assert row.detail == "people.csv, 12 rows"


@pytest.fixture
def admin_client(world, client):
    """The coordinator in the admin (the system administrator sees no case record or audit row)."""
    world.users.coordinator.is_staff = True
    world.users.coordinator.save(update_fields=["is_staff"])
    client.force_login(world.users.coordinator)
    return client


def test_admin_person_change_view_is_logged(world, admin_client):
    person = world.records.victim_kcpd.person
    response = admin_client.get(reverse("admin:cases_person_change", args=[person.pk]))
    assert response.status_code == 200
    row = AccessLog.objects.filter(action=Action.PERSON_VIEW, object_id=str(person.pk)).get()
    assert row.username == world.users.coordinator.username


def test_web_person_page_is_logged(world, client):
    officer = world.users.officer_sjpd
    person = world.records.victim_sjpd.person
    client.force_login(officer)
    response = client.get(reverse("web:person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.filter(action=Action.PERSON_VIEW, user=officer, object_id=str(person.pk)).exists()


def test_api_person_detail_and_search_are_logged(world, client):
    officer = world.users.officer_sjpd
    person = world.records.victim_sjpd.person
    client.force_login(officer)
    assert client.get(reverse("api:person-detail", args=[person.pk])).status_code == 200
    assert AccessLog.objects.filter(
        action=Action.PERSON_VIEW, user=officer, object_id=str(person.pk), path__startswith="/api/v1/"
    ).exists()
    assert client.get(reverse("api:person-list"), {"q": "Dana"}).status_code == 200
    assert AccessLog.objects.filter(action=Action.PERSON_SEARCH, user=officer, detail="q=Dana").exists()


def test_api_export_is_logged(world, client):
    officer = world.users.officer_sjpd
    client.force_login(officer)
    response = client.get(reverse("api:person-list"), {"format": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content) if response.streaming else response.content
    assert AccessLog.objects.filter(action=Action.EXPORT, user=officer).exists()


def test_membership_change_is_logged(world):
    membership = world.users.officer_kcpd.memberships.get()
    membership.end_date = timezone.localdate()
    membership.save()
    row = AccessLog.objects.filter(action=Action.MEMBERSHIP_CHANGE, object_id=str(membership.pk)).latest("id")
    assert "Changed membership of officer_kim" in row.detail


# --- append-only -----------------------------------------------------------------


def test_access_log_rows_cannot_be_changed_or_deleted_through_the_model(world):
    row = record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    row.detail = "edited"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    with pytest.raises(ValidationError):
        AccessLog.objects.filter(pk=row.pk).update(detail="edited")
    with pytest.raises(ValidationError):
        AccessLog.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.detail == ""


def test_admin_cannot_change_or_delete_access_log(world, admin_client):
    row = record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    change = reverse("admin:audit_accesslog_change", args=[row.pk])
    assert admin_client.get(change).status_code == 200  # read-only view
    assert admin_client.post(change, {"detail": "edited"}).status_code == 403
    assert admin_client.post(reverse("admin:audit_accesslog_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:audit_accesslog_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:audit_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AccessLog.objects.filter(pk=row.pk, detail="").exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_audit_pages_take_no_writes(world, client, method):
    client.force_login(world.users.tf_auditor)
    row = record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    for url in (reverse("audit:accesslog-list"), reverse("audit:record-trail", args=["audit.accesslog", row.pk])):
        assert getattr(client, method)(url).status_code == 405
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_no_api_route_reaches_the_audit_tables():
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), getattr(p.callback, "cls", None)

    for route, cls in walk(get_resolver().url_patterns):
        if route.startswith("api/") and cls is not None:
            queryset = getattr(cls, "queryset", None)
            model = getattr(cls, "model", None) or (queryset.model if queryset is not None else None)
            assert model is not AccessLog and not (model and model.__name__.startswith("Historical")), route


@postgres_only
@pytest.mark.parametrize("sql", ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}"])
@pytest.mark.parametrize(
    "model,column", [(AccessLog, "detail"), (m.Operation.history.model, "name"), (m.Person.history.model, "legal_name")]
)
def test_postgres_trigger_refuses_sql_changes(world, sql, model, column):
    record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    assert model.objects.exists()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(table=model._meta.db_table, column=column))


@postgres_only
def test_postgres_trigger_ignores_the_old_archiving_setting(world):
    row = record_access(None, Action.LOGIN, user=world.users.officer_sjpd)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL audit.archiving = 'on'")
            cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])
    assert AccessLog.objects.filter(pk=row.pk).exists()


# --- retention and archiving -----------------------------------------------------------


def _old_access(user, days):
    """An access-log row written `days` ago (rows cannot be backdated once written)."""
    row = AccessLog(user=user, username=user.username, action=Action.LOGIN, at=timezone.now() - timedelta(days=days))
    row.save()
    return row


def _old_change(obj, days):
    """A change whose history row is dated `days` ago (simple_history honours _history_date)."""
    obj._history_date = timezone.now() - timedelta(days=days)
    obj.summary = "Changed long ago"
    obj.save()
    del obj._history_date
    return obj.history.order_by("history_date").first()


def test_archive_writes_old_rows_then_removes_them(world, tmp_path):
    old = _old_access(world.users.officer_sjpd, 400)
    recent = record_access(None, Action.LOGOUT, user=world.users.officer_sjpd)
    history_model = m.Operation.history.model
    old_history = _old_change(world.records.op_kcpd, 500)

    call_command("archive_audit", output=str(tmp_path))

    files = list(tmp_path.glob("audit-*.jsonl.gz"))
    assert len(files) == 1
    with gzip.open(files[0], "rt") as archive:
        lines = [json.loads(line) for line in archive]
    assert {(line["table"], line.get("id"), line.get("history_id")) for line in lines} == {
        ("audit.accesslog", old.pk, None),
        (history_model._meta.label_lower, old_history.id, old_history.pk),
    }
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()
    assert not history_model.objects.filter(pk=old_history.pk).exists()
    assert AccessLog.objects.filter(action=Action.AUDIT_ARCHIVE, detail__contains="2 rows").exists()


def test_archive_dry_run_changes_nothing(world, tmp_path):
    old = _old_access(world.users.officer_sjpd, 400)
    call_command("archive_audit", output=str(tmp_path), dry_run=True)
    assert AccessLog.objects.filter(pk=old.pk).exists()
    assert not list(tmp_path.iterdir())


def test_retention_below_a_year_is_refused(world, tmp_path):
    with override_settings(AUDIT_RETENTION_DAYS=30), pytest.raises(CommandError, match="at least 365"):
        call_command("archive_audit", output=str(tmp_path))
